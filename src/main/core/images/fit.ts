/**
 * Makes an attached image fit to send: decoded, downscaled so its longest side is at most the limit (aspect
 * ratio kept), re-encoded without metadata. Screens and photos go as JPEG; a PNG stays PNG when it is small
 * after fitting (a diagram or a small screenshot keeps its sharp edges). Anything else is refused in words.
 */
import { decode, encodeJpegBytes, encodePng, ImageError, readHeader, type Pixels } from './codec';

/** Largest file accepted (the window checks first; main checks again). */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
/** Longest side by default (Settings › imageMaxSide). */
export const DEFAULT_MAX_SIDE = 1536;
/** A PNG that fits in this many bytes stays PNG; above it, JPEG is far smaller for the same picture. */
export const KEEP_PNG_BYTES = 512 * 1024;
/** JPEG quality: high enough that text on a screen stays readable. */
export const JPEG_QUALITY = 85;

/** An image ready to send. */
export interface FittedImage {
  bytes: Buffer;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

export { ImageError } from './codec';

/** The size an image of width × height gets with its longest side capped at maxSide (never enlarged). */
export function fittedSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height };
  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Decodes, downscales and re-encodes; throws ImageError with a message for the user. */
export function fitImage(input: Uint8Array, options: { maxSide?: number } = {}): FittedImage {
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE;
  if (input.byteLength === 0) throw new ImageError('That image is empty.');
  if (input.byteLength > MAX_INPUT_BYTES)
    throw new ImageError(
      `That image is ${(input.byteLength / 1024 / 1024).toFixed(1)} MB; Talkie takes images up to ` +
        `${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
    );
  const header = readHeader(input);
  const decoded = decode(input, header);
  const size = fittedSize(decoded.width, decoded.height, maxSide);
  const pixels = resize(decoded, size.width, size.height);
  if (header.format === 'png') {
    const png = encodePng(pixels);
    if (png.byteLength <= KEEP_PNG_BYTES)
      return { bytes: png, mime: 'image/png', width: pixels.width, height: pixels.height };
  }
  return {
    bytes: encodeJpegBytes(pixels, JPEG_QUALITY),
    mime: 'image/jpeg',
    width: pixels.width,
    height: pixels.height,
  };
}

/**
 * Area-average downscale (each output pixel is the mean of the source pixels it covers, with fractional
 * edges), done as two separable passes. Sharper than bilinear when shrinking a lot, and no aliasing on the
 * fine text of a screen. Colour is averaged premultiplied by alpha, so transparent pixels do not darken edges.
 */
export function resize(src: Pixels, width: number, height: number): Pixels {
  if (width === src.width && height === src.height) return src;
  const premul = new Float32Array(src.width * src.height * 4);
  for (let i = 0; i < premul.length; i += 4) {
    const a = (src.data[i + 3] ?? 0) / 255;
    premul[i] = (src.data[i] ?? 0) * a;
    premul[i + 1] = (src.data[i + 1] ?? 0) * a;
    premul[i + 2] = (src.data[i + 2] ?? 0) * a;
    premul[i + 3] = src.data[i + 3] ?? 0;
  }
  const horizontal = pass(premul, src.width, src.height, width, 'x');
  const vertical = pass(horizontal, src.height, width, height, 'y');
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = vertical[i + 3] ?? 0;
    const k = a > 0 ? 255 / a : 0;
    out[i] = clamp((vertical[i] ?? 0) * k);
    out[i + 1] = clamp((vertical[i + 1] ?? 0) * k);
    out[i + 2] = clamp((vertical[i + 2] ?? 0) * k);
    out[i + 3] = clamp(a);
  }
  return { width, height, data: out };
}

const clamp = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/**
 * One separable pass: shrinks `axis` from srcLen to dstLen pixels, over `lines` lines across it. Along x the
 * source is srcLen wide and `lines` tall; along y it is `lines` wide and srcLen tall.
 */
function pass(
  src: Float32Array,
  srcLen: number,
  lines: number,
  dstLen: number,
  axis: 'x' | 'y',
): Float32Array {
  const out = new Float32Array(dstLen * lines * 4);
  const scale = srcLen / dstLen;
  for (let d = 0; d < dstLen; d++) {
    const start = d * scale;
    const end = start + scale;
    for (let line = 0; line < lines; line++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let s = Math.floor(start); s < Math.ceil(end) && s < srcLen; s++) {
        const weight = Math.min(end, s + 1) - Math.max(start, s);
        if (weight <= 0) continue;
        const at = (axis === 'x' ? line * srcLen + s : s * lines + line) * 4;
        r += (src[at] ?? 0) * weight;
        g += (src[at + 1] ?? 0) * weight;
        b += (src[at + 2] ?? 0) * weight;
        a += (src[at + 3] ?? 0) * weight;
      }
      const to = (axis === 'x' ? line * dstLen + d : d * lines + line) * 4;
      out[to] = r / scale;
      out[to + 1] = g / scale;
      out[to + 2] = b / scale;
      out[to + 3] = a / scale;
    }
  }
  return out;
}
