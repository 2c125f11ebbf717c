/**
 * A local GA Realtime server: a real WebSocket on 127.0.0.1 that answers like api.openai.com (and Azure's GA
 * path) does, with deterministic replies and switchable faults. Tests point the real client at `handle.url`;
 * the app uses it as its offline demo mode.
 *
 * ```ts
 * const sim = await startSimulator({ apiKey: 'sk-test', audioPacing: 'fast' });
 * // connect a ws client to sim.url with `Authorization: Bearer sk-test`
 * sim.setFaults(['stall']);            // the next response stalls after content_part.added
 * expect(sim.received.map((r) => (r.event as { type: string }).type)).toContain('response.create');
 * await sim.close();
 * ```
 *
 * Replies: typed turn → `Echo: <text>`; audio turn → `I heard <N.N> seconds of audio.`; per-response
 * `instructions` are appended as ` [instructions: …]`; `instructions: ""` yields `{"response": "…"}` (the
 * persona-less nonsense of FIELD-REPORTS row 1). Audio replies are {@link replyAudio} of the text. A reply answers
 * the last user message of the response's context: the conversation, or `response.input` when given (item
 * references and inline items; `[]` = nothing). `conversation: "none"` responses keep their output out of the
 * conversation and may run beside the in-band one.
 *
 * Tools (tools.ts, README "Tools"): with function tools offered, "what time is it" and "call <name> with <json>"
 * make `function_call` items (several clauses → parallel calls, `then` → the next step after the outputs) and
 * the reply after `function_call_output` items says what each tool returned; `type: "mcp"` tools are served by a
 * built-in fake MCP server (tools `echo`, `add`; a URL containing "fail" fails), with `mcp_list_tools`,
 * `mcp_call` and approval requests. Faults `tool-call-then-fail`, `tool-call-stall`.
 *
 * Not simulated: server VAD (no automatic commits or responses; push-to-talk turns disable it anyway),
 * transcription sessions, WebRTC.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { replyAudio } from './audio';
import {
  SimConnection,
  type AudioPacing,
  type ConnectionContext,
  type CommittedAudio,
  type EmittedEvent,
  type ReceivedEvent,
  type TruncationRecord,
} from './connection';
import { FaultBook, parseFaultQuery, type FaultPlan } from './faults';
import { RateLimitAccount, type RateLimitOptions } from './usage';
import { DEFAULT_INSTRUCTIONS } from './session';

export {
  replyAudio,
  replyAudioLayout,
  replyWords,
  wordFrequency,
  base64ToSamples,
  samplesToBase64,
} from './audio';
export { SAMPLE_RATE, TONE_MS, GAP_MS, EDGE_MS, TONE_AMPLITUDE, type WordSpan } from './audio';
export {
  FAULT_KINDS,
  FAULT_DEFAULTS,
  parseFaultQuery,
  type FaultKind,
  type FaultRule,
  type FaultPlan,
} from './faults';
export { replyText, type LastUserInput } from './reply';
export {
  FAKE_MCP_TOOLS,
  FAILING_MCP_URL_MARK,
  requestedCalls,
  toolReplyText,
  type FakeMcpTool,
  type McpCallError,
  type RequestedCall,
  type ToolResult,
} from './tools';
export { DEFAULT_INSTRUCTIONS } from './session';
export {
  validateClientEvent,
  validateServerEvent,
  CLIENT_EVENT_TYPES,
  SERVER_EVENT_TYPES,
  type ValidationResult,
  type ValidationErrorCode,
  type ServerValidationOptions,
} from './validate';
export type {
  AudioPacing,
  CommittedAudio,
  EmittedEvent,
  ReceivedEvent,
  TruncationRecord,
} from './connection';

/** How to start the simulator. Every field is optional. */
export interface SimulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (never exposed beyond the machine unless asked). */
  host?: string;
  /** When set, the upgrade must carry `Authorization: Bearer <key>` or `api-key: <key>`, else HTTP 401. */
  apiKey?: string;
  /** Output audio pacing; default `realtime` (100 ms of audio every 100 ms). */
  audioPacing?: AudioPacing;
  /** Gap between text deltas, ms; default 20. */
  textDeltaMs?: number;
  /** Model reported when the URL has no `?model=`; default `gpt-realtime`. */
  model?: string;
  /** Default voice; default `alloy`. */
  voice?: string;
  /** Session instructions before any `session.update`; default {@link DEFAULT_INSTRUCTIONS}. */
  instructions?: string;
  /** Faults from the start (same as calling `setFaults` right away). */
  faults?: FaultPlan;
  /** Replaces the reply signal generator. */
  replyAudio?: (text: string) => Int16Array;
  /**
   * Keep the `received`/`emitted` logs; default true. Turn off for long-running use (the demo mode): the logs
   * hold every audio chunk.
   */
  record?: boolean;
  /** Most entries each log keeps; older ones are dropped first. Default 5000. */
  recordLimit?: number;
  /**
   * The account's rate limits: when given, every response is counted against them and `rate_limits.updated`
   * follows each `response.created` (as the GA server does). Off by default.
   */
  rateLimits?: RateLimitOptions;
  /**
   * How long every session lasts (the GA server's is 60 minutes): then `session_expired` and close 1001, as the
   * live server ends one. `session.created` reports it in `expires_at`. Default: no limit.
   */
  sessionLimitMs?: number;
}

