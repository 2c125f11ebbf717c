/**
 * PNG and JPEG in and out, in pure JavaScript (pngjs, jpeg-js): the two formats Talkie sends, and the two that
 * screenshots, pastes and photos arrive in. The header is read before any pixel is decoded, so a file that claims
 * 30 000 × 30 000 pixels is refused at once instead of filling memory. Decoding yields plain RGBA pixels: nothing
 * of the file's metadata (EXIF with its GPS position, text chunks, ICC profiles) survives re-encoding.
 */
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

/** Plain 8-bit RGBA pixels, row by row. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

export type ImageFormat = 'png' | 'jpeg';

/** What the header says, before decoding. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** EXIF orientation (1–8) of a JPEG; 1 when absent. */
  orientation: number;
}

/** A problem with an image, in words the user can act on. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

/** Largest image decoded at all (pixels): a 50-megapixel photo decodes to 200 MB of RGBA. */
export const MAX_DECODE_PIXELS = 50_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Says what kind of image this is and how big, from its header alone. */
export function readHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), orientation: 1 };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes);
  throw new ImageError(
    `${kindOf(bytes)} cannot be attached: Talkie takes PNG and JPEG images (a screenshot, a photo).`,
  );
}

/** A name for what a refused file seems to be, so the message says more than "unsupported". */
function kindOf(bytes: Uint8Array): string {
  const ascii = String.fromCharCode(...bytes.subarray(0, 12));
  if (ascii.startsWith('GIF8')) return 'A GIF image';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'A WebP image';
  if (ascii.startsWith('BM')) return 'A BMP image';
  if (ascii.slice(4, 12).startsWith('ftyp')) return 'An HEIC/AVIF image';
  return 'This file';
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation = 1;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = view.getUint16(at + 2);
    if (marker === 0xe1) orientation = exifOrientation(bytes, at + 4, length - 2) ?? orientation;
    if (SOF_MARKERS.has(marker) && at + 9 <= bytes.length) {
      return { format: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7), orientation };
    }
    at += 2 + length;
  }
  throw new ImageError('The image could not be read: the JPEG file is damaged or incomplete.');
}

/** The Orientation tag (0x0112) of an EXIF APP1 segment, or null. */
function exifOrientation(bytes: Uint8Array, start: number, length: number): number | null {
  const end = Math.min(bytes.length, start + length);
  if (end - start < 14 || String.fromCharCode(...bytes.subarray(start, start + 4)) !== 'Exif') return null;
  const tiff = start + 6;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[tiff] === 0x49; // "II" little-endian, "MM" big-endian
  const u16 = (at: number): number => (at + 2 <= end ? view.getUint16(at, little) : 0);
  const u32 = (at: number): number => (at + 4 <= end ? view.getUint32(at, little) : 0);
  const ifd = tiff + u32(tiff + 4);
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** Decodes to RGBA (after checking the header's size), with a JPEG's EXIF orientation applied. */
export function decode(bytes: Uint8Array, header: ImageHeader = readHeader(bytes)): Pixels {
  if (header.width === 0 || header.height === 0)
    throw new ImageError('The image could not be read: it says it has no pixels.');
  const pixels = header.width * header.height;
  if (pixels > MAX_DECODE_PIXELS)
    throw new ImageError(
      `That image is ${header.width}×${header.height} pixels (${(pixels / 1e6).toFixed(0)} megapixels); ` +
        `Talkie takes images up to ${MAX_DECODE_PIXELS / 1e6} megapixels.`,
    );
  let decoded: Pixels;
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      decoded = { width: png.width, height: png.height, data: png.data };
    } else {
      const jpeg = decodeJpeg(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_DECODE_PIXELS / 1e6,
        maxMemoryUsageInMB: 1024,
      });
      decoded = { width: jpeg.width, height: jpeg.height, data: jpeg.data };
    }
  } catch (error) {
    const what = header.format === 'png' ? 'PNG' : 'JPEG';
    throw new ImageError(
      `The image could not be read: the ${what} file is damaged or incomplete (${(error as Error).message}).`,
    );
  }
  if (decoded.data.length < decoded.width * decoded.height * 4)
    throw new ImageError('The image could not be read: it is damaged or incomplete.');
  return orient(decoded, header.orientation);
}

/**
 * Applies an EXIF orientation, so a phone photo taken upright is sent upright (the metadata that said so is
 * dropped with the rest).
 */
export function orient(src: Pixels, orientation: number): Pixels {
  if (orientation <= 1 || orientation > 8) return src;
  const swap = orientation >= 5;
  const width = swap ? src.height : src.width;
  const height = swap ? src.width : src.height;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Where the displayed pixel (x, y) is stored in the file.
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          [sx, sy] = [src.width - 1 - x, y];
          break;
        case 3:
          [sx, sy] = [src.width - 1 - x, src.height - 1 - y];
          break;
        case 4:
          [sx, sy] = [x, src.height - 1 - y];
          break;
        case 5:
          [sx, sy] = [y, x];
          break;
        case 6:
          [sx, sy] = [y, src.height - 1 - x];
          break;
        case 7:
          [sx, sy] = [src.width - 1 - y, src.height - 1 - x];
          break;
        default: // 8
          [sx, sy] = [src.width - 1 - y, x];
      }
      const from = (sy * src.width + sx) * 4;
      out.set(src.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data: out };
}

/** PNG bytes of the pixels: IHDR, IDAT, IEND and nothing else. */
export function encodePng(pixels: Pixels): Buffer {
  const png = new PNG({ width: pixels.width, height: pixels.height });
  png.data = Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
  return PNG.sync.write(png);
}

/** JPEG bytes of the pixels (transparency flattened onto white): a JFIF header and the image, no EXIF. */
export function encodeJpegBytes(pixels: Pixels, quality: number): Buffer {
  const data = Buffer.alloc(pixels.width * pixels.height * 4);
  for (let i = 0; i < data.length; i += 4) {
    const a = (pixels.data[i + 3] ?? 255) / 255;
    data[i] = Math.round((pixels.data[i] ?? 0) * a + 255 * (1 - a));
    data[i + 1] = Math.round((pixels.data[i + 1] ?? 0) * a + 255 * (1 - a));
    data[i + 2] = Math.round((pixels.data[i + 2] ?? 0) * a + 255 * (1 - a));
    data[i + 3] = 255;
  }
  return encodeJpeg({ width: pixels.width, height: pixels.height, data }, quality).data;
}
