/**
 * PCM16 (signed 16-bit little-endian, mono) <-> float conversions. Pure: no devices, no Node APIs beyond Buffer.
 */

/** Bytes per PCM16 sample. */
export const BYTES_PER_SAMPLE = 2;

/** Decodes PCM16 LE bytes into floats in [-1, 1). An odd trailing byte is ignored (callers keep it; see Pcm16Joiner). */
export function pcm16ToFloat32(pcm: Uint8Array): Float32Array {
  const count = Math.floor(pcm.byteLength / BYTES_PER_SAMPLE);
  const out = new Float32Array(count);
  const view = new DataView(pcm.buffer, pcm.byteOffset, count * BYTES_PER_SAMPLE);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** Encodes floats as PCM16 LE, clipping to the 16-bit range and rounding to nearest. */
export function float32ToPcm16(samples: Float32Array | readonly number[]): Buffer {
  const out = Buffer.alloc(samples.length * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++)
    out.writeInt16LE(clip16(Math.round((samples[i] ?? 0) * 32768)), i * 2);
  return out;
}

/** True on little-endian hosts (all the platforms Electron ships for), where Int16Array memory already is PCM16 LE. */
const HOST_IS_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Int16 samples -> PCM16 LE bytes (copy). */
export function int16ToPcm16(samples: Int16Array): Buffer {
  if (HOST_IS_LE) return Buffer.from(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const out = Buffer.alloc(samples.length * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, i * 2);
  return out;
}

/** PCM16 LE bytes -> Int16 samples (copy; safe for unaligned buffers). */
export function pcm16ToInt16(pcm: Uint8Array): Int16Array {
  const count = Math.floor(pcm.byteLength / BYTES_PER_SAMPLE);
  const out = new Int16Array(count);
  // Every captured chunk and every reply chunk passes here: on little-endian hosts a byte copy (memcpy) does it.
  if (HOST_IS_LE) {
    new Uint8Array(out.buffer).set(pcm.subarray(0, count * BYTES_PER_SAMPLE));
    return out;
  }
  const view = new DataView(pcm.buffer, pcm.byteOffset, count * BYTES_PER_SAMPLE);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Clamps an integer to the signed 16-bit range. */
export function clip16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Milliseconds of audio in `samples` at `rate`. */
export function samplesToMs(samples: number, rate: number): number {
  return (samples * 1000) / rate;
}

/** Whole samples in `ms` at `rate` (rounded to nearest). */
export function msToSamples(ms: number, rate: number): number {
  return Math.round((ms * rate) / 1000);
}

/**
 * Joins byte chunks that may split a sample in half (network deltas, device reads) so no byte is lost or misaligned.
 */
export class Pcm16Joiner {
  private carry: Buffer | null = null;

  /** Returns whole samples; keeps an odd trailing byte for the next call. */
  push(chunk: Uint8Array): Buffer {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry) {
      bytes = Buffer.concat([this.carry, bytes]);
      this.carry = null;
    }
    if (bytes.byteLength % 2 === 1) {
      this.carry = Buffer.from(bytes.subarray(bytes.byteLength - 1));
      bytes = bytes.subarray(0, bytes.byteLength - 1);
    }
    return bytes;
  }
}