/**
 * One WebSocket upgrade the simulator saw (accepted or not), with what was said on it. No header value is kept,
 * so no key ever lands in a record.
 *
 * ```ts
 * const [first, second] = sim.requests;
 * expect(first.hasAuthorization).toBe(false);
 * expect(first.received).toEqual([]); // nothing was sent without the key
 * expect(second.received.map((r) => (r.event as { type: string }).type)).toEqual(['session.update']);
 * ```
 */
export interface ConnectionRecord {
  /** 1, 2, … in arrival order; matches `connection` in the event logs. */
  id: number;
  at: number;
  /** Request path and query as sent, e.g. `/openai/v1/realtime?model=gpt-realtime`. */
  path: string;
  /** Which credential header was used (the key itself is never recorded). */
  auth: 'bearer' | 'api-key' | 'none';
  /** `rejected-401`, `beta-4000`, or `open` (then `closed`). */
  outcome: 'open' | 'closed' | 'rejected-401' | 'beta-4000';
  /** Names of the upgrade request's headers, lower-cased, in the order sent, each once. Never their values. */
  headerNames: string[];
  /** An `Authorization` header was present (any scheme, right key or not). */
  hasAuthorization: boolean;
  /** An `api-key` header was present (right key or not). */
  hasApiKey: boolean;
  /**
   * Client events received on this connection, in order: the same entries as `handle.received`, filtered to
   * this connection. Empty when the upgrade was refused, or when `record` is false. Bounded by `recordLimit`.
   */
  received: ReceivedEvent[];
  /** Server events sent on this connection, as `handle.emitted` has them. Same bounds as `received`. */
  emitted: EmittedEvent[];
}

/** A running simulator. */
export interface SimulatorHandle {
  /** `ws://127.0.0.1:<port>/v1/realtime?model=gpt-realtime`. Add `&fault=…` to get URL faults. */
  readonly url: string;
  readonly port: number;
  /** Client events in arrival order (non-JSON frames as their raw text), for assertions. Bounded by `recordLimit`. */
  readonly received: ReceivedEvent[];
  /** Server events sent, as sent. Bounded by `recordLimit`. */
  readonly emitted: EmittedEvent[];
  /** Every `conversation.item.truncate` applied. */
  readonly truncations: TruncationRecord[];
  /** The audio of every committed input buffer (what the server "heard"). Bounded by `recordLimit`. */
  readonly committedAudio: CommittedAudio[];
  /** Every upgrade attempt: path, auth headers (names only), outcome, and the events of that connection. */
  readonly requests: ConnectionRecord[];
  /** Replaces the handle's fault plan (counters start afresh); `[]` turns faults off. URL faults still apply. */
  setFaults(plan: FaultPlan): void;
  /** Open sockets right now. */
  connections(): number;
  /** Cuts every open socket without a close frame (the client sees 1006). */
  dropAll(): void;
  /** Closes every socket (1001) and the server. Safe to call twice. */
  close(): Promise<void>;
}

function credential(
  req: IncomingMessage,
  apiKey: string | undefined,
): { kind: ConnectionRecord['auth']; ok: boolean } {
  const authorization = req.headers.authorization;
  const apiKeyHeader = req.headers['api-key'];
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    return { kind: 'bearer', ok: apiKey === undefined || authorization.slice(7) === apiKey };
  }
  if (typeof apiKeyHeader === 'string')
    return { kind: 'api-key', ok: apiKey === undefined || apiKeyHeader === apiKey };
  return { kind: 'none', ok: apiKey === undefined };
}

