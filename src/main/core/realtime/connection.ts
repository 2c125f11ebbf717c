/**
 * The Realtime socket: opens it with `ws`, parses every frame, and keeps it up.
 *
 * connecting → connected → (drop) reconnecting → connected … ; close() → closed; a cause that
 * retrying cannot fix (bad key, missing model, beta dialect) → failed. Listeners can throw without
 * hurting the socket; frames that fail to parse are reported and skipped.
 */
import WebSocket from 'ws';
import {
  BETA_DISABLED_WORDS,
  SESSION_EXPIRED_WORDS,
  describeClose,
  describeHttpStatus,
  describeNetworkError,
  upgradeStatus,
  type Outcome,
} from './close-reasons';
import type {
  ConnectionStatus,
  Endpoint,
  RealtimeClientEvent,
  RealtimeConnection,
  RealtimeServerEvent,
  UnknownServerEvent,
} from './connection-types';
import { parseServerEvent } from './events';
import { systemClock, type Clock } from '../clock';
import { errorMessage } from '../../../shared/error-message';

/** The part of `ws`'s WebSocket this module uses; tests may pass their own. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed (the WebSocket constants). */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping?(): void;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'pong', listener: () => void): unknown;
}

/** Opens a socket; must not send anything itself. */
export type SocketFactory = (url: string, headers: Record<string, string>) => WebSocketLike;

/** Exponential backoff: initialMs · factor^(n-1), capped at maxMs, ± jitter (0..1, a fraction). */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
}

export interface ConnectionOptions {
  socketFactory?: SocketFactory;
  backoff?: Partial<BackoffOptions>;
  /** Consecutive failed attempts before giving up (state failed). Default: keep trying. */
  maxAttempts?: number;
  /** Time and timers, so backoff can be tested without waiting; now() gives ConnectionStatus.retryAt. */
  clock?: Clock;
  /** Random source for jitter (0 ≤ x < 1). */
  random?: () => number;
  /** Opening handshake limit. Default 15 s. */
  handshakeTimeoutMs?: number;
  /**
   * Ping every intervalMs; no pong within timeoutMs → the socket is treated as dropped (a laptop
   * that slept leaves sockets half-open). false disables. Default 15 s / 10 s.
   */
  keepAlive?: { intervalMs: number; timeoutMs: number } | false;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.25,
});

const OPEN = 1;
const CLOSE_GRACE_MS = 2000;

/** The real factory: a `ws` client with our headers and a handshake timeout. */
export function wsSocketFactory(handshakeTimeoutMs = 15_000): SocketFactory {
  return (url, headers) =>
    new WebSocket(url, { headers, handshakeTimeout: handshakeTimeoutMs, perMessageDeflate: false });
}

/** Delay before attempt n (1-based) of a reconnect series. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    options.maxMs,
    options.initialMs * Math.pow(options.factor, Math.max(0, attempt - 1)),
  );
  const spread = base * Math.min(1, Math.max(0, options.jitter));
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/** Creates a connection for `endpoint`; nothing happens until connect(). */
export function createConnection(endpoint: Endpoint, options: ConnectionOptions = {}): RealtimeConnection {
  return new Connection(endpoint, options);
}

type Listener<A extends unknown[]> = (...args: A) => void;

class Connection implements RealtimeConnection {
  private current: ConnectionStatus = { state: 'closed' };
  private socket: WebSocketLike | null = null;
  /** Bumped for every socket; events from an older socket are ignored. */
  private generation = 0;
  private wanted = false;
  /** Consecutive attempts that did not reach a working session. */
  private failures = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  /** Set by an error event that decides how the coming close is read. */
  private pendingOutcome: Outcome | null = null;

  private readonly factory: SocketFactory;
  private readonly backoff: BackoffOptions;
  private readonly maxAttempts: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly keepAlive: { intervalMs: number; timeoutMs: number } | false;

  private readonly eventListeners = new Set<Listener<[RealtimeServerEvent]>>();
  private readonly unknownListeners = new Set<Listener<[UnknownServerEvent]>>();
  private readonly malformedListeners = new Set<Listener<[string, string]>>();
  private readonly statusListeners = new Set<Listener<[ConnectionStatus]>>();

