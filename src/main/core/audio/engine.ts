/**
 * The audio seam between the core and the platform. The naudiodon adapter implements it in the
 * app; tests and browser mode without devices use other implementations. PCM never leaves main.
 *
 * All PCM here is mono, signed 16-bit little-endian, 24 000 Hz (the Realtime wire rate); an engine
 * whose device runs at another rate resamples inside.
 *
 * Contract for the turn runner (implemented by NaudiodonEngine, FakeAudioEngine, NullAudioEngine):
 * - Key down: `openCapture({ frameMs: 20..40, onFrame })`. Frames are exactly frameMs long and start at the
 *   moment openCapture resolves (the microphone stream is kept warm, so nothing of the first word is lost; call
 *   `prime()` at startup so even the first press does not wait for the device). Frames may arrive synchronously.
 * - Key up: `await capture.stop()`. The last, shorter frame is delivered through onFrame before stop() resolves,
 *   and stop() does not wait for the device, so commit can follow at once. No frame arrives after stop().
 * - Mid-press device loss: onError(AudioError 'device-lost'); frames already delivered stay delivered and the
 *   press continues on the default device when one can be opened. stop() still works.
 * - A press never waits for a cold or reopening device, and is never lost to one: when the key goes up before any
 *   audio arrived, stop() keeps listening until the held length of audio is in (bounded by a few seconds).
 * - A microphone lost while no key is held is reopened in the background; `onProblem` says so only if it stays
 *   lost (and says null once it works again).
 * - Reply: `prepareOutput()` when a voice reply is requested, `openPlayback()` per reply (at the first delta),
 *   `write()` each `response.output_audio.delta` (any byte split is fine), `end()` at `response.output_audio.done`.
 *   Playback starts a playout delay after the reply's first audio (timed in ms, adapted to the server's lateness),
 *   plays everything to the last sample, then onDrained.
 * - Barge-in: `flush()` stops at once: what the device already holds (~10–20 ms) plays out, then a 5 ms fade (no
 *   click). It returns the samples the user heard or will still hear, which `heardIfStopped()` tells beforehand:
 *   truncate with `audio_end_ms = Math.floor(Math.min(heard, playback.receivedSamples()) * 1000 / WIRE_RATE)`, and
 *   skip the truncate when onDrained already fired. Writes after flush() are ignored. Opening a new playback flushes the
 *   previous one if it is still playing.
 * - `playedSamples()` is the device's own count of samples heard so far (not what was written).
 * - Errors are AudioErrors with plain words (no device, busy, lost); engines never throw anything else and
 *   never crash the process.
 */
import type { AudioDeviceInfo, DeviceList } from '../../../shared/types';

export const WIRE_RATE = 24000;

/** An audio failure in plain words, with a code the core can act on. */
export class AudioError extends Error {
  constructor(
    readonly code: 'no-device' | 'device-lost' | 'device-busy' | 'open-failed' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'AudioError';
  }
}

export interface CaptureOptions {
  /** Stable device name; null = system default. */
  device: string | null;
  /** Frame length for input_audio_buffer.append, 20–40 ms. */
  frameMs: number;
  /** Called with each full frame (and once more with the last partial frame on stop). */
  onFrame: (pcm: Buffer) => void;
  /** RMS dBFS, at most ~30 per second. */
  onLevel?: (dbfs: number) => void;
  /** The device failed or vanished mid-capture. Frames already delivered stay delivered. */
  onError?: (error: AudioError) => void;
}

export interface Capture {
  /** Stops capturing; delivers the last partial frame through onFrame before resolving. */
  stop(): Promise<void>;
}

export interface PlaybackOptions {
  device: string | null;
  onLevel?: (dbfs: number) => void;
  onError?: (error: AudioError) => void;
  /** Every queued sample has been played (after end()). */
  onDrained?: () => void;
  /** The first sample of this playback reached the device (for "first audio played" timings). */
  onStarted?: () => void;
}

/** One reply's playback: write deltas as they arrive, end() to drain, flush() on barge-in. */
export interface Playback {
  /**
   * Queue PCM16 24 kHz mono. `arrivedAt` (performance.now() ms): when the delta carrying it arrived, if earlier than
   * now; the playout delay counts from the arrival, so the time spent handling the event is not added to it.
   */
  write(pcm: Buffer, arrivedAt?: number): void;
  /** No more audio for this reply: play out everything queued (never drop the tail), then onDrained. */
  end(): void;
  /** Barge-in: stop now (with a short fade, no click) and drop what is queued. Returns samples played. */
  flush(): number;
  /** Samples actually played so far (exact). */
  playedSamples(): number;
  /**
   * Optional: the samples the user will have heard if the reply is flushed now (what is already on its way through
   * the sound server, then the fade): what `audio_end_ms` of a barge-in truncate should say. Default playedSamples.
   */
  heardIfStopped?(): number;
  /** Samples received through write() so far. */
  receivedSamples(): number;
}

export interface AudioEngine {
  listDevices(): Promise<DeviceList>;
  /**
   * Optional warm-up: opens the given devices now (null = default) so the first press and the first reply do
   * not wait for the sound system (PulseAudio can take seconds to start a stream). Safe to call repeatedly.
   */
  prime?(devices: { input?: string | null; output?: string | null }): Promise<void>;
  /**
   * Optional: a voice reply was just requested, so get the speaker ready for its first audio (an engine that rests
   * its low-latency stream between replies opens it now). Failures surface again at openPlayback, in words.
   */
  prepareOutput?(device: string | null): Promise<void>;
  openCapture(options: CaptureOptions): Promise<Capture>;
  /**
   * Optional: plays a short sound cue (24 kHz PCM16) on the speaker, never over a reply's stream state. What the
   * microphone hears while it sounds (and an echo margin after) is silenced in every press and in the pre-roll, so
   * a cue never reaches the server. Resolves once it is handed to the device.
   */
  playCue?(pcm: Int16Array, device: string | null): Promise<void>;
  openPlayback(options: PlaybackOptions): Promise<Playback>;
  /** Watch for device changes; returns the unsubscribe function. */
  watchDevices?(onChange: (list: DeviceList) => void): () => void;
  /**
   * Optional: called once per captured device period while the microphone is open (50 times a second, all day once
   * primed). The main thread wakes for those anyway, so timers can ride on them (see BeatClock). Returns the
   * unsubscribe function.
   */
  onBeat?(listener: () => void): () => void;
  /**
   * Optional: device problems that belong to no press (a microphone that stayed lost while idle: its words; null
   * once it works again). Returns the unsubscribe function.
   */
  onProblem?(listener: (problem: string | null) => void): () => void;
  close(): Promise<void>;
}

export type { AudioDeviceInfo, DeviceList };
