/**
 * One reply's playback queue, read by a device clock in fixed ticks. Deterministic: the caller (an engine) decides
 * when a tick happens, and the clock is injected. It gives:
 * - a playout delay timed in milliseconds: a reply starts a set delay after its first audio arrives, whatever the
 *   delta sizes, and the delay is applied again after a mid-reply underrun (see PlayoutDelay for how it adapts);
 * - drain vs. flush: after end() everything queued is played; flush() (barge-in) fades out over `fadeMs` and drops
 *   the rest; a short fade-in at the very start so the first sample does not click;
 * - an exact content counter per tick, so "samples played" can be read at any device position (a tick's lead
 *   silence is never counted as reply audio).
 */
import { msToSamples } from './pcm';

export interface PlaybackBufferOptions {
  /** Samples per second of the PCM written (the wire rate). */
  rate: number;
  /**
   * The playout delay: how long after the first audio (and after the audio that follows an underrun) playing
   * starts. A number is a fixed delay in ms; a PlayoutDelay adapts across replies. Default: a fixed 10 ms.
   */
  delay?: number | PlayoutDelay;
  /** Fade-in at start and fade-out on flush. Default 5 ms. */
  fadeMs?: number;
  /** Monotonic ms (default performance.now). */
  now?: () => number;
}

export interface PlayoutDelayOptions {
  /** The delay a new engine starts from (ms). Default 10. */
  initialMs?: number;
  /** Never below this (ms). Default 10. */
  minMs?: number;
  /** Never above this (ms). Default 120. */
  maxMs?: number;
  /** Added to the lateness seen, for the jitter still to come (ms). Default 5. */
  marginMs?: number;
  /** How much of the excess over what a reply needed goes per reply (0..1). Default 0.25: a busy spell passes. */
  shrinkBy?: number;
  /** Delta length assumed before a reply's second delta shows the server's (ms). Default 40. */
  cadenceMs?: number;
}

/**
 * The playout delay, adapted to how late the server's audio arrives against the audio clock. A delta's lateness is
 * how long after its first sample was due it arrived, were playback to start the moment the reply's first audio
 * arrived; the delay must cover the largest. It grows at once to cover a late delta or an underrun, and shrinks
 * slowly (a quarter of the excess per reply) towards what recent replies needed. Before a reply's second delta the
 * delta length is not known yet: a first delta shorter than the usual one is followed by a wait of the difference.
 */
export class PlayoutDelay {
  private readonly min: number;
  private readonly max: number;
  private readonly margin: number;
  private readonly shrink: number;
  private currentMs: number;
  private cadence: number;
  constructor(options: PlayoutDelayOptions = {}) {
    this.min = options.minMs ?? 10;
    this.max = options.maxMs ?? 120;
    this.margin = options.marginMs ?? 5;
    this.shrink = options.shrinkBy ?? 0.25;
    this.currentMs = this.clamp(options.initialMs ?? 10);
    this.cadence = options.cadenceMs ?? 40;
  }

  /** The delay now (ms). */
  get ms(): number {
    return this.currentMs;
  }

  /** The delay for a reply whose first delta holds `firstMs` of audio. */
  forStart(firstMs: number): number {
    return this.clamp(Math.max(this.currentMs, this.cadence - firstMs + this.margin));
  }

  /** A delta arrived `latenessMs` after its first sample was due (see class comment). */
  late(latenessMs: number): void {
    if (latenessMs + this.margin > this.currentMs) this.currentMs = this.clamp(latenessMs + this.margin);
  }

  /** Playback ran dry mid-reply: the delay was too short by at least `shortByMs`. */
  underrun(shortByMs: number): void {
    this.currentMs = this.clamp(this.currentMs + Math.max(this.margin, shortByMs));
  }

  /** A reply ended; it needed `neededMs` (its largest lateness) and its deltas were about `deltaMs` long. */
  replyEnded(neededMs: number, deltaMs: number | null): void {
    if (deltaMs !== null && deltaMs > 0) this.cadence = deltaMs;
    const target = this.clamp(neededMs + this.margin);
    if (target < this.currentMs)
      this.currentMs = Math.max(
        target,
        this.currentMs - Math.max(1, (this.currentMs - target) * this.shrink),
      );
  }

  private clamp(ms: number): number {
    return Math.min(this.max, Math.max(this.min, ms));
  }
}

export type PlaybackBufferState = 'buffering' | 'playing' | 'drained' | 'flushed';

/** What one tick hands to the device: always `samples.length` samples; the first `content` are reply audio. */
export interface PlaybackTick {
  samples: Int16Array;
  content: number;
}

