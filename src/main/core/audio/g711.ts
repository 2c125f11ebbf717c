/**
 * G.711 μ-law and A-law (ITU-T G.711), for the `audio/pcmu` and `audio/pcma` wire formats at 8 kHz.
 * Encoders take PCM16 samples, decoders return them. Reference: the classic Sun g711.c algorithms.
 */

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;
const SEG_END = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff];

function segment(value: number): number {
  for (let i = 0; i < SEG_END.length; i++) if (value <= (SEG_END[i] ?? 0)) return i;
  return SEG_END.length;
}

/** One PCM16 sample -> one μ-law byte. */
export function linearToUlaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const mask = pcm < 0 ? 0x7f : 0xff;
  pcm = Math.min(Math.abs(pcm), ULAW_CLIP) + ULAW_BIAS;
  const seg = segment(pcm);
  if (seg >= 8) return 0x7f ^ mask;
  return (((seg << 4) | ((pcm >> (seg + 3)) & 0xf)) ^ mask) & 0xff;
}

/** One μ-law byte -> one PCM16 sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + ULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** One PCM16 sample -> one A-law byte. */
export function linearToAlaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3; // 13-bit magnitude domain
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  // A-law segments work on the 13-bit value: they end at 0x1f, 0x3f, ... 0xfff.
  const aSeg = aSegment(pcm);
  if (aSeg >= 8) return 0x7f ^ mask;
  let aval = aSeg << 4;
  aval |= aSeg < 2 ? (pcm >> 1) & 0xf : (pcm >> aSeg) & 0xf;
  return (aval ^ mask) & 0xff;
}

const ASEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
function aSegment(value: number): number {
  for (let i = 0; i < ASEG_END.length; i++) if (value <= (ASEG_END[i] ?? 0)) return i;
  return ASEG_END.length;
}

/** One A-law byte -> one PCM16 sample. */
export function alawToLinear(byte: number): number {
  const a = (byte ^ 0x55) & 0xff;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else {
    t += 0x108;
    t <<= seg - 1;
  }
  return a & 0x80 ? t : -t;
}

/** PCM16 samples -> μ-law bytes. */
export function encodeUlaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToUlaw(samples[i] ?? 0);
  return out;
}

/** μ-law bytes -> PCM16 samples. */
export function decodeUlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ulawToLinear(bytes[i] ?? 0xff);
  return out;
}

/** PCM16 samples -> A-law bytes. */
export function encodeAlaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i] ?? 0);
  return out;
}

/** A-law bytes -> PCM16 samples. */
export function decodeAlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = alawToLinear(bytes[i] ?? 0xd5);
  return out;
}