function reject401(socket: Socket, hadKey: boolean): void {
  // Same body shape as the real service's 401.
  const body = JSON.stringify({
    error: {
      message: hadKey
        ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
  socket.end(
    `HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Starts a simulator and resolves once it listens. Close it with `handle.close()` (tests: in afterEach).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const received: ReceivedEvent[] = [];
  const emitted: EmittedEvent[] = [];
  const truncations: TruncationRecord[] = [];
  const committedAudio: CommittedAudio[] = [];
  const requests: ConnectionRecord[] = [];
  const open = new Map<WebSocket, SimConnection>();
  let handleFaults = new FaultBook(options.faults ?? []);
  // URL faults are counted per distinct fault query across connections, so `?fault=drop` drops once even
  // though the client reconnects with the same URL.
  const urlFaults = new Map<string, FaultBook>();
  // One account for every connection: rate limits are the key's, not the socket's.
  const account = options.rateLimits ? new RateLimitAccount(options.rateLimits) : null;
  let nextId = 1;
  const enabled = options.record ?? true;
  const limit = Math.max(1, options.recordLimit ?? 5000);
  const bounded = <T>(list: T[], entry: T): void => {
    list.push(entry);
    // Drop in batches so a long session does not shift the array on every event.
    if (list.length > limit) list.splice(0, Math.max(list.length - limit, Math.ceil(limit / 10)));
  };
  // Each connection logs into the handle's lists and its own record's.
  const logFor = (record: ConnectionRecord): ConnectionContext['log'] => ({
    enabled,
    received: (entry: ReceivedEvent): void => {
      if (!enabled) return;
      bounded(received, entry);
      bounded(record.received, entry);
    },
    emitted: (entry: EmittedEvent): void => {
      if (!enabled) return;
      bounded(emitted, entry);
      bounded(record.emitted, entry);
    },
    truncation: (entry: TruncationRecord): void => bounded(truncations, entry),
    committedAudio: (entry: CommittedAudio): void => (enabled ? bounded(committedAudio, entry) : undefined),
  });

  const http: Server = createServer((_req, res) => {
    res
      .writeHead(426, { 'Content-Type': 'text/plain' })
      .end('This is a WebSocket endpoint (GA Realtime simulator).');
  });
  const wss = new WebSocketServer({ noServer: true });

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const id = nextId++;
    const path = req.url ?? '/';
    const auth = credential(req, options.apiKey);
    const headerNames = [
      ...new Set(req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())),
    ];
    const record: ConnectionRecord = {
      id,
      at: Date.now(),
      path,
      auth: auth.kind,
      outcome: 'open',
      headerNames,
      hasAuthorization: headerNames.includes('authorization'),
      hasApiKey: headerNames.includes('api-key'),
      received: [],
      emitted: [],
    };
    requests.push(record);
    const log = logFor(record);
    socket.on('error', () => socket.destroy());
    if (!auth.ok) {
      record.outcome = 'rejected-401';
      reject401(socket, auth.kind !== 'none');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const beta = String(req.headers['openai-beta'] ?? '');
      if (/realtime\s*=\s*v1/.test(beta)) {
        record.outcome = 'beta-4000';
        const event = {
          type: 'error',
          event_id: `event_sim${id}x0001`,
          error: {
            type: 'invalid_request_error',
            code: 'beta_api_shape_disabled',
            message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
            param: null,
            event_id: null,
          },
        };
        log.emitted({ at: Date.now(), connection: id, event });
        ws.send(JSON.stringify(event));
        ws.close(4000, 'beta_api_shape_disabled');
        return;
      }
      const query = new URL(path, 'http://simulator').searchParams;
      const faultValues = query.getAll('fault');
      const faultKey = faultValues.join(',');
      let urlBook = urlFaults.get(faultKey);
      const parsed = parseFaultQuery(faultValues);
      if (!urlBook) {
        urlBook = new FaultBook(parsed.plan);
        urlFaults.set(faultKey, urlBook);
      }
      const book = urlBook;
      const connection = new SimConnection(ws, {
        id,
        model: query.get('model') ?? query.get('deployment') ?? options.model ?? 'gpt-realtime',
        voice: options.voice ?? 'alloy',
        instructions: options.instructions ?? DEFAULT_INSTRUCTIONS,
        audioPacing: options.audioPacing ?? 'realtime',
        textDeltaMs: options.textDeltaMs ?? 20,
        replyAudio: options.replyAudio ?? replyAudio,
        faults: () => [handleFaults, book],
        log,
        ...(account ? { rateLimits: account } : {}),
        ...(options.sessionLimitMs ? { sessionLimitMs: options.sessionLimitMs } : {}),
      });
      for (const problem of parsed.problems) connection.reportProblem(problem, 'fault');
      open.set(ws, connection);
      ws.on('close', () => {
        open.delete(ws);
        record.outcome = 'closed';
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `ws://${host}:${port}/v1/realtime?model=${encodeURIComponent(options.model ?? 'gpt-realtime')}`,
    port,
    received,
    emitted,
    truncations,
    committedAudio,
    requests,
    setFaults(plan: FaultPlan): void {
      handleFaults = new FaultBook(plan);
      for (const connection of open.values()) connection.armSessionExpiry();
    },
    connections: () => open.size,
    dropAll(): void {
      for (const [ws, connection] of open) {
        connection.drop();
        open.delete(ws);
      }
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const [ws, connection] of open) {
          connection.dispose();
          ws.close(1001, 'simulator closing');
        }
        // Sockets that do not finish the close handshake promptly are cut, so close() never hangs a test.
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
          http.closeAllConnections();
        }, 500);
        wss.close();
        http.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return closing;
    },
  };
}