/** Playout delay plus played-sample timeline for one reply. */
export class PlaybackBuffer {
  private readonly queue: Int16Array[] = [];
  private head = 0; // read offset into queue[0]
  private queued = 0;
  private receivedCount = 0;
  private emittedCount = 0;
  private underrunCount = 0;
  private ended = false;
  private flushPending = false;
  private flushTotal: number | null = null;
  private started = false;
  private fadeInLeft: number;
  private readonly rate: number;
  private readonly delay: PlayoutDelay | number;
  private readonly now: () => number;
  private readonly fade: number;
  /** When playing (re)starts (ms), once audio is queued; null before the first audio of a start. */
  private startAt: number | null = null;
  /** When sample 0 would have had to arrive for every delta so far to be on time (ms). */
  private anchor: number | null = null;
  private maxLateness = 0;
  private rebase = false;
  private writes = 0;
  private firstWriteSamples = 0;
  private laterWriteSamples = 0;
  private reported = false;
  private stateValue: PlaybackBufferState = 'buffering';
  /** Content samples per tick, and their running totals, in tick order. */
  private readonly tickContent: number[] = [];
  private readonly tickContentBefore: number[] = [];
  private tickSize = 0;

  constructor(options: PlaybackBufferOptions) {
    this.rate = options.rate;
    this.delay = options.delay ?? 10;
    this.now = options.now ?? ((): number => performance.now());
    this.fade = Math.max(1, msToSamples(options.fadeMs ?? 5, options.rate));
    this.fadeInLeft = this.fade;
  }

  /** Current state. */
  get state(): PlaybackBufferState {
    return this.stateValue;
  }

  /**
   * Queues reply audio that arrived at `arrivedAt` (default now, on the injected clock). Ignored after flush (a late
   * delta of a cancelled reply must not play).
   */
  write(samples: Int16Array, arrivedAt?: number): void {
    if (this.flushPending || this.flushTotal !== null || this.ended) return;
    if (samples.length === 0) return;
    const now = Math.min(arrivedAt ?? Infinity, this.now());
    const ms = (samples.length * 1000) / this.rate;
    const due = (this.receivedCount * 1000) / this.rate;
    if (this.anchor === null) this.anchor = now - due;
    const lateness = now - (this.anchor + due);
    this.maxLateness = Math.max(this.maxLateness, lateness);
    if (typeof this.delay !== 'number') this.delay.late(lateness);
    // After an underrun the schedule starts afresh from this audio (its lateness was counted just above).
    if (this.rebase) {
      this.rebase = false;
      this.anchor = now - due;
    }
    if (this.writes === 0) this.firstWriteSamples = samples.length;
    else this.laterWriteSamples += samples.length;
    this.writes++;
    if (this.stateValue === 'buffering' && this.startAt === null) {
      const delay = typeof this.delay === 'number' ? this.delay : this.delay.forStart(this.started ? 0 : ms);
      this.startAt = now + (this.started && typeof this.delay !== 'number' ? this.delay.ms : delay);
    }
    this.queue.push(samples);
    this.queued += samples.length;
    this.receivedCount += samples.length;
  }

  /** When playing will (re)start (ms, on the injected clock), or null while there is nothing to wait for. */
  get startsAt(): number | null {
    return this.stateValue === 'buffering' && this.queued > 0 ? this.startAt : null;
  }

  /** No more audio: everything queued will be played (never drop the tail). */
  end(): void {
    this.ended = true;
    this.report();
  }

  /** Tells the adaptive delay what this reply needed (once). */
  private report(): void {
    if (this.reported || typeof this.delay === 'number') return;
    this.reported = true;
    const later = this.writes - 1;
    const deltaMs = later > 0 ? (this.laterWriteSamples / later) * (1000 / this.rate) : null;
    this.delay.replyEnded(Math.max(0, this.maxLateness), deltaMs);
  }

  /**
   * Barge-in: the next tick carries a fade-out of at most `fadeMs` of what is queued, then only silence.
   * Returns the content samples that will have reached the device in all (emitted so far + the fade).
   */
  flush(): number {
    if (this.flushTotal !== null) return this.flushTotal;
    this.report();
    if (this.stateValue === 'drained') {
      this.flushTotal = this.emittedCount;
      return this.flushTotal;
    }
    const fadeLen = this.started ? Math.min(this.fade, this.queued) : 0;
    this.flushPending = fadeLen > 0;
    this.flushTotal = this.emittedCount + fadeLen;
    if (!this.flushPending) this.stateValue = 'flushed';
    return this.flushTotal;
  }

