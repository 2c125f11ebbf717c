/**
 * Plain words for everything that can end or refuse a Realtime socket: upgrade HTTP statuses,
 * network errors and WebSocket close codes. Each outcome says whether reconnecting can help.
 */
import { words } from '../words';
import type { Endpoint } from './connection-types';
import { describeEndpoint } from './endpoints';
import { errorMessage } from '../../../shared/error-message';

/** Machine-readable causes carried in ConnectionStatus.code. */
export type ConnectionCode =
  | 'auth'
  | 'not-found'
  | 'rejected'
  | 'rate_limited'
  | 'server_error'
  | 'unreachable'
  | 'session_expired'
  | 'beta_api_shape_disabled'
  | 'dropped'
  | 'closed_by_server'
  | 'gave_up'
  | 'invalid_url';

/** What to do after a socket ended. */
export interface Outcome {
  code: ConnectionCode;
  reason: string;
  /** 'backoff': retry with growing delays; 'now': retry at once (new session); 'never': failed. */
  retry: 'backoff' | 'now' | 'never';
}

export const SESSION_EXPIRED_WORDS = words.sessionExpired;
export const BETA_DISABLED_WORDS = words.betaDisabled;

/** The HTTP status of a refused upgrade, from ws's "Unexpected server response: 401". */
export function upgradeStatus(error: unknown): number | null {
  const message = error instanceof Error ? error.message : '';
  const m = /Unexpected server response: (\d{3})/.exec(message);
  return m ? Number(m[1]) : null;
}

/** Words for a refused upgrade (the server answered HTTP instead of switching protocols). */
export function describeHttpStatus(status: number, endpoint: Endpoint): Outcome {
  const host = describeEndpoint(endpoint);
  if (status === 401 || status === 403) {
    return {
      code: 'auth',
      reason: `The API key was rejected (HTTP ${status}). Check it in Settings.`,
      retry: 'never',
    };
  }
  if (status === 404) return { code: 'not-found', reason: notFoundWords(endpoint), retry: 'never' };
  if (status === 429) {
    return {
      code: 'rate_limited',
      reason: `${host} is rate-limiting new connections (HTTP 429); trying again shortly.`,
      retry: 'backoff',
    };
  }
  if (status >= 500) {
    return {
      code: 'server_error',
      reason: `${host} had a server error (HTTP ${status}); trying again shortly.`,
      retry: 'backoff',
    };
  }
  return {
    code: 'rejected',
    reason: `${host} refused the connection (HTTP ${status}). Check the address${
      endpoint.provider === 'custom' ? '' : ' and model'
    } in Settings.`,
    retry: 'never',
  };
}

function notFoundWords(endpoint: Endpoint): string {
  let path = '';
  let model: string | null = null;
  try {
    const url = new URL(endpoint.url);
    path = url.pathname;
    model = url.searchParams.get('model');
  } catch {
    // describeEndpoint already copes with a bad URL; the words below still make sense.
  }
  const where = `${describeEndpoint(endpoint)}${path}`;
  switch (endpoint.provider) {
    case 'azure':
      return `Azure found no deployment "${model ?? ''}" at ${where} (HTTP 404). Check the resource and deployment names in Settings.`;
    case 'openai':
      return `OpenAI found no Realtime model "${model ?? ''}" at ${where} (HTTP 404). Check the model name in Settings.`;
    default:
      return `Nothing answers at ${where} (HTTP 404). Check the URL path in Settings.`;
  }
}

/** Words for a network-level failure: DNS, refused, timed out, reset, TLS. */
export function describeNetworkError(error: unknown, endpoint: Endpoint): Outcome {
  const host = describeEndpoint(endpoint);
  if (error instanceof SyntaxError) {
    // ws throws SyntaxError for a URL it cannot use; retrying the same URL cannot help.
    return {
      code: 'invalid_url',
      reason: `The server address cannot be used (${error.message}). Check it in Settings.`,
      retry: 'never',
    };
  }
  return { code: 'unreachable', reason: `Can't reach ${host}: ${networkCause(error)}`, retry: 'backoff' };
}

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the codes.
  const parts = (error as { errors?: unknown }).errors;
  if (Array.isArray(parts)) {
    for (const part of parts) {
      const inner = errorCode(part);
      if (inner) return inner;
    }
  }
  return undefined;
}

function networkCause(error: unknown): string {
  const code = errorCode(error);
  const message = errorMessage(error);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'the name could not be looked up (offline, or a typo in the address?)';
    case 'ECONNREFUSED':
      return 'the connection was refused (is the server running on that port?)';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'no route to it (is the network up?)';
    default:
      break;
  }
  if (code && /CERT|SSL|TLS/i.test(code)) return `the secure connection failed (${code})`;
  if (/handshake has timed out/i.test(message)) return 'the connection timed out';
  const short = message.length > 100 ? `${message.slice(0, 97)}...` : message;
  return short || 'unknown network error';
}

/** Words and next step for a WebSocket close code after the socket was open. */
export function describeClose(code: number, reason: string): Outcome {
  const said = reason.trim() ? ` ("${truncate(reason.trim(), 120)}")` : '';
  switch (code) {
    case 1000:
      return backoff('closed_by_server', `The server closed the connection${said}; reconnecting.`);
    case 1001:
      return { code: 'session_expired', reason: SESSION_EXPIRED_WORDS, retry: 'now' };
    case 1002:
      return backoff('dropped', `The server reported a protocol error${said}; reconnecting.`);
    case 1003:
      return backoff('dropped', `The server could not accept data it received${said}; reconnecting.`);
    case 1005:
      return backoff('dropped', 'The server closed the connection without saying why; reconnecting.');
    case 1006:
      return backoff('dropped', 'The connection dropped (network loss or the server stopped); reconnecting.');
    case 1007:
      return backoff('dropped', `The server received text that was not valid UTF-8${said}; reconnecting.`);
    case 1008:
      return backoff(
        'closed_by_server',
        `The server closed the connection for a policy reason${said}; reconnecting.`,
      );
    case 1009:
      return backoff('dropped', `A message was too large for the server${said}; reconnecting.`);
    case 1010:
      return backoff('dropped', `The server did not agree on a protocol extension${said}; reconnecting.`);
    case 1011:
      return backoff('server_error', `The server hit an internal error${said}; reconnecting.`);
    case 1012:
      return backoff('server_error', 'The server is restarting; reconnecting.');
    case 1013:
      return backoff('rate_limited', 'The server is overloaded; trying again shortly.');
    case 1014:
      return backoff('server_error', 'A gateway in front of the server failed; reconnecting.');
    case 1015:
      return backoff('unreachable', 'The secure (TLS) handshake failed; reconnecting.');
    case 4000:
      // Only the real refusal of the beta dialect means "stop reconnecting" (row 12); any other 4000 is a drop.
      if (/beta_api_shape_disabled/i.test(reason))
        return { code: 'beta_api_shape_disabled', reason: BETA_DISABLED_WORDS, retry: 'never' };
      return backoff(
        'closed_by_server',
        `The server closed the connection (code 4000)${said}; reconnecting.`,
      );
    default:
      return backoff(
        'closed_by_server',
        `The server closed the connection (code ${code})${said}; reconnecting.`,
      );
  }
}

/** A close that reconnecting with growing delays can get past. */
function backoff(code: ConnectionCode, reason: string): Outcome {
  return { code, reason, retry: 'backoff' };
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
