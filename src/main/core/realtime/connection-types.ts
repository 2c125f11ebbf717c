/**
 * The seam between the turn machinery and the Realtime socket. The real implementation opens a
 * WebSocket (`ws`) to OpenAI, Azure OpenAI or a custom URL; tests inject a socket factory.
 *
 * Event types are the official GA ones from the `openai` SDK (types only; the SDK's socket class is
 * not used: it forces wss:// and builds the pre-GA Azure URL).
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { ConnectionState } from '../../../shared/types';
import type { Provider } from '../../../shared/settings';

export type { RealtimeClientEvent, RealtimeServerEvent };

/** Where to connect and how to authenticate. The key lives only here and in the socket headers. */
export interface Endpoint {
  provider: Provider;
  /** Full ws(s):// URL, e.g. wss://api.openai.com/v1/realtime?model=gpt-realtime */
  url: string;
  /** Headers for the upgrade request (Authorization: Bearer …, or api-key: …). Never logged. */
  headers: Record<string, string>;
  /** Server session limit, for the "session ends soon" warning (60 min OpenAI, 30 min Azure). */
  sessionLimitMs?: number;
}

export interface ConnectionStatus {
  state: ConnectionState;
  /** Plain words: "The API key was rejected", "Can't reach api.openai.com", … */
  reason?: string;
  /** Machine-readable cause, e.g. 'auth', 'unreachable', 'session_expired', 'beta_api_shape_disabled'. */
  code?: string;
  /** While reconnecting: when the next attempt is due (ms since epoch). */
  retryAt?: number;
}

/** A server event the parser could not match to a known GA type: logged, never fatal. */
export interface UnknownServerEvent {
  type: string;
  [key: string]: unknown;
}

export interface RealtimeConnection {
  readonly status: ConnectionStatus;
  /** Open (or re-open) the socket. Reconnects with backoff after an unexpected drop. */
  connect(): void;
  /** Close for good (no reconnect). */
  close(): void;
  /** Send a client event. Returns false (and sends nothing) when not connected. */
  send(event: RealtimeClientEvent): boolean;
  /** A parsed GA server event. */
  onEvent(listener: (event: RealtimeServerEvent) => void): () => void;
  /** A well-formed event of a type we do not know (logged, ignored). */
  onUnknown(listener: (event: UnknownServerEvent) => void): () => void;
  /** A frame that was not valid JSON or failed the schema: reported and skipped. */
  onMalformed(listener: (raw: string, problem: string) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}