  constructor(
    private readonly endpoint: Endpoint,
    options: ConnectionOptions,
  ) {
    this.factory = options.socketFactory ?? wsSocketFactory(options.handshakeTimeoutMs);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.keepAlive = options.keepAlive ?? { intervalMs: 15_000, timeoutMs: 10_000 };
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  connect(): void {
    const state = this.current.state;
    if (this.socket && (state === 'connecting' || state === 'connected' || state === 'reconnecting')) return;
    if (state === 'reconnecting' && this.retryTimer !== null) {
      // Waiting out a backoff: the user asked, so try now.
      this.cancelRetry();
      this.attempt();
      return;
    }
    this.wanted = true;
    this.failures = 0;
    this.setStatus({ state: 'connecting' });
    this.attempt();
  }

  close(): void {
    this.wanted = false;
    this.cancelRetry();
    this.stopKeepAlive();
    this.pendingOutcome = null;
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    if (socket) this.closeQuietly(socket, 1000, 'client closing');
    if (this.current.state !== 'closed') this.setStatus({ state: 'closed' });
  }

  send(event: RealtimeClientEvent): boolean {
    const socket = this.socket;
    if (this.current.state !== 'connected' || !socket || socket.readyState !== OPEN) return false;
    let text: string;
    try {
      text = JSON.stringify(event);
    } catch {
      return false; // cyclic or BigInt: nothing sensible to put on the wire
    }
    try {
      socket.send(text);
      return true;
    } catch {
      return false;
    }
  }

  onEvent(listener: (event: RealtimeServerEvent) => void): () => void {
    return subscribe(this.eventListeners, listener);
  }

  onUnknown(listener: (event: UnknownServerEvent) => void): () => void {
    return subscribe(this.unknownListeners, listener);
  }

  onMalformed(listener: (raw: string, problem: string) => void): () => void {
    return subscribe(this.malformedListeners, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return subscribe(this.statusListeners, listener);
  }

  // ---- socket lifecycle ----------------------------------------------------------------------

  private attempt(): void {
    this.retryTimer = null;
    if (!this.wanted) return;
    const generation = ++this.generation;
    this.pendingOutcome = null;
    let socket: WebSocketLike;
    try {
      socket = this.factory(this.endpoint.url, this.endpoint.headers);
    } catch (error) {
      // e.g. an invalid URL: no socket, nothing to wait for.
      this.afterEnd(describeNetworkError(error, this.endpoint));
      return;
    }
    this.socket = socket;
    let lastError: unknown = null;
    const live = (): boolean => generation === this.generation;

    socket.on('open', () => {
      if (!live()) return;
      this.setStatus({ state: 'connected' });
      this.startKeepAlive(socket, live);
    });
    socket.on('message', (data, isBinary) => {
      if (!live()) return;
      this.onFrame(socket, data, isBinary);
    });
    socket.on('pong', () => {
      if (live()) this.clearPongDeadline();
    });
    socket.on('error', (error) => {
      // ws always follows an error with 'close'; the decision is made there.
      if (live()) lastError = error;
    });
    socket.on('close', (code, reasonBuf) => {
      if (!live()) return;
      this.socket = null;
      this.stopKeepAlive();
      this.afterEnd(this.classifyEnd(code, bufferText(reasonBuf), lastError));
    });
  }

  private classifyEnd(code: number, reason: string, error: unknown): Outcome {
    if (this.pendingOutcome) return this.pendingOutcome;
    const status = upgradeStatus(error);
    if (status !== null) return describeHttpStatus(status, this.endpoint);
    // 1006 with an error before any open: a network failure, not a drop.
    if (error && code === 1006) return describeNetworkError(error, this.endpoint);
    return describeClose(code, reason);
  }

  private afterEnd(outcome: Outcome): void {
    this.pendingOutcome = null;
    if (!this.wanted) return;
    if (outcome.retry === 'never') {
      this.wanted = false;
      this.setStatus({ state: 'failed', code: outcome.code, reason: outcome.reason });
      return;
    }
    if (outcome.retry === 'now') {
      // A new session, not a failure: no backoff, no attempt counted.
      this.scheduleRetry(0, outcome);
      return;
    }
    this.failures++;
    if (this.failures > this.maxAttempts) {
      this.wanted = false;
      this.setStatus({
        state: 'failed',
        code: 'gave_up',
        reason: `Gave up after ${this.maxAttempts} attempts. Last problem: ${outcome.reason}`,
      });
      return;
    }
    this.scheduleRetry(backoffDelay(this.failures, this.backoff, this.random), outcome);
  }

  private scheduleRetry(delayMs: number, outcome: Outcome): void {
    this.cancelRetry();
    this.setStatus({
      state: 'reconnecting',
      code: outcome.code,
      reason: outcome.reason,
      retryAt: this.clock.now() + delayMs,
    });
    this.retryTimer = this.clock.setTimeout(() => this.attempt(), delayMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Asks the socket to close, and cuts it if the close handshake does not finish. */
  private closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
    try {
      socket.close(code, reason);
    } catch {
      // Already closing/closed: nothing more to do.
    }
    const grace = this.clock.setTimeout(() => {
      try {
        socket.terminate();
      } catch {
        // Already gone.
      }
    }, CLOSE_GRACE_MS);
    socket.on('close', () => this.clock.clearTimeout(grace));
  }

  // ---- frames --------------------------------------------------------------------------------

  private onFrame(socket: WebSocketLike, data: unknown, isBinary: boolean): void {
    const text = isBinary ? null : frameText(data);
    if (text === null) {
      this.emit(
        this.malformedListeners,
        `<binary frame ${byteLength(data)} bytes>`,
        'A binary frame: the Realtime protocol sends JSON text',
      );
      return;
    }
    const parsed = parseServerEvent(text);
    if (parsed.kind === 'malformed') {
      this.emit(this.malformedListeners, text, parsed.problem);
      return;
    }
    // The server is talking: this connection works, so the next drop starts a fresh backoff.
    this.failures = 0;
    if (parsed.kind === 'unknown') {
      this.emit(this.unknownListeners, parsed.event);
      return;
    }
    this.emit(this.eventListeners, parsed.event);
    if (parsed.event.type === 'error') this.classifyServerError(socket, parsed.event.error);
  }

  /** Errors that end the session: decide how the close reads, and close without waiting for the server. */
  private classifyServerError(socket: WebSocketLike, error: { code?: string | null; message: string }): void {
    let outcome: Outcome | null = null;
    if (error.code === 'session_expired' || /maximum duration/i.test(error.message)) {
      outcome = { code: 'session_expired', reason: SESSION_EXPIRED_WORDS, retry: 'now' };
    } else if (error.code === 'beta_api_shape_disabled') {
      outcome = { code: 'beta_api_shape_disabled', reason: BETA_DISABLED_WORDS, retry: 'never' };
    }
    if (!outcome || socket !== this.socket) return;
    this.pendingOutcome = outcome;
    this.closeQuietly(socket, 1000, 'session over');
  }

  // ---- keep-alive ----------------------------------------------------------------------------

  private startKeepAlive(socket: WebSocketLike, live: () => boolean): void {
    const keepAlive = this.keepAlive;
    if (!keepAlive || typeof socket.ping !== 'function') return;
    const tick = (): void => {
      if (!live() || socket.readyState !== OPEN) return;
      try {
        socket.ping?.();
      } catch {
        return;
      }
      if (this.pongTimer === null) {
        this.pongTimer = this.clock.setTimeout(() => {
          this.pongTimer = null;
          // No pong: the peer is gone. terminate() emits close 1006 → the usual reconnect path.
          if (live()) socket.terminate();
        }, keepAlive.timeoutMs);
      }
      this.pingTimer = this.clock.setTimeout(tick, keepAlive.intervalMs);
    };
    this.pingTimer = this.clock.setTimeout(tick, keepAlive.intervalMs);
  }

  private clearPongDeadline(): void {
    if (this.pongTimer !== null) this.clock.clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private stopKeepAlive(): void {
    if (this.pingTimer !== null) this.clock.clearTimeout(this.pingTimer);
    this.pingTimer = null;
    this.clearPongDeadline();
  }

  // ---- listeners -----------------------------------------------------------------------------

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    this.emit(this.statusListeners, status);
  }

  private emit<A extends unknown[]>(listeners: Set<Listener<A>>, ...args: A): void {
    for (const listener of [...listeners]) {
      try {
        listener(...args);
      } catch (error) {
        // A broken listener must not take the socket down; say so without the payload (it may be large).
        console.error('[realtime] a listener threw:', errorMessage(error));
      }
    }
  }
}

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

function frameText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return null;
}

function byteLength(data: unknown): number {
  if (Buffer.isBuffer(data)) return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (Array.isArray(data)) return (data as Buffer[]).reduce((n, b) => n + b.length, 0);
  return 0;
}

function bufferText(reason: unknown): string {
  if (Buffer.isBuffer(reason)) return reason.toString('utf8');
  return typeof reason === 'string' ? reason : '';
}
