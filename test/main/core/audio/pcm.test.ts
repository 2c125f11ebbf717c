import { describe, expect, it } from 'vitest';
import {
  float32ToPcm16,
  int16ToPcm16,
  msToSamples,
  Pcm16Joiner,
  pcm16ToFloat32,
  pcm16ToInt16,
  samplesToMs,
} from '../../../../src/main/core/audio/pcm';

describe('PCM16 conversions', () => {
  it('maps the 16-bit range to [-1, 1) and back exactly', () => {
    const pcm = int16ToPcm16(Int16Array.from([0, 1, -1, 32767, -32768, 12345]));
    const f = pcm16ToFloat32(pcm);
    expect(Array.from(f)).toEqual([0, 1 / 32768, -1 / 32768, 32767 / 32768, -1, 12345 / 32768]);
    expect(float32ToPcm16(f).equals(pcm)).toBe(true);
  });

  it('clips out-of-range floats instead of wrapping around', () => {
    const pcm = float32ToPcm16(Float32Array.from([1.5, -1.5]));
    expect(Array.from(pcm16ToInt16(pcm))).toEqual([32767, -32768]);
  });

  it('reads little-endian samples from unaligned slices', () => {
    const raw = Buffer.from([0xff, 0x34, 0x12, 0xcd, 0xab]);
    expect(Array.from(pcm16ToInt16(raw.subarray(1)))).toEqual([0x1234, -0x5433]);
  });

  it('converts between milliseconds and samples', () => {
    expect(msToSamples(20, 24000)).toBe(480);
    expect(samplesToMs(2400, 24000)).toBe(100);
  });
});

describe('Pcm16Joiner', () => {
  it('keeps a sample split across chunks whole', () => {
    const j = new Pcm16Joiner();
    const a = j.push(Buffer.from([0x01, 0x02, 0x03]));
    const b = j.push(Buffer.from([0x04, 0x05, 0x06]));
    expect(Array.from(Buffer.concat([a, b]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.byteLength % 2).toBe(0);
  });
});
