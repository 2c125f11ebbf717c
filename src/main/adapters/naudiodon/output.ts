/**
 * One running PortAudio output stream, fed one fixed tick (periodMs of audio) at a time, forever: reply audio when
 * a playback is active, silence otherwise. Keeping it running means a reply's first delta is heard after one
 * queue's worth of latency instead of a device open (hundreds of ms on PulseAudio).
 *
 * The device clock: naudiodon's write() resolves when its native queue (queueTicks slots, kept full) accepts the
 * chunk, i.e. when the PortAudio callback has taken the chunk queueTicks before it. So after write k resolves,
 * ticks 0..k-queueTicks are in PortAudio's hands; they reach the speaker `latencyMs` later (the ALSA/PulseAudio
 * buffer). That gives the speaker position at any instant without the library exposing a clock.
 */
import type { Writable } from 'node:stream';
import { WIRE_RATE } from '../../core/audio/engine';
import { float32ToPcm16, int16ToPcm16 } from '../../core/audio/pcm';
import { StreamingResampler } from '../../core/audio/resampler';
import type { PortDevice } from './devices';
import { isFormatError, openError } from './errors';
import { stopStream } from './input';
import type { NaudiodonModule } from './load';
import type { PlaybackBuffer } from '../../core/audio/playback-buffer';
import type { OutputPumpLike, PlayHooks, PlaySession } from './session';

type AudioStream = Writable & { start(): void; quit(cb?: () => void): void; abort(cb?: () => void): void };

/** Supplies one tick of 24 kHz audio (exactly `samples` long) for tick number `tick`. */
export type TickSource = (tick: number, samples: number) => Int16Array;

export interface OutputPumpOptions {
  periodMs: number;
  /** Periods naudiodon may hold ahead of the device: more rides out event-loop stalls, each adds a period of latency. */
  queueTicks: number;
  /** Open the device at this rate instead of trying 24 kHz first. */
  deviceRate?: number;
  /** Time from PortAudio taking a tick to it being heard (ALSA + sound server buffers). */
  latencyMs: number;
  /** No tick accepted for this long = the device is gone. */
  stallMs: number;
  startGraceMs: number;
  onLost: (reason: string) => void;
}

/**
 * A warm output stream with a speaker clock estimated from write acceptance. Used with an unpatched naudiodon build
 * (its callback blocks when starved, so this pump feeds silence between replies); see ClockedOutputPump otherwise.
 */
export class OutputPump implements OutputPumpLike {
  /** Wire samples per tick. */
  readonly tickSamples: number;
  private source: TickSource | null = null;
  private written = 0; // ticks handed to naudiodon
  /** Recent (tick accepted, time) pairs: the clock's anchors. */
  private readonly anchors: { tick: number; at: number }[] = [];
  private lastAcceptAt: number;
  private accepted = false;
  private watchdog: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly silence: Int16Array;
  private acceptedCount = 0;
  private resolveLive: () => void = () => undefined;
  private rejectLive: (reason: Error) => void = () => undefined;
  /** Settles once PortAudio has taken the first tick (the device is really playing), rejects if it dies first. */
  readonly live: Promise<void>;

  private constructor(
    private readonly stream: AudioStream,
    readonly device: PortDevice,
    readonly rate: number,
    private readonly resampler: StreamingResampler | null,
    private readonly options: OutputPumpOptions,
  ) {
    this.tickSamples = Math.round((WIRE_RATE * options.periodMs) / 1000);
    this.silence = new Int16Array(this.tickSamples);
    this.live = new Promise<void>((resolve, reject) => {
      this.resolveLive = resolve;
      this.rejectLive = reject;
    });
    this.live.catch(() => undefined);
    this.lastAcceptAt = performance.now();
    stream.on('error', (error: Error) => this.lose(`the device reported an error: ${error.message}`));
    this.watchdog = setInterval(
      () => {
        const limit = this.accepted ? options.stallMs : options.startGraceMs;
        if (performance.now() - this.lastAcceptAt > limit) this.lose('the device stopped taking audio');
      },
      Math.max(20, Math.floor(options.stallMs / 4)),
    );
    this.watchdog.unref?.();
  }

  /** Opens and starts `device`, at 24 kHz when it accepts it, otherwise at its own rate with resampling. */
  static open(lib: NaudiodonModule, device: PortDevice, options: OutputPumpOptions): OutputPump {
    const rates = options.deviceRate ? [options.deviceRate] : [WIRE_RATE, device.rate];
    let lastError: unknown;
    for (const rate of rates) {
      const frames = Math.round((rate * options.periodMs) / 1000);
      let stream: AudioStream;
      try {
        stream = lib.AudioIO({
          outOptions: {
            channelCount: 1,
            sampleFormat: lib.SampleFormat16Bit,
            sampleRate: rate,
            deviceId: device.id,
            // Underflow flags must not close the stream; the tick feed keeps it fed.
            closeOnError: false,
            framesPerBuffer: frames,
            highwaterMark: frames * 2,
            // Ticks waiting in naudiodon: the cushion against event-loop stalls (each is latency, too).
            maxQueue: options.queueTicks,
          },
        }) as unknown as AudioStream;
      } catch (error) {
        lastError = error;
        if (isFormatError(error)) continue;
        throw openError(error, 'output', device.name);
      }
      const resampler = rate === WIRE_RATE ? null : new StreamingResampler(WIRE_RATE, rate);
      const pump = new OutputPump(stream, device, rate, resampler, options);
      try {
        // Two ticks of silence before start, so the first callbacks have data; then the feed loop runs itself.
        pump.feed();
        stream.start();
      } catch (error) {
        void pump.close();
        throw openError(error, 'output', device.name);
      }
      return pump;
    }
    throw openError(lastError, 'output', device.name);
  }

