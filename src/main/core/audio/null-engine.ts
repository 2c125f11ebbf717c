/**
 * The engine used when native audio cannot load (naudiodon missing or broken): lists no devices, and every open
 * fails with a plain-words AudioError, so the app still runs (text turns work) and says why voice does not.
 */
import { AudioError, type AudioEngine, type Capture, type DeviceList, type Playback } from './engine';

/** Engine whose opens fail with AudioError('no-device'); `reason` is shown to the user. */
export class NullAudioEngine implements AudioEngine {
  constructor(private readonly reason = 'Audio is not available on this system.') {}

  /** No devices, with the reason attached. */
  async listDevices(): Promise<DeviceList> {
    return { inputs: [], outputs: [], error: this.reason };
  }

  /** Always fails: there is no microphone to open. */
  async openCapture(): Promise<Capture> {
    throw new AudioError('no-device', `No microphone can be used. ${this.reason}`);
  }

  /** Always fails: there is no speaker to open. */
  async openPlayback(): Promise<Playback> {
    throw new AudioError('no-device', `No speaker can be used. ${this.reason}`);
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
