/**
 * What only an image's bytes can tell: its size in pixels and its average colour. The simulator answers with
 * these, so a test that reads them in a reply knows the image itself crossed the wire, not a name or a guess.
 */
import { decode, readHeader } from './codec';

export interface ImageFacts {
  width: number;
  height: number;
  /** Mean colour, each channel 0–255 (transparent pixels count as white). */
  average: [number, number, number];
}

/** Facts of PNG or JPEG bytes; throws ImageError when they are not a readable image. */
export function imageFacts(bytes: Uint8Array): ImageFacts {
  const pixels = decode(bytes, readHeader(bytes));
  const sums = [0, 0, 0];
  const count = pixels.width * pixels.height;
  for (let i = 0; i < count * 4; i += 4) {
    const a = (pixels.data[i + 3] ?? 255) / 255;
    for (let c = 0; c < 3; c++) sums[c] = (sums[c] ?? 0) + (pixels.data[i + c] ?? 0) * a + 255 * (1 - a);
  }
  const mean = (c: number): number => Math.round((sums[c] ?? 0) / Math.max(1, count));
  return { width: pixels.width, height: pixels.height, average: [mean(0), mean(1), mean(2)] };
}

/** The bytes of a base64 `data:image/...` URL, or null when it is not one. */
export function dataUrlBytes(url: string): Buffer | null {
  const match = /^data:image\/[a-z0-9.+-]+;base64,/i.exec(url);
  return match ? Buffer.from(url.slice(match[0].length), 'base64') : null;
}

/** "I see a 64×32 image, mostly rgb(255,0,0)." */
export function describeImage(facts: ImageFacts): string {
  return `I see a ${facts.width}×${facts.height} image, mostly rgb(${facts.average.join(',')}).`;
}
