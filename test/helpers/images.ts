/**
 * Image fixtures made on the spot (no binary fixtures): solid and noisy PNGs, JPEGs, and the metadata a phone or
 * an editor would put in them (an EXIF block with an orientation and a GPS note, a PNG text chunk).
 */
import { crc32 } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

export type Rgba = [number, number, number, number];

function pixels(width: number, height: number, at: (x: number, y: number) => Rgba): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(at(x, y), (y * width + x) * 4);
  return data;
}

export function png(width: number, height: number, at: (x: number, y: number) => Rgba): Buffer {
  const image = new PNG({ width, height });
  image.data = pixels(width, height, at);
  return PNG.sync.write(image);
}

export const solidPng = (width: number, height: number, colour: Rgba): Buffer =>
  png(width, height, () => colour);

/** Noise compresses badly: a PNG of it is large, so fitting turns it into a JPEG. */
export function noisyPng(width: number, height: number, seed = 1): Buffer {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s & 0xff;
  };
  return png(width, height, () => [next(), next(), next(), 255]);
}

export function jpeg(
  width: number,
  height: number,
  at: (x: number, y: number) => Rgba,
  quality = 90,
): Buffer {
  return encodeJpeg({ width, height, data: pixels(width, height, at) }, quality).data;
}

/** A JPEG with an EXIF APP1 block right after SOI: Orientation, and an ImageDescription carrying `note`. */
export function jpegWithExif(jpegBytes: Buffer, orientation: number, note: string): Buffer {
  const text = Buffer.from(`${note}\0`, 'latin1');
  // TIFF header (little-endian), IFD0 with two entries: Orientation (SHORT) and ImageDescription (ASCII).
  const ifdOffset = 8;
  const entries = 2;
  const dataOffset = ifdOffset + 2 + entries * 12 + 4;
  const tiff = Buffer.alloc(dataOffset + text.length);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(ifdOffset, 4);
  tiff.writeUInt16LE(entries, ifdOffset);
  let e = ifdOffset + 2;
  tiff.writeUInt16LE(0x010e, e); // ImageDescription
  tiff.writeUInt16LE(2, e + 2);
  tiff.writeUInt32LE(text.length, e + 4);
  tiff.writeUInt32LE(dataOffset, e + 8);
  e += 12;
  tiff.writeUInt16LE(0x0112, e); // Orientation
  tiff.writeUInt16LE(3, e + 2);
  tiff.writeUInt32LE(1, e + 4);
  tiff.writeUInt16LE(orientation, e + 8);
  text.copy(tiff, dataOffset);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpegBytes.subarray(0, 2), segment, payload, jpegBytes.subarray(2)]);
}

/** A PNG with a tEXt chunk (keyword + text) right after IHDR. */
export function pngWithText(pngBytes: Buffer, keyword: string, text: string): Buffer {
  const body = Buffer.concat([Buffer.from(`tEXt${keyword}\0${text}`, 'latin1')]);
  const chunk = Buffer.alloc(4 + body.length + 4);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body) >>> 0, 4 + body.length);
  const afterIhdr = 8 + 25; // signature + IHDR (length, type, 13 bytes, CRC)
  return Buffer.concat([pngBytes.subarray(0, afterIhdr), chunk, pngBytes.subarray(afterIhdr)]);
}

/** A PNG header that claims width × height, followed by nothing usable (a decompression bomb's first bytes). */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const head = Buffer.from(solidPng(1, 1, [0, 0, 0, 255]));
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return head;
}
