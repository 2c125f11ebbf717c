/**
 * A reply's output stream with a true clock, on Talkie's patched naudiodon (patches/naudiodon+2.3.6.patch): on the
 * sound server's devices a PulseAudio stream written as audio arrives (output-pulse.ts), elsewhere PortAudio, whose
 * audio callback never blocks (it plays silence when nothing is queued) and counts the frames it took and when each
 * callback reaches the DAC. Either way flushOut() drops everything queued. So:
 * - between replies nothing is written (no silence feed, no queued silence ahead of the next reply's first sample);
 * - during a reply up to `cushionMs` of audio waits in the stream's queue, riding out main-thread stalls;
 * - "heard" is the sound server's playback clock (or PortAudio's DAC timeline), and barge-in drops the queue at
 *   once, then fades out from exactly the first sample that was not played.
 */
import { WIRE_RATE } from '../../core/audio/engine';
import { float32ToPcm16, int16ToPcm16, msToSamples } from '../../core/audio/pcm';
import type { PlaybackBuffer } from '../../core/audio/playback-buffer';
import { StreamingResampler } from '../../core/audio/resampler';
import type { PortDevice } from './devices';
import { openAtBestRate, openError } from './errors';
import { stopStream } from './input';
import type { NaudiodonModule } from './load';
import { openPulseStream, type PulseStreamOptions } from './output-pulse';
import { pulseFor } from './pulse-api';
import type { OutputPumpLike, PlayHooks, PlaySession } from './session';

/** Callbacks PortAudio runs at start() to fill the device buffer, before the device consumes anything. */
const PREFILL_CALLBACKS = 3;

/** How often a playing reply's queue is topped up (well inside the cushion). */
const FEED_INTERVAL_MS = 20;

/** An output stream's clock: frames taken from what was written, and frames heard. */
export interface ClockedStats {
  /** Frames that left the stream's queue for the device: they will be heard whatever happens next. */
  framesHanded: number;
  framesHeard: number;
  outputLatency: number;
  underflows: number;
  /** PortAudio: device callbacks so far (above zero once the stream really runs). */
  callbacks?: number;
  /** Streams that know directly whether they run (the PulseAudio stream) say so. */
  live?: boolean;
  /**
   * The device played everything written (the PulseAudio stream: the server's underflow notice). Without it, an
   * empty queue means so: PortAudio's callback takes audio only as it plays it.
   */
  ranDry?: boolean;
}

/** What the pump drives: the patched naudiodon output stream, or the PulseAudio stream (output-pulse.ts). */
export interface ClockedStream {
  write(bytes: Buffer): unknown;
  start(): void;
  quit(cb?: () => void): void;
  abort(cb?: () => void): void;
  stats(): ClockedStats;
  flushOut(): number;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

export interface ClockedOutputOptions {
  periodMs: number;
  /** Reply audio kept queued ahead of the device. */
  cushionMs: number;
  /** Fade-out on barge-in (ms). */
  fadeMs: number;
  deviceRate?: number;
  onLost: (reason: string) => void;
  /** A reply's queue that stops moving for this long means the device is gone. */
  stallMs: number;
  /** How long a fresh stream may take before it consumes anything (PulseAudio can take a while to start one). */
  startGraceMs: number;
  /**
   * Write to the sound server directly when the device is ALSA's "pulse" or "default" (see output-pulse.ts);
   * null keeps PortAudio.
   */
  pulse?: PulseStreamOptions | null;
}

/** True when this naudiodon build carries the patch (stats/flushOut on output streams). */
function isClockedBuild(lib: NaudiodonModule, probe: unknown): boolean {
  void lib;
  const s = probe as Partial<ClockedStream>;
  return typeof s.stats === 'function' && typeof s.flushOut === 'function';
}

/** Output stream with a native clock (see module comment). */
export class ClockedOutputPump implements OutputPumpLike {
  private closed = false;
  private written = 0; // device frames written by this pump
  private session: { stop(): void } | null = null;
  /** Underflows seen mid-reply (an empty queue while a reply was still playing). */
  gaps = 0;
  /** Times a reply's jitter buffer starved (the network fell behind playback): audible gaps too. */
  starved = 0;
  readonly live: Promise<void>;

