/**
 * The event log: every event sent, received or raised locally, with times relative to the
 * connection and to the current turn. A ring (old entries fall off), safe to export (no audio, no key),
 * and delivered to the UI in coalesced batches so a 50-appends-a-second press costs ≤ 20 updates/s.
 */
import type { Direction, LogEntry } from '../../../shared/types';
import { systemClock, type Clock } from '../clock';
import { Coalescer } from '../coalesce';
import { sanitizeEvent } from './sanitize';
import { errorMessage } from '../../../shared/error-message';

/**
 * The timer half of a Clock, injectable so batching tests are deterministic. The log's times come from
 * its own monotonic `now` option, not from the clock's wall time.
 */
export type LogTimer = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

export interface EventLogOptions {
  /** Ring size; older entries are dropped. Default 20 000. */
  capacity?: number;
  /** Monotonic ms. Default performance.now. */
  now?: () => number;
  /** Default: the system clock's (the global setTimeout/clearTimeout). */
  timer?: LogTimer;
  /**
   * Minimum spacing of batches. Default 50 ms (≤ 20 batches per second: a log reader needs no more). The first
   * entry after a quiet spell goes out at once; see Coalescer.
   */
  batchMs?: number;
}

/** The turn an entry belongs to; `startedAt` is on the same monotonic clock as `now`. */
export interface TurnRef {
  id: string;
  startedAt: number;
}

export const DEFAULT_LOG_CAPACITY = 20_000;

/** Ring-buffered, sanitised record of protocol traffic. */
export class EventLog {
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly timer: LogTimer;
  private readonly batchMs: number;

  /** Circular buffer: `size` entries starting at `start`. */
  private readonly ring: (LogEntry | undefined)[];
  private start = 0;
  private size = 0;
  private seq = 0;
  private origin: number;

  private pending: LogEntry[] = [];
  private readonly batcher: Coalescer;
  private readonly listeners = new Set<(entries: LogEntry[]) => void>();
  private secrets: readonly string[] = [];

  constructor(options: EventLogOptions = {}) {
    const capacity = Math.floor(options.capacity ?? DEFAULT_LOG_CAPACITY);
    this.capacity = capacity >= 1 ? capacity : 1;
    this.now = options.now ?? (() => performance.now());
    this.timer = options.timer ?? systemClock;
    this.batchMs = options.batchMs ?? 50;
    const timer = this.timer;
    this.batcher = new Coalescer(() => this.flush(), this.batchMs, {
      now: this.now,
      setTimeout: (fn, ms) => timer.setTimeout(fn, ms),
      clearTimeout: (handle) => timer.clearTimeout(handle),
    });
    this.ring = new Array<LogEntry | undefined>(this.capacity);
    this.origin = this.now();
  }

  /** Sets t = 0 to now (call when the socket opens). Entries before it are timed from construction. */
  markConnected(): void {
    this.origin = this.now();
  }

  /**
   * Registers a value that must never appear in the log (e.g. the API key in use), on top of the
   * pattern-based scrubbing. Values shorter than 8 characters are ignored (they would mangle text).
   */
  addSecret(value: string): void {
    if (value.length >= 8 && !this.secrets.includes(value)) this.secrets = [...this.secrets, value];
  }

  /**
   * Records one event and returns the stored entry. Never throws on odd payloads. Any object with a
   * `type` is accepted (the SDK's event interfaces have no index signature, so `Record` would refuse them).
   */
  record<E extends { readonly type: string }>(dir: Direction, event: E, turn?: TurnRef): LogEntry {
    const at = this.now();
    const entry: LogEntry = {
      seq: ++this.seq,
      t: round1(at - this.origin),
      dir,
      type: typeof event.type === 'string' ? event.type : '(no type)',
      payload: sanitizeEvent(event, this.secrets),
    };
    if (turn) {
      entry.turnId = turn.id;
      entry.turnT = round1(at - turn.startedAt);
    }
    this.push(entry);
    if (this.listeners.size > 0) {
      this.pending.push(entry);
      this.scheduleFlush();
    }
    return entry;
  }

  /** Entries in order; with `sinceSeq`, only those recorded after it. */
  entries(sinceSeq?: number): LogEntry[] {
    const firstSeq = this.seq - this.size + 1;
    const skip = sinceSeq === undefined ? 0 : Math.max(0, Math.min(this.size, sinceSeq - firstSeq + 1));
    const out: LogEntry[] = [];
    for (let i = skip; i < this.size; i++) {
      const entry = this.ring[(this.start + i) % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Empties the log (sequence numbers keep counting, so cursors stay valid). */
  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.pending = [];
  }

  /** One JSON object per line, oldest first. */
  toJSONL(): string {
    const lines = this.entries().map((e) => JSON.stringify(e));
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  /** New entries, at most one batch per `batchMs`. Returns an unsubscribe function. */
  onBatch(listener: (entries: LogEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.cancelFlush();
    };
  }

  /** Stops the batch timer (call on shutdown). */
  dispose(): void {
    this.cancelFlush();
    this.listeners.clear();
  }

  private push(entry: LogEntry): void {
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = entry;
      this.size++;
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  private scheduleFlush(): void {
    this.batcher.request();
  }

  private cancelFlush(): void {
    this.batcher.cancel();
    this.pending = [];
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(batch.slice());
      } catch (error) {
        console.error('[eventlog] a batch listener threw:', errorMessage(error));
      }
    }
  }
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