  /** Sets what the next ticks play (null = silence). Returns the number of the first tick it will supply. */
  setSource(source: TickSource | null): number {
    this.source = source;
    return this.written;
  }

  /** True until closed or lost. */
  get running(): boolean {
    return !this.closed;
  }

  /** Ticks handed to naudiodon so far. */
  get ticksWritten(): number {
    return this.written;
  }

  /**
   * Wire samples heard at the speaker by `now` (performance.now()), counted from tick 0. Each anchor is a lower
   * bound (acceptance is noticed late, never early), so the largest recent one is the best estimate; it never runs
   * past what PortAudio has been given.
   */
  speakerPosition(now = performance.now()): number {
    const perMs = WIRE_RATE / 1000;
    let best = 0;
    for (const a of this.anchors) best = Math.max(best, a.tick * this.tickSamples + (now - a.at) * perMs);
    const handed = Math.max(0, this.written - this.options.queueTicks) * this.tickSamples;
    return Math.max(0, Math.min(best, handed) - this.options.latencyMs * perMs);
  }

  /** Plays one reply from `buffer` on this stream. */
  play(buffer: PlaybackBuffer, hooks: PlayHooks): PlaySession {
    let startedReported = false;
    let finished = false;
    let doneTimer: ReturnType<typeof setTimeout> | null = null;
    const startedDelayMs = this.options.latencyMs + this.options.periodMs;
    const finishWhenHeard = (drained: boolean): void => {
      // The last tick was handed over; it is heard once the speaker clock passes it.
      if (doneTimer || finished) return;
      const check = (): void => {
        const end = firstTick * this.tickSamples + buffer.contentEndPosition;
        const remainingMs = this.running ? (end - this.speakerPosition()) / (WIRE_RATE / 1000) : 0;
        if (remainingMs <= 0) {
          finished = true;
          doneTimer = null;
          if (drained) hooks.onDrained();
          return;
        }
        doneTimer = setTimeout(check, Math.max(1, Math.ceil(remainingMs)));
      };
      check();
    };
    const firstTick = this.setSource((_tick, samples) => {
      const t = buffer.read(samples);
      if (t.content > 0) {
        hooks.onContent(t.samples.subarray(0, t.content));
        if (!startedReported) {
          startedReported = true;
          // First reply sample handed to PortAudio; it is heard about latencyMs later.
          setTimeout(() => hooks.onStarted(), startedDelayMs).unref?.();
        }
      }
      if (buffer.state === 'drained' || buffer.state === 'flushed') {
        this.setSource(null);
        finishWhenHeard(buffer.state === 'drained');
      }
      return t.samples;
    });
    return {
      heard: (): number =>
        this.running
          ? buffer.playedAt(Math.floor(this.speakerPosition() - firstTick * this.tickSamples))
          : buffer.emitted,
      kick: (): void => undefined, // the device clock pulls ticks itself
      flush: (): number => buffer.flush(),
      abort: (): number => {
        finished = true;
        if (doneTimer) clearTimeout(doneTimer);
        return buffer.abort();
      },
      get finished(): boolean {
        return finished;
      },
    };
  }

  /** Stops the stream (bounded in time). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    this.rejectLive(new Error('closed'));
    await stopStream(this.stream, 'abort');
  }

  private feed(): void {
    if (this.closed) return;
    const tick = this.written;
    let samples = this.silence;
    if (this.source) {
      try {
        samples = this.source(tick, this.tickSamples);
      } catch {
        samples = this.silence; // a broken source must not stop the device clock
      }
    }
    const bytes = this.resampler
      ? float32ToPcm16(this.resampler.process(toFloat(samples)))
      : int16ToPcm16(samples);
    this.written++;
    this.stream.write(bytes, (error?: Error | null) => {
      if (this.closed) return;
      if (error) {
        this.lose(`the device reported an error: ${error.message}`);
        return;
      }
      const at = performance.now();
      this.lastAcceptAt = at;
      this.accepted = true;
      // The first queueTicks writes fill the empty queue at once; the next is accepted only once the callback ran.
      if (++this.acceptedCount === this.options.queueTicks + 1) this.resolveLive();
      // Write k accepted => the callback has taken tick k-queueTicks, so that many ticks are PortAudio's.
      this.anchors.push({ tick: tick + 1 - this.options.queueTicks, at });
      if (this.anchors.length > 8) this.anchors.shift();
      this.feed();
    });
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    void stopStream(this.stream, 'abort');
    this.rejectLive(new Error(reason));
    this.options.onLost(reason);
  }
}

function toFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] ?? 0) / 32768;
  return out;
}
