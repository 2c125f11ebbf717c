/**
 * One running PortAudio input stream ("the microphone is warm"), shared by successive presses. Captured audio is
 * converted to 24 kHz PCM16 (resampled when the device would not open at 24 kHz) and handed to subscribers.
 * A stall watchdog turns a silent death of the device (no data for `stallMs`) into onLost.
 */
import type { Readable } from 'node:stream';
import { WIRE_RATE } from '../../core/audio/engine';
import { float32ToPcm16, pcm16ToFloat32, pcm16ToInt16, Pcm16Joiner } from '../../core/audio/pcm';
import { StreamingResampler } from '../../core/audio/resampler';
import type { PortDevice } from './devices';
import { openAtBestRate, openError } from './errors';
import type { NaudiodonModule } from './load';
import { canRecord, PulseInputStream } from './input-pulse';
import { pulseFor } from './pulse-api';
import { errorMessage } from '../../../shared/error-message';

/** A watchdog timeout this late means the process was not running, not that the device was silent. */
const LATE_TIMER_MS = 100;
/** After a check finds silence, how long the confirming check waits (a few capture periods). */
const CONFIRM_MS = 60;

type AudioStream = Readable & { start(): void; quit(cb?: () => void): void; abort(cb?: () => void): void };

export interface InputPumpOptions {
  /** Device period (ms); smaller = lower latency, more wake-ups of the audio thread. */
  periodMs: number;
  /**
   * Audio is handed to JavaScript in blocks of this many ms, gathered natively from the device periods (default: one
   * period), so a small period costs the main thread nothing: it still wakes once per wire frame.
   */
  gatherMs?: number;
  /** Open the device at this rate instead of trying 24 kHz first (tests, odd hardware). */
  deviceRate?: number;
  /**
   * Record from the sound server directly when the device is ALSA's "pulse" or "default" (input-pulse.ts): its
   * fragments are `periodMs` long, PortAudio's ALSA path hands over 20 ms whatever is asked. Default true.
   */
  pulse?: boolean;
  /** No data for this long while running = the device is gone. */
  stallMs: number;
  /** How long the first data may take after start (PulseAudio can take ~2 s to start a cold source). */
  startGraceMs: number;
  /** Called once when the stream dies; the pump is closed by then. */
  onLost: (reason: string) => void;
}

/** A warm input stream. */
export class InputPump {
  private readonly sinks = new Set<(pcm: Int16Array) => void>();
  private readonly joiner = new Pcm16Joiner();
  private lastDataAt: number;
  // Monotonic: a wall-clock jump (NTP, the user setting the clock) must not look like a stall or hide one.
  private readonly openedAt = performance.now();
  private gotData = false;
  private watchdog: ReturnType<typeof setTimeout>;
  /** When the pending watchdog timeout is due (to tell a late timer from a silent device). */
  private watchdogDue = 0;
  /** Silence is counted from here at the earliest: the last time the process was found not running on time. */
  private awakeSince = 0;
  /** The last check found the stream silent past its limit; the next on-time check decides. */
  private suspect = false;
  private samplesValue = 0;
  private startValue = Infinity;
  private closed = false;
  private resolveLive: () => void = () => undefined;
  private rejectLive: (reason: Error) => void = () => undefined;
  /**
   * Settles when the first audio arrives (the device is really recording: PulseAudio may take seconds after
   * start), or rejects when the stream dies first. Audio played before this point cannot be captured.
   */
  readonly live: Promise<void>;