  /** The device is gone: stop without a fade (nothing more can be heard). Returns the content that was handed over. */
  abort(): number {
    if (this.flushTotal === null || this.flushPending) {
      this.flushPending = false;
      this.flushTotal = this.emittedCount;
      this.dropAll();
      this.stateValue = 'flushed';
    }
    return this.flushTotal;
  }

  /**
   * The device ran dry mid-reply though this buffer was playing (the engine's own queue emptied between deltas): an
   * underrun like one seen here, so the playout delay is applied again from the next audio.
   */
  starved(): void {
    if (this.stateValue !== 'playing' || this.ended) return;
    this.underrunCount++;
    this.stateValue = 'buffering';
    this.rebase = true;
    if (typeof this.delay !== 'number') this.delay.underrun(0);
    const delay = typeof this.delay === 'number' ? this.delay : this.delay.ms;
    this.startAt = this.queued > 0 ? this.now() + delay : null;
  }

  /** Hands the device the next `n` samples. */
  read(n: number): PlaybackTick {
    if (this.tickSize === 0) this.tickSize = n;
    else if (n !== this.tickSize) throw new RangeError('PlaybackBuffer ticks must all be the same size.');
    const out = new Int16Array(n);
    let content = 0;
    if (this.flushPending) {
      content = this.take(out, Math.min(this.fade, this.queued));
      for (let i = 0; i < content; i++) out[i] = Math.round((out[i] ?? 0) * (1 - (i + 1) / content));
      this.dropAll();
      this.flushPending = false;
      this.stateValue = 'flushed';
    } else if (this.stateValue === 'buffering') {
      if (this.queued > 0 && (this.ended || (this.startAt !== null && this.now() >= this.startAt))) {
        this.stateValue = 'playing';
        this.started = true;
        content = this.take(out, n);
      } else if (this.ended && this.queued === 0) {
        this.stateValue = 'drained';
      }
    } else if (this.stateValue === 'playing') {
      content = this.take(out, n);
      if (content < n) {
        if (this.ended) this.stateValue = 'drained';
        else {
          // Starved mid-reply: a gap the user hears. Count it, and apply the delay again from the next audio, on a
          // schedule that starts afresh there.
          this.underrunCount++;
          this.stateValue = 'buffering';
          this.startAt = null;
          this.rebase = true;
          if (typeof this.delay !== 'number') this.delay.underrun(0);
        }
      }
    }
    if (this.fadeInLeft > 0 && content > 0) {
      const start = this.fade - this.fadeInLeft;
      const len = Math.min(this.fadeInLeft, content);
      for (let i = 0; i < len; i++) out[i] = Math.round((out[i] ?? 0) * ((start + i + 1) / this.fade));
      this.fadeInLeft -= len;
    }
    this.tickContentBefore.push(this.emittedCount);
    this.tickContent.push(content);
    this.emittedCount += content;
    return { samples: out, content };
  }

  /** Content samples heard once the device has consumed `deviceSamples` samples of this buffer's ticks. */
  playedAt(deviceSamples: number): number {
    if (this.tickSize === 0 || deviceSamples <= 0) return 0;
    const index = Math.floor(deviceSamples / this.tickSize);
    if (index >= this.tickContent.length) return this.emittedCount;
    const within = deviceSamples - index * this.tickSize;
    return (this.tickContentBefore[index] ?? 0) + Math.min(this.tickContent[index] ?? 0, within);
  }

  /** Device samples (ticks × size) after which the last content sample was handed over. */
  get contentEndPosition(): number {
    for (let i = this.tickContent.length - 1; i >= 0; i--) {
      const c = this.tickContent[i] ?? 0;
      if (c > 0) return i * this.tickSize + c;
    }
    return 0;
  }

  /** True once end() was called (no more audio will be written). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Samples written through write(). */
  get received(): number {
    return this.receivedCount;
  }

  /** Content samples handed to the device so far. */
  get emitted(): number {
    return this.emittedCount;
  }

  /** Times playback starved mid-reply (each one is an audible gap). */
  get underruns(): number {
    return this.underrunCount;
  }

  /** Samples waiting to be played. */
  get pending(): number {
    return this.queued;
  }

  private take(out: Int16Array, n: number): number {
    let filled = 0;
    while (filled < n && this.queue.length > 0) {
      const first = this.queue[0] as Int16Array;
      const count = Math.min(n - filled, first.length - this.head);
      out.set(first.subarray(this.head, this.head + count), filled);
      filled += count;
      this.head += count;
      if (this.head >= first.length) {
        this.queue.shift();
        this.head = 0;
      }
    }
    this.queued -= filled;
    return filled;
  }

  private dropAll(): void {
    this.queue.length = 0;
    this.head = 0;
    this.queued = 0;
  }
}
