/**
 * The audio seam between the core and the platform. The naudiodon adapter implements it in the
 * app; tests and browser mode without devices use other implementations. PCM never leaves main.
 *
 * All PCM here is mono, signed 16-bit little-endian, 24 000 Hz (the Realtime wire rate); an engine
 * whose device runs at another rate resamples inside.
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
  /** Queue PCM16 24 kHz mono. */
  write(pcm: Buffer): void;
  /** No more audio for this reply: play out everything queued (never drop the tail), then onDrained. */
  end(): void;
  /** Barge-in: stop now (with a short fade, no click) and drop what is queued. Returns samples played. */
  flush(): number;
  /** Samples actually played so far (exact, for conversation.item.truncate). */
  playedSamples(): number;
  /** Samples received through write() so far. */
  receivedSamples(): number;
}

export interface AudioEngine {
  listDevices(): Promise<DeviceList>;
  openCapture(options: CaptureOptions): Promise<Capture>;
  openPlayback(options: PlaybackOptions): Promise<Playback>;
  /** Watch for device changes; returns the unsubscribe function. */
  watchDevices?(onChange: (list: DeviceList) => void): () => void;
  close(): Promise<void>;
}

export type { AudioDeviceInfo, DeviceList };
