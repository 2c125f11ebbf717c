/**
 * Fitting an attached image: the picture the model gets keeps its proportions, stays under the longest side the user
 * chose, loses every byte of metadata, and anything unusable is refused with words that say why.
 */
import { describe, expect, it } from 'vitest';
import { decode, readHeader } from '../../../../src/main/core/images/codec';
import { describeImage, imageFacts } from '../../../../src/main/core/images/facts';
import { fitImage, fittedSize, ImageError, MAX_INPUT_BYTES } from '../../../../src/main/core/images/fit';
import {
  jpeg,
  jpegWithExif,
  noisyPng,
  png,
  pngHeaderOnly,
  pngWithText,
  solidPng,
} from '../../../helpers/images';

const RED: [number, number, number, number] = [255, 0, 0, 255];

function refused(bytes: Buffer): string {
  try {
    fitImage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ImageError);
    return (error as Error).message;
  }
  throw new Error('the image was accepted');
}

describe('fitting an image to send', () => {
  it('scales a landscape and a portrait image so the longest side is the limit, keeping the aspect ratio', () => {
    const wide = fitImage(solidPng(2000, 1000, RED));
    expect([wide.width, wide.height]).toEqual([1536, 768]);
    expect(readHeader(wide.bytes)).toMatchObject({ width: 1536, height: 768 });

    const tall = fitImage(solidPng(900, 2700, RED), { maxSide: 600 });
    expect([tall.width, tall.height]).toEqual([200, 600]);
    expect(fittedSize(4032, 3024, 1536)).toEqual({ width: 1536, height: 1152 });
  });

  it('never enlarges a small image, and keeps a small PNG as PNG with its exact colour', () => {
    const fitted = fitImage(solidPng(64, 32, RED));
    expect(fitted).toMatchObject({ mime: 'image/png', width: 64, height: 32 });
    expect(describeImage(imageFacts(fitted.bytes))).toBe('I see a 64×32 image, mostly rgb(255,0,0).');
  });

  it('sends photos and large screenshots as JPEG, and averages colour when shrinking', () => {
    const photo = fitImage(jpeg(800, 600, () => [0, 0, 255, 255]));
    expect(photo.mime).toBe('image/jpeg');
    const screenshot = fitImage(noisyPng(1200, 900));
    expect(screenshot.mime).toBe('image/jpeg');
    // Black and white stripes one pixel wide: shrunk, every pixel is a grey between them (area averaging), none
    // is pure black or white as a nearest-pixel shrink would leave.
    const stripes = fitImage(
      png(400, 100, (x) => (x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255])),
      { maxSide: 256 },
    );
    const shown = decode(stripes.bytes);
    expect([shown.width, shown.height]).toEqual([256, 64]);
    const values = [...shown.data].filter((_, i) => i % 4 !== 3);
    expect(values.reduce((a, v) => Math.min(a, v), 255)).toBeGreaterThan(60);
    expect(values.reduce((a, v) => Math.max(a, v), 0)).toBeLessThan(195);
  });

  it('strips metadata: no EXIF (with what it said) in a JPEG, no text chunk in a PNG', () => {
    const secret = 'GPS 48.8583N 2.2945E taken by Alice';
    const photo = jpegWithExif(
      jpeg(40, 20, () => [0, 200, 0, 255]),
      1,
      secret,
    );
    expect(photo.includes(Buffer.from(secret))).toBe(true);
    const out = fitImage(photo).bytes;
    expect(out.includes(Buffer.from(secret))).toBe(false);
    expect(out.includes(Buffer.from('Exif'))).toBe(false);

    const diagram = pngWithText(solidPng(50, 50, RED), 'Comment', secret);
    expect(decode(diagram).width).toBe(50); // the fixture is a valid PNG with its text chunk
    const fitted = fitImage(diagram);
    expect(fitted.mime).toBe('image/png');
    expect(fitted.bytes.includes(Buffer.from(secret))).toBe(false);
    expect(fitted.bytes.includes(Buffer.from('tEXt'))).toBe(false);
  });

  it('turns a phone photo upright from its EXIF orientation before dropping the EXIF', () => {
    // Stored 40×20 with the left half red; orientation 6 = shown rotated 90° clockwise: 20×40, top half red.
    const stored = jpeg(40, 20, (x) => (x < 20 ? [255, 0, 0, 255] : [0, 0, 255, 255]), 95);
    const fitted = fitImage(jpegWithExif(stored, 6, 'phone'));
    expect([fitted.width, fitted.height]).toEqual([20, 40]);
    const shown = decode(fitted.bytes);
    const at = (x: number, y: number): number[] => [
      ...shown.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 3),
    ];
    expect(at(10, 5)[0]).toBeGreaterThan(200); // top: red
    expect(at(10, 35)[2]).toBeGreaterThan(200); // bottom: blue
  });

  it('refuses an image that claims too many pixels before decoding it', () => {
    expect(refused(pngHeaderOnly(20_000, 20_000))).toMatch(
      /^That image is 20000×20000 pixels \(400 megapixels\); Talkie takes images up to 50 megapixels\.$/,
    );
  });

  it('refuses a file over the size cap, saying its size and the cap', () => {
    const big = Buffer.concat([solidPng(2, 2, RED), Buffer.alloc(MAX_INPUT_BYTES)]);
    expect(refused(big)).toMatch(/^That image is 20\.0 MB; Talkie takes images up to 20 MB\.$/);
  });

  it('refuses damaged and unsupported files in words', () => {
    const whole = solidPng(64, 64, RED);
    expect(refused(whole.subarray(0, 60))).toMatch(/^The image could not be read: the PNG file is damaged/);
    expect(refused(jpeg(32, 32, () => RED).subarray(0, 30))).toMatch(/JPEG file is damaged or incomplete/);
    expect(refused(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe(
      'A GIF image cannot be attached: Talkie takes PNG and JPEG images (a screenshot, a photo).',
    );
    expect(refused(Buffer.from('hello, not an image'))).toMatch(/^This file cannot be attached/);
    expect(refused(Buffer.alloc(0))).toBe('That image is empty.');
  });
});
