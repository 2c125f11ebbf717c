import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../../../src/main/core/audio/g711';

describe('G.711 μ-law', () => {
  // Reference values from ITU-T G.711 / Sun g711.c.
  it.each([
    [0, 0xff],
    [-1, 0x7f],
    [1, 0xff],
    [32767, 0x80],
    [-32768, 0x00],
    [1000, 0xce],
    [-1000, 0x4e],
  ])('encodes %i as 0x%s', (pcm, byte) => {
    expect(linearToUlaw(pcm)).toBe(byte);
  });

  it.each([
    [0xff, 0],
    [0x7f, 0],
    [0x80, 32124],
    [0x00, -32124],
    [0xce, 988],
  ])('decodes 0x%s as %i', (byte, pcm) => {
    expect(ulawToLinear(byte)).toBe(pcm);
  });

  it('decodes every code to a value that encodes back to the same code', () => {
    for (let b = 0; b < 256; b++) {
      const back = linearToUlaw(ulawToLinear(b));
      // 0x7f and 0xff are both zero; all others are exact.
      expect(back === b || (ulawToLinear(b) === 0 && ulawToLinear(back) === 0)).toBe(true);
    }
  });

  it('keeps the round-trip error within the segment step for the whole range', () => {
    for (let v = -32768; v <= 32767; v += 7) {
      const err = Math.abs(ulawToLinear(linearToUlaw(v)) - v);
      expect(err).toBeLessThanOrEqual(Math.max(8, Math.abs(v) / 16) + 132);
    }
  });

  it('round-trips buffers of samples', () => {
    const pcm = Int16Array.from([0, 100, -100, 5000, -5000, 30000, -30000]);
    const back = decodeUlaw(encodeUlaw(pcm));
    expect(back.length).toBe(pcm.length);
    for (let i = 0; i < pcm.length; i++) expect(Math.abs((back[i] ?? 0) - (pcm[i] ?? 0))).toBeLessThan(1100);
  });
});

describe('G.711 A-law', () => {
  it.each([
    [0, 0xd5],
    [-1, 0x55],
    [32767, 0xaa],
    [-32768, 0x2a],
    [1000, 0xfa],
  ])('encodes %i as 0x%s', (pcm, byte) => {
    expect(linearToAlaw(pcm)).toBe(byte);
  });

  it.each([
    [0xd5, 8],
    [0x55, -8],
    [0xaa, 32256],
    [0x2a, -32256],
  ])('decodes 0x%s as %i', (byte, pcm) => {
    expect(alawToLinear(byte)).toBe(pcm);
  });

  it('decodes every code to a value that encodes back to the same code', () => {
    for (let b = 0; b < 256; b++) expect(linearToAlaw(alawToLinear(b))).toBe(b);
  });

  it('round-trips buffers of samples within the segment step', () => {
    const pcm = Int16Array.from([0, 100, -100, 5000, -5000, 30000, -30000]);
    const back = decodeAlaw(encodeAlaw(pcm));
    for (let i = 0; i < pcm.length; i++) expect(Math.abs((back[i] ?? 0) - (pcm[i] ?? 0))).toBeLessThan(1100);
  });
});
