/**
 * Reply playback straight to the sound server (PulseAudio, or PipeWire's pulse server), through the patched
 * naudiodon's `pulse` functions (patches/naudiodon+2.3.6.patch, src/PulseOut.cc).
 *
 * Why: PortAudio's callback keeps ALSA's pulse-plugin buffer full of silence between replies, so a reply's first
 * sample waits behind that buffer (~15 ms here, plus the next callback). This stream holds only reply audio: the
 * server stops when it runs dry and starts again on the next write, so a reply is heard as soon as it is written.
 * Its "heard" count is the server's own playback clock, and barge-in drops what the server has not played.
 * It is used for ALSA's "pulse" and "default" devices, which are the sound server anyway.
 */
import { EventEmitter } from 'node:events';
import type { ClockedStats, ClockedStream } from './output-clocked';
import type { PulseApi } from './pulse-api';

/** The stream's settings, in ms. */
export interface PulseStreamOptions {
  /**
   * The server's target latency: it sets the sink's buffer (2.5 ms asked for 10 here). Everything written goes to
   * the server at once whatever this is: the server's buffer is the reply's cushion.
   */
  targetMs: number;
  /** Audio the server needs before it (re)starts a stream that ran dry. */
  prebufMs: number;
}

/** Opens a reply stream on the default sink at `rate`; throws with the server's reason. */
export function openPulseStream(api: PulseApi, rate: number, options: PulseStreamOptions): ClockedStream {
  const handle = api.open({ sampleRate: rate, channelCount: 1, name: 'Talkie', ...options });
  return new PulseStream(api, handle);
}

/** The pulse stream with the surface ClockedOutputPump drives (write, stats, flushOut, abort). */
class PulseStream extends EventEmitter implements ClockedStream {
  private closed = false;

  constructor(
    private readonly api: PulseApi,
    private readonly handle: unknown,
  ) {
    super();
  }

  start(): void {
    // Connected and ready once opened: the server starts it on the first write.
  }

  write(bytes: Buffer): boolean {
    if (this.closed) return false;
    const ok = this.api.write(this.handle, bytes);
    if (!ok) this.fail();
    return ok;
  }

  stats(): ClockedStats {
    const s = this.api.stats(this.handle);
    if (!s.healthy) this.fail();
    return {
      framesHanded: s.framesHanded,
      framesHeard: s.framesHeard,
      outputLatency: s.outputLatency,
      underflows: s.underflows,
      ranDry: s.dry,
      live: s.healthy,
    };
  }

  flushOut(): number {
    return this.api.flush(this.handle);
  }

  quit(cb?: () => void): void {
    this.abort(cb);
  }

  abort(cb?: () => void): void {
    if (!this.closed) {
      this.closed = true;
      this.api.close(this.handle);
    }
    cb?.();
  }

  private fail(): void {
    if (this.closed) return;
    // Once: the pump closes the stream on the first error.
    this.closed = true;
    this.emit('error', new Error('the sound server closed the stream'));
    this.api.close(this.handle);
  }
}