  private constructor(
    private readonly stream: AudioStream,
    readonly device: PortDevice,
    /** The rate the device stream actually runs at. */
    readonly rate: number,
    private readonly resampler: StreamingResampler | null,
    private readonly options: InputPumpOptions,
    /** Which path records: the sound server directly, or PortAudio (benchmarks and tests print it). */
    readonly backend: 'pulse' | 'portaudio',
  ) {
    this.live = new Promise<void>((resolve, reject) => {
      this.resolveLive = resolve;
      this.rejectLive = reject;
    });
    this.live.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
    this.lastDataAt = performance.now();
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (error: Error) => this.lose(`the device reported an error: ${error.message}`));
    stream.on('end', () => this.lose('the device stream ended'));
    this.watchdog = this.armWatchdog(options.startGraceMs);
  }

  /**
   * The stall watchdog is one timeout due when the stream would have been silent too long. While audio flows each
   * check finds fresh data and re-arms for the rest of the limit: about one wake-up per `stallMs` (2 a second), not
   * one per check period, and a stall is caught at the limit itself rather than up to a period after it.
   */
  private armWatchdog(delayMs: number): ReturnType<typeof setTimeout> {
    const delay = Math.max(1, Math.ceil(delayMs));
    this.watchdogDue = performance.now() + delay;
    const timer = setTimeout(() => this.checkStall(), delay);
    timer.unref?.();
    return timer;
  }

  private checkStall(): void {
    if (this.closed) return;
    const { stallMs, startGraceMs } = this.options;
    const now = performance.now();
    if (now - this.watchdogDue > LATE_TIMER_MS) {
      // The process itself was not running (a paused process, a long GC, suspend/resume, a busy main thread): the
      // audio of those moments is queued behind this timer. Silence only counts from now, while we are awake.
      this.awakeSince = now;
      this.suspect = false;
    }
    // A fresh stream may deliver a burst and then pause while the sound server settles: only a settled stream
    // (data flowing for startGraceMs) is held to the short stall limit.
    const settlesIn = this.openedAt + startGraceMs - now;
    const settled = this.gotData && settlesIn < 0;
    const limit = settled ? stallMs : startGraceMs;
    const silentFor = now - Math.max(this.lastDataAt, this.awakeSince);
    if (silentFor > limit) {
      // Decided only by a second, on-time look: audio queued behind this timer is read first.
      if (this.suspect) {
        this.lose('no audio arrived from the device');
        return;
      }
      this.suspect = true;
      this.watchdog = this.armWatchdog(CONFIRM_MS);
      return;
    }
    this.suspect = false;
    // Until the stream settles, look again when it does, so the short limit applies from then on.
    const next = settled ? limit - silentFor : Math.min(limit - silentFor, settlesIn);
    this.watchdog = this.armWatchdog(next + 1);
  }

  /**
   * Opens and starts `device`: on the sound server's devices from the server directly when it can, else through
   * PortAudio at 24 kHz when the device accepts it, otherwise at its own rate with resampling.
   */
  static open(lib: NaudiodonModule, device: PortDevice, options: InputPumpOptions): InputPump {
    // A forced device rate is a request for PortAudio's device stream (and our resampler): the server takes 24 kHz.
    const pulse = options.pulse !== false && !options.deviceRate ? pulseFor(lib, device) : null;
    if (canRecord(pulse)) {
      try {
        const stream = new PulseInputStream(pulse, WIRE_RATE, {
          periodMs: options.periodMs,
          gatherMs: options.gatherMs ?? options.periodMs,
        });
        return new InputPump(stream as unknown as AudioStream, device, WIRE_RATE, null, options, 'pulse');
      } catch {
        // No server to talk to (or it refused): PortAudio's ALSA path below still records.
      }
    }
    const { stream, rate } = openAtBestRate(device, options.deviceRate, 'input', (rate) => {
      const frames = (ms: number): number => Math.round((rate * ms) / 1000);
      const gather = frames(options.gatherMs ?? options.periodMs);
      const inOptions = {
        channelCount: 1,
        sampleFormat: lib.SampleFormat16Bit as 16,
        sampleRate: rate,
        deviceId: device.id,
        // Status flags (overflow) must not close the stream: log-and-continue is right for a microphone.
        closeOnError: false,
        framesPerBuffer: frames(options.periodMs),
        // Our patch gathers device periods into blocks this long before handing them over (not in upstream's types).
        gatherFrames: gather,
        // Our patch pushes each block from the audio thread (no pool thread parked in a read); the stream buffers
        // up to this much before a listener attaches.
        highwaterMark: gather * 2,
        // Room for ~2 s: the PortAudio callback must never block on a slow JS consumer.
        maxQueue: Math.ceil(2000 / options.periodMs),
      };
      return lib.AudioIO({ inOptions }) as unknown as AudioStream;
    });
    const resampler = rate === WIRE_RATE ? null : new StreamingResampler(rate, WIRE_RATE);
    const pump = new InputPump(stream, device, rate, resampler, options, 'portaudio');
    try {
      stream.start();
    } catch (error) {
      pump.closeQuietly();
      throw openError(error, 'input', device.name);
    }
    return pump;
  }

  /** Receives every captured 24 kHz chunk from now on; returns the unsubscribe function. */
  subscribe(sink: (pcm: Int16Array) => void): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** 24 kHz samples delivered since the stream opened. */
  get samples(): number {
    return this.samplesValue;
  }

  /**
   * When (performance.now() ms) the device captured delivered sample `index`, estimated from arrivals: a burst of
   * audio that was queued while the process was busy is dated when it was spoken, not when it was read.
   */
  timeOf(index: number): number {
    return this.startValue + (index * 1000) / WIRE_RATE;
  }

  /** Subscribers listening now. */
  get listeners(): number {
    return this.sinks.size;
  }

  /** True until closed or lost. */
  get running(): boolean {
    return !this.closed;
  }

  /** Stops the device stream (waits at most 1 s: a dead device must not hang the app). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.watchdog);
    this.sinks.clear();
    this.rejectLive(new Error('closed'));
    // Abort, never a graceful stop: capture has nothing to finish, and PortAudio's graceful stop waits for frames
    // that a stalled ALSA-pulse capture never delivers, spinning its real-time thread at 100 % for good.
    await stopStream(this.stream, 'abort');
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastDataAt = performance.now();
    if (!this.gotData) {
      this.gotData = true;
      this.resolveLive();
    }
    const bytes = this.joiner.push(chunk);
    const pcm = this.resampler
      ? pcm16ToInt16(float32ToPcm16(this.resampler.process(pcm16ToFloat32(bytes))))
      : pcm16ToInt16(bytes);
    if (pcm.length === 0) return;
    this.samplesValue += pcm.length;
    // Arrivals are never early, so the earliest-implied start of the stream is the best estimate of its timeline.
    this.startValue = Math.min(this.startValue, this.lastDataAt - (this.samplesValue * 1000) / WIRE_RATE);
    for (const sink of this.sinks) sink(pcm);
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.watchdog);
    this.sinks.clear();
    void stopStream(this.stream, 'abort');
    this.rejectLive(new Error(reason));
    this.options.onLost(reason);
  }

  private closeQuietly(): void {
    this.closed = true;
    this.rejectLive(new Error('closed'));
    clearTimeout(this.watchdog);
    void stopStream(this.stream, 'abort');
  }
}

/** quit (let queued audio finish) or abort (drop it), bounded in time. */
export async function stopStream(
  stream: {
    quit(cb?: () => void): void;
    abort(cb?: () => void): void;
    removeAllListeners(e?: string): unknown;
    on(e: string, f: () => void): unknown;
  },
  how: 'quit' | 'abort',
): Promise<void> {
  stream.removeAllListeners('data');
  // naudiodon logs errors itself; keep one listener so a late error is never an unhandled 'error' event.
  stream.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    timer.unref?.();
    try {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (how === 'quit') stream.quit(done);
      else stream.abort(done);
    } catch (error) {
      // Never silent: a stream that fails to stop keeps the device busy (this hid naudiodon's broken abort()).
      clearTimeout(timer);
      console.error(`An audio stream did not stop: ${errorMessage(error)}`);
      resolve();
    }
  });
}
