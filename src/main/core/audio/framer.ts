/**
 * Cuts a capture stream (PCM16 bytes in arbitrary chunks) into exact frames for input_audio_buffer.append.
 */
import { BYTES_PER_SAMPLE } from './pcm';

/** Frame lengths the wire accepts well: 20–40 ms. */
export const MIN_FRAME_MS = 20;
export const MAX_FRAME_MS = 40;

/** Emits frames of exactly `frameSamples` samples; flush() emits the last partial frame (never loses audio). */
export class Framer {
  readonly frameBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    frameSamples: number,
    private readonly onFrame: (pcm: Buffer) => void,
  ) {
    if (!Number.isInteger(frameSamples) || frameSamples <= 0)
      throw new RangeError(`Bad frame size: ${frameSamples}`);
    this.frameBytes = frameSamples * BYTES_PER_SAMPLE;
  }

  /** Frame size for `frameMs` at `rate`, checked against the 20–40 ms range. */
  static samplesFor(frameMs: number, rate: number): number {
    if (!(frameMs >= MIN_FRAME_MS && frameMs <= MAX_FRAME_MS)) {
      throw new RangeError(
        `Frames must be ${MIN_FRAME_MS}–${MAX_FRAME_MS} ms long (asked for ${frameMs} ms).`,
      );
    }
    return Math.round((frameMs * rate) / 1000);
  }

  /** Adds captured PCM; emits every complete frame. Expects whole samples (even byte counts). */
  push(pcm: Buffer): void {
    if (pcm.byteLength === 0) return;
    this.pending.push(pcm);
    this.pendingBytes += pcm.byteLength;
    if (this.pendingBytes < this.frameBytes) return;
    let all = Buffer.concat(this.pending, this.pendingBytes);
    while (all.byteLength >= this.frameBytes) {
      // Copy so a consumer holding a frame never sees it change.
      this.onFrame(Buffer.from(all.subarray(0, this.frameBytes)));
      all = all.subarray(this.frameBytes);
    }
    this.pending = all.byteLength ? [Buffer.from(all)] : [];
    this.pendingBytes = all.byteLength;
  }

  /** Emits what is left as a shorter last frame (if anything). */
  flush(): void {
    if (this.pendingBytes === 0) return;
    const rest = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.onFrame(rest);
  }

  /** Bytes waiting for a full frame. */
  get buffered(): number {
    return this.pendingBytes;
  }
}