  private constructor(
    private readonly stream: ClockedStream,
    readonly device: PortDevice,
    readonly rate: number,
    private readonly options: ClockedOutputOptions,
    /** Which path plays: the sound server directly, or PortAudio (benchmarks print it). */
    readonly backend: 'pulse' | 'portaudio',
  ) {
    stream.on('error', (error) => this.lose(`the device reported an error: ${error.message}`));
    // Live once the device has consumed ~100 ms past the prefill (PortAudio's first callbacks, one buffer of about
    // three periods, run at once; PulseAudio may take a second or two to really start a cold stream).
    const liveCallbacks = PREFILL_CALLBACKS + Math.ceil(100 / options.periodMs);
    this.live = new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const poll = setInterval(() => {
        if (this.closed) {
          clearInterval(poll);
          reject(new Error('the stream closed before it started'));
        } else if (isLive(this.stream.stats(), liveCallbacks)) {
          clearInterval(poll);
          resolve();
        } else if (performance.now() - started > options.startGraceMs) {
          clearInterval(poll);
          this.lose('the device never started');
          reject(new Error('the device never started'));
        }
      }, 5);
    });
    this.live.catch(() => undefined);
  }

  /**
   * Opens the stream (24 kHz when the device takes it) if the build is patched; null when it is not. On the sound
   * server's devices it writes to the server directly when it can (options.pulse), else through PortAudio.
   */
  static open(
    lib: NaudiodonModule,
    device: PortDevice,
    options: ClockedOutputOptions,
  ): ClockedOutputPump | null {
    // A forced device rate is a request for PortAudio's device stream (and our resampler): the server takes 24 kHz.
    const pulse = options.pulse && !options.deviceRate ? pulseFor(lib, device) : null;
    if (pulse && options.pulse) {
      try {
        const stream = openPulseStream(pulse, WIRE_RATE, options.pulse);
        return new ClockedOutputPump(stream, device, WIRE_RATE, options, 'pulse');
      } catch {
        // No server to talk to (or it refused): PortAudio's ALSA path below still plays.
      }
    }
    const { stream, rate } = openAtBestRate(
      device,
      options.deviceRate,
      'output',
      (rate) =>
        lib.AudioIO({
          outOptions: {
            channelCount: 1,
            sampleFormat: lib.SampleFormat16Bit,
            sampleRate: rate,
            deviceId: device.id,
            closeOnError: false,
            framesPerBuffer: Math.round((rate * options.periodMs) / 1000),
            // Far more slots than the cushion ever uses, so a write never blocks a libuv thread.
            maxQueue: 1024,
          },
        }) as unknown as ClockedStream,
    );
    if (!isClockedBuild(lib, stream)) {
      void stopStream(stream as never, 'abort');
      return null;
    }
    const pump = new ClockedOutputPump(stream, device, rate, options, 'portaudio');
    try {
      stream.start();
    } catch (error) {
      void pump.close();
      throw openError(error, 'output', device.name);
    }
    return pump;
  }

  get running(): boolean {
    return !this.closed;
  }

  /** Plays one reply from `buffer`. */
  play(buffer: PlaybackBuffer, hooks: PlayHooks): PlaySession {
    this.session?.stop();
    const toWire = WIRE_RATE / this.rate;
    const tickSamples = msToSamples(this.options.periodMs, WIRE_RATE);
    const cushionFrames = Math.round((this.options.cushionMs * this.rate) / 1000);
    const resampler = this.rate === WIRE_RATE ? null : new StreamingResampler(WIRE_RATE, this.rate);
    const startFrames = this.stream.stats().framesHanded;
    const writtenAtStart = this.written;
    // Reply audio written so far (24 kHz), to fade out from the exact first unplayed sample on barge-in.
    const history: Int16Array[] = [];
    let historySamples = 0;
    let started = false;
    let finished = false;
    let flushedTotal: number | null = null;
    let lastProgressAt = performance.now();
    let lastHanded = startFrames;
    let inGap = false;
    let tailFlushed = false;
    let startTimer: ReturnType<typeof setTimeout> | null = null;

    const stats = (): ClockedStats => this.stats();
    const heardWire = (): number => {
      if (flushedTotal !== null)
        return Math.min(flushedTotal, Math.round((stats().framesHeard - startFrames) * toWire));
      const h = Math.round((stats().framesHeard - startFrames) * toWire);
      return Math.max(0, Math.min(h, historySamples));
    };
    const write = (samples: Int16Array): void => {
      const bytes = resampler ? float32ToPcm16(resampler.process(toFloat(samples))) : int16ToPcm16(samples);
      this.written += bytes.length / 2;
      this.stream.write(bytes);
    };
    const feed = (): void => {
      if (finished || this.closed || flushedTotal !== null) return;
      const st = stats();
      const queued = this.written - st.framesHanded;
      // Progress watchdog: a reply whose queue does not move means the device stopped taking audio.
      if (st.framesHanded !== lastHanded || queued <= 0) {
        lastHanded = st.framesHanded;
        lastProgressAt = performance.now();
      } else if (
        performance.now() - lastProgressAt >
        (st.framesHanded > 0 ? this.options.stallMs : this.options.startGraceMs)
      ) {
        this.lose('the device stopped taking audio');
        return;
      }
      // Not "heard caught up with written" for the PulseAudio stream: its interpolated clock can touch the end of
      // what was written while the server still has audio, and a false gap here would hold the next audio back.
      if (started && (st.ranDry ?? queued <= 0) && buffer.state === 'playing' && !inGap) {
        inGap = true;
        this.gaps++;
        // Ran dry between deltas: wait the playout delay again rather than play each late delta as it comes.
        buffer.starved();
      }
      let room = cushionFrames - Math.max(0, queued);
      const batch: Int16Array[] = [];
      while (room > 0) {
        // Take whole ticks only while a reply streams in, so a slow network never splits a tick into a gap.
        if (buffer.state === 'playing' && buffer.pending < tickSamples && !buffer.isEnded) break;
        const t = buffer.read(tickSamples);
        if (t.content === 0) break;
        const content = t.samples.subarray(0, t.content);
        history.push(content);
        historySamples += content.length;
        hooks.onContent(content);
        batch.push(content);
        inGap = false;
        room -= Math.round(content.length / toWire);
      }
      // One write per feed: each write is a round trip through the main thread before the device gets the next, so
      // tick-sized writes could leave the device dry behind audio already written.
      if (batch.length > 0)
        write(
          slice(
            batch,
            0,
            batch.reduce((n, c) => n + c.length, 0),
          ),
        );
      // The playout delay ends between our periodic feeds: feed again at that very moment.
      const startsAt = buffer.startsAt;
      if (startsAt !== null && startTimer === null) {
        startTimer = setTimeout(
          () => {
            startTimer = null;
            feed();
          },
          Math.max(0, startsAt - performance.now()),
        );
      }
      if (buffer.state === 'drained' && resampler && !tailFlushed) {
        // The resampler holds back its look-ahead until the end: the reply's last milliseconds.
        tailFlushed = true;
        const tail = float32ToPcm16(resampler.flush());
        this.written += tail.length / 2;
        if (tail.length > 0) this.stream.write(tail);
      }
      if (!started && st.framesHeard > startFrames) {
        started = true;
        hooks.onStarted();
      }
      if (buffer.state === 'drained' && this.written - writtenAtStart > 0 && st.framesHeard >= this.written) {
        finish();
        hooks.onDrained();
      } else if (buffer.state === 'drained' && historySamples === 0) {
        finish();
        hooks.onDrained();
      }
    };
    // New audio is fed the moment it arrives (write() kicks); the timer only tops the cushion up and notices the
    // start and the end, so it need not run at the device period (5 ms would be 200 main-thread wake-ups a second).
    const timer = setInterval(feed, Math.max(this.options.periodMs, FEED_INTERVAL_MS));
    const finish = (): void => {
      if (!finished) this.starved += buffer.underruns;
      finished = true;
      clearInterval(timer);
      if (startTimer) clearTimeout(startTimer);
      if (this.session === handle) this.session = null;
    };
    const handle = { stop: (): void => void session.flush() };
    this.session = handle;
    const session: PlaySession = {
      heard: heardWire,
      stopPoint: (): number => {
        if (flushedTotal !== null || finished) return heardWire();
        // What PortAudio took is in the sound server already and will be heard, then the fade.
        const handed = Math.min(historySamples, Math.round((stats().framesHanded - startFrames) * toWire));
        const heard = Math.max(0, Math.round((stats().framesHeard - startFrames) * toWire));
        return Math.min(
          historySamples,
          Math.max(handed, heard) + msToSamples(this.options.fadeMs, WIRE_RATE),
        );
      },
      kick: feed,
      flush: (): number => {
        if (flushedTotal !== null) return flushedTotal;
        if (finished) {
          flushedTotal = heardWire();
          return flushedTotal;
        }
        // Everything PortAudio took will be heard; the rest of the queue is dropped right now.
        const handedFrames = this.stream.flushOut();
        this.written = handedFrames;
        const handed = Math.max(
          0,
          Math.min(historySamples, Math.round((handedFrames - startFrames) * toWire)),
        );
        const fadeLen = Math.min(msToSamples(this.options.fadeMs, WIRE_RATE), historySamples - handed);
        const fade = slice(history, handed, fadeLen);
        for (let i = 0; i < fade.length; i++)
          fade[i] = Math.round((fade[i] ?? 0) * (1 - (i + 1) / fade.length));
        if (fade.length > 0) write(fade);
        buffer.abort();
        flushedTotal = handed + fade.length;
        finish();
        return flushedTotal;
      },
      abort: (): number => {
        if (flushedTotal === null)
          flushedTotal = finished ? heardWire() : Math.min(heardWire(), historySamples);
        buffer.abort();
        finish();
        return flushedTotal;
      },
      get finished(): boolean {
        return finished;
      },
    };
    feed();
    return session;
  }

  /** Current native counters (benchmarks, diagnostics); frozen at the moment the stream closed or was lost. */
  stats(): ClockedStats {
    if (this.closed && this.finalStats) return this.finalStats;
    const now = this.stream.stats();
    if (!this.lastLive || now.framesHeard >= this.lastLive.framesHeard) this.lastLive = now;
    return now;
  }

  /** The newest counters read while the stream was healthy (a failed stream's clock may read zero). */
  private lastLive: ClockedStats | null = null;

  private freezeStats(): void {
    const now = this.stream.stats();
    this.finalStats =
      this.lastLive && this.lastLive.framesHeard > now.framesHeard
        ? { ...now, framesHeard: this.lastLive.framesHeard }
        : now;
  }

  /** The counters as they were when the stream stopped (a closed PortAudio stream has no clock). */
  private finalStats: ClockedStats | null = null;

  async close(): Promise<void> {
    if (this.closed) return;
    this.freezeStats();
    this.closed = true;
    this.session?.stop();
    await stopStream(this.stream as never, 'abort');
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.freezeStats();
    this.closed = true;
    void stopStream(this.stream as never, 'abort');
    this.options.onLost(reason);
  }
}

/** Running: the stream says so, or PortAudio ran its prefill callbacks and ~100 ms past them. */
function isLive(stats: ClockedStats, liveCallbacks: number): boolean {
  return stats.live ?? (stats.callbacks ?? 0) >= liveCallbacks;
}

function toFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] ?? 0) / 32768;
  return out;
}

/** Copies `length` samples starting at absolute index `from` out of a list of chunks. */
function slice(chunks: Int16Array[], from: number, length: number): Int16Array {
  const out = new Int16Array(Math.max(0, length));
  let pos = 0;
  let filled = 0;
  for (const c of chunks) {
    if (filled >= out.length) break;
    const end = pos + c.length;
    if (end > from) {
      const start = Math.max(0, from + filled - pos);
      const take = Math.min(c.length - start, out.length - filled);
      if (take > 0) {
        out.set(c.subarray(start, start + take), filled);
        filled += take;
      }
    }
    pos = end;
  }
  return out;
}
