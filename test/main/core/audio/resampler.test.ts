import { describe, expect, it } from 'vitest';
import { resample, StreamingResampler } from '../../../../src/main/core/audio/resampler';
import { rms, sine, zeroCrossingFrequency } from '../../../helpers/audio/signals';

const PAIRS: [number, number][] = [
  [48000, 24000],
  [44100, 24000],
  [16000, 24000],
  [8000, 24000],
  [24000, 48000],
  [24000, 44100],
  [24000, 16000],
  [24000, 8000],
];

describe('StreamingResampler', () => {
  it.each(PAIRS)('keeps a 440 Hz tone at 440 Hz and at its level from %i to %i Hz', (inRate, outRate) => {
    const out = resample(sine(440, inRate, 1, 0.5), inRate, outRate);
    expect(out.length).toBe(outRate);
    const middle = out.subarray(Math.round(outRate * 0.1), Math.round(outRate * 0.9));
    expect(zeroCrossingFrequency(middle, outRate)).toBeCloseTo(440, 0);
    expect(rms(middle)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it.each(PAIRS)(
    'gives the same output whether fed at once or in odd-sized chunks (%i -> %i)',
    (inRate, outRate) => {
      const input = sine(1000, inRate, 0.3, 0.4);
      const whole = resample(input, inRate, outRate);
      const r = new StreamingResampler(inRate, outRate);
      const parts: number[] = [];
      for (let i = 0, size = 1; i < input.length; i += size, size = (size * 7 + 3) % 331 || 1) {
        parts.push(...r.process(input.subarray(i, i + size)));
      }
      parts.push(...r.flush());
      expect(parts.length).toBe(whole.length);
      let maxDiff = 0;
      for (let i = 0; i < whole.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs((parts[i] ?? 0) - (whole[i] ?? 0)));
      expect(maxDiff).toBeLessThan(1e-6);
    },
  );

  it('removes content above the new Nyquist frequency instead of folding it into the speech band', () => {
    // 18 kHz would alias to 6 kHz at 24 kHz output if it were only decimated.
    const out = resample(sine(18000, 48000, 0.5, 0.5), 48000, 24000);
    const middle = out.subarray(1000, out.length - 1000);
    expect(20 * Math.log10(rms(middle) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('places output on the input timeline with no delay (an impulse lands where it was)', () => {
    const input = new Float32Array(4800);
    input[2400] = 1;
    const out = resample(input, 48000, 24000);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i] ?? 0) > Math.abs(out[peak] ?? 0)) peak = i;
    expect(peak).toBe(1200);
  });

  it('rejects nonsense rates in plain words', () => {
    expect(() => new StreamingResampler(0, 24000)).toThrow(/positive whole numbers/);
  });

  it('passes audio through untouched when the rates already match', () => {
    const input = sine(300, 24000, 0.1);
    const r = new StreamingResampler(24000, 24000);
    expect(Array.from(r.process(input))).toEqual(Array.from(input));
  });
});
