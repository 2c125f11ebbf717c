/**
 * An AudioEngine without devices, for core tests and browser mode on machines without audio. Capture replays a
 * supplied PCM source in real time (10 ms ticks); playback goes into an in-memory sink on a simulated device
 * clock, so the played count advances with time exactly as a real device would (minus device latency).
 * Timers are plain setInterval, so vitest fake timers drive it deterministically.
 */
import {
  AudioError,
  WIRE_RATE,
  type AudioEngine,
  type Capture,
  type CaptureOptions,
  type DeviceList,
  type Playback,
  type PlaybackOptions,
} from './engine';
import { Framer } from './framer';
import { LevelMeter } from './level';
import { int16ToPcm16, pcm16ToInt16, Pcm16Joiner } from './pcm';
import { PlaybackBuffer } from './playback-buffer';

const TICK_MS = 10;
const TICK_SAMPLES = (WIRE_RATE * TICK_MS) / 1000;

export interface FakeAudioEngineOptions {
  /** PCM16 24 kHz mono the "microphone" hears, in order across presses; silence once used up. */
  micSource?: Buffer;
  /** Device lists to report. Default: one input and one output named "Fake microphone"/"Fake speaker". */
  devices?: DeviceList;
  /** Playout delay after a reply's first audio (ms). Default 0: the next 10 ms tick. */
  playoutDelayMs?: number;
}

/** What the fake speaker heard, for assertions. */
export interface FakeSpeakerLog {
  /** Every sample the device clock consumed (content and silence), PCM16 24 kHz. */
  pcm: Buffer;
}

/** Device-free engine (see module comment). */
export class FakeAudioEngine implements AudioEngine {
  private micSource: Buffer;
  private micOffset = 0;
  private readonly devices: DeviceList;
  private readonly playoutDelayMs: number;
  private readonly timers = new Set<ReturnType<typeof setInterval>>();
  private readonly speakerChunks: Buffer[] = [];
  /** Sound cues handed to the speaker, in order (their samples). */
  readonly cues: Int16Array[] = [];
  private closed = false;

  constructor(options: FakeAudioEngineOptions = {}) {
    this.micSource = options.micSource ?? Buffer.alloc(0);
    this.playoutDelayMs = options.playoutDelayMs ?? 0;
    this.devices = options.devices ?? {
      inputs: [{ name: 'Fake microphone', isDefault: true, channels: 1, defaultSampleRate: WIRE_RATE }],
      outputs: [{ name: 'Fake speaker', isDefault: true, channels: 1, defaultSampleRate: WIRE_RATE }],
    };
  }

  /** Replaces what the microphone will hear next. */
  setMicSource(pcm: Buffer): void {
    this.micSource = pcm;
    this.micOffset = 0;
  }

  /** Everything the fake speaker has played so far. */
  speaker(): FakeSpeakerLog {
    return { pcm: Buffer.concat(this.speakerChunks) };
  }

  /** Reports the configured device lists. */
  async listDevices(): Promise<DeviceList> {
    return structuredClone(this.devices);
  }

  /** Replays the mic source in 10 ms ticks into exact frames. */
  async openCapture(options: CaptureOptions): Promise<Capture> {
    this.assertOpen();
    this.assertDevice(options.device, this.devices.inputs, 'microphone');
    const framer = new Framer(Framer.samplesFor(options.frameMs, WIRE_RATE), options.onFrame);
    const meter = options.onLevel ? new LevelMeter(WIRE_RATE, options.onLevel) : null;
    const tickBytes = TICK_SAMPLES * 2;
    const timer = setInterval(() => {
      const chunk = Buffer.alloc(tickBytes);
      const available = Math.max(0, Math.min(tickBytes, this.micSource.byteLength - this.micOffset));
      this.micSource.copy(chunk, 0, this.micOffset, this.micOffset + available);
      this.micOffset += available;
      meter?.push(pcm16ToInt16(chunk));
      framer.push(chunk);
    }, TICK_MS);
    this.timers.add(timer);
    let stopped = false;
    return {
      stop: async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        this.timers.delete(timer);
        meter?.flush();
        framer.flush();
      },
    };
  }

  /** Keeps the cue for assertions (the fake speaker's clock is for replies). */
  async playCue(pcm: Int16Array, device: string | null): Promise<void> {
    this.assertOpen();
    this.assertDevice(device, this.devices.outputs, 'speaker');
    this.cues.push(pcm);
  }

  /** Plays into the in-memory speaker on a 10 ms device clock. */
  async openPlayback(options: PlaybackOptions): Promise<Playback> {
    this.assertOpen();
    this.assertDevice(options.device, this.devices.outputs, 'speaker');
    const buffer = new PlaybackBuffer({ rate: WIRE_RATE, delay: this.playoutDelayMs });
    const joiner = new Pcm16Joiner();
    const meter = options.onLevel ? new LevelMeter(WIRE_RATE, options.onLevel) : null;
    let consumed = 0;
    let startedReported = false;
    let finished = false;
    const timer = setInterval(() => {
      const tick = buffer.read(TICK_SAMPLES);
      consumed += TICK_SAMPLES;
      this.speakerChunks.push(int16ToPcm16(tick.samples));
      if (tick.content > 0) meter?.push(tick.samples.subarray(0, tick.content));
      if (!startedReported && tick.content > 0) {
        startedReported = true;
        options.onStarted?.();
      }
      if (buffer.state === 'drained' || buffer.state === 'flushed') stop(buffer.state === 'drained');
    }, TICK_MS);
    this.timers.add(timer);
    const stop = (drained: boolean): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      this.timers.delete(timer);
      meter?.flush();
      if (drained) options.onDrained?.();
    };
    return {
      write: (pcm: Buffer, arrivedAt?: number): void =>
        buffer.write(pcm16ToInt16(joiner.push(pcm)), arrivedAt),
      end: (): void => buffer.end(),
      flush: (): number => {
        const total = buffer.flush();
        return total;
      },
      playedSamples: (): number => buffer.playedAt(consumed),
      receivedSamples: (): number => buffer.received,
    };
  }

  /** Stops every timer. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new AudioError('unavailable', 'The audio engine was closed.');
  }

  private assertDevice(name: string | null, list: DeviceList['inputs'], what: string): void {
    if (name !== null && !list.some((d) => d.name === name)) {
      throw new AudioError('no-device', `The ${what} "${name}" is not connected.`);
    }
    if (list.length === 0) throw new AudioError('no-device', `No ${what} found.`);
  }
}
