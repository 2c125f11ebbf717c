/**
 * One reply's playback queue, read by a device clock in fixed ticks. Pure and deterministic: the caller (an engine)
 * decides when a tick happens. It gives:
 * - a start-up jitter buffer (start once `prebufferMs` is queued, the reply ended, or `prebufferMs` of ticks passed);
 * - drain vs. flush: after end() everything queued is played; flush() (barge-in) fades out over `fadeMs` and drops
 *   the rest; a short fade-in at the very start so the first sample does not click;
 * - an exact content counter per tick, so "samples played" can be read at any device position.
 */
import { msToSamples } from './pcm';

export interface PlaybackBufferOptions {
  /** Samples per second of the PCM written (the wire rate). */
  rate: number;
  /** Audio to hold before starting (absorbs network jitter). Default 50 ms. */
  prebufferMs?: number;
  /** Fade-in at start and fade-out on flush. Default 5 ms. */
  fadeMs?: number;
}

export type PlaybackBufferState = 'buffering' | 'playing' | 'drained' | 'flushed';

/** What one tick hands to the device: always `samples.length` samples; the first `content` are reply audio. */
export interface PlaybackTick {
  samples: Int16Array;
  content: number;
}

/** Jitter buffer plus played-sample timeline for one reply. */
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
  private waitedSamples = 0;
  private fadeInLeft: number;
  private readonly prebuffer: number;
  private readonly fade: number;
  private stateValue: PlaybackBufferState = 'buffering';
  /** Content samples per tick, and their running totals, in tick order. */
  private readonly tickContent: number[] = [];
  private readonly tickContentBefore: number[] = [];
  private tickSize = 0;

  constructor(options: PlaybackBufferOptions) {
    this.prebuffer = msToSamples(options.prebufferMs ?? 50, options.rate);
    this.fade = Math.max(1, msToSamples(options.fadeMs ?? 5, options.rate));
    this.fadeInLeft = this.fade;
  }

  /** Current state. */
  get state(): PlaybackBufferState {
    return this.stateValue;
  }

  /** Queues reply audio. Ignored after flush (a late delta of a cancelled reply must not play). */
  write(samples: Int16Array): void {
    if (this.flushPending || this.flushTotal !== null || this.ended) return;
    if (samples.length === 0) return;
    this.queue.push(samples);
    this.queued += samples.length;
    this.receivedCount += samples.length;
  }

  /** No more audio: everything queued will be played (never drop the tail). */
  end(): void {
    this.ended = true;
  }

  /**
   * Barge-in: the next tick carries a fade-out of at most `fadeMs` of what is queued, then only silence.
   * Returns the content samples that will have reached the device in all (emitted so far + the fade).
   */
  flush(): number {
    if (this.flushTotal !== null) return this.flushTotal;
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
      this.waitedSamples += this.queued > 0 || this.started ? n : 0;
      if (
        this.queued >= this.prebuffer ||
        (this.ended && this.queued > 0) ||
        (this.queued > 0 && this.waitedSamples > this.prebuffer)
      ) {
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
          // Starved mid-reply: a gap the user hears. Count it and rebuild the cushion before resuming.
          this.underrunCount++;
          this.stateValue = 'buffering';
          this.waitedSamples = 0;
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
