import { describe, expect, test } from 'vitest';
import {
  base64ToSamples,
  replyAudio,
  replyAudioLayout,
  samplesToBase64,
  TONE_AMPLITUDE,
} from '../../../../src/main/core/simulator/audio';
import { isStrictBase64 } from '../../../../src/main/core/simulator/audio';

/** Goertzel power of `freq` in a slice, normalised by length. */
function power(samples: Int16Array, freq: number): number {
  const w = (2 * Math.PI * freq) / 24000;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / samples.length;
}

describe('replyAudio', () => {
  test('is 180 ms per word and the same every time', () => {
    const a = replyAudio('I heard 1.2 seconds of audio.');
    expect(a.length).toBe(6 * 180 * 24);
    expect(replyAudio('I heard 1.2 seconds of audio.')).toEqual(a);
    expect(replyAudio('')).toHaveLength(0);
  });

  test('each word is a burst at its own speech-band frequency, then 30 ms of silence', () => {
    const text = 'one two three four five';
    const audio = replyAudio(text);
    const layout = replyAudioLayout(text);
    const freqs = layout.map((s) => s.frequency);
    expect(new Set(freqs).size).toBe(5);
    expect(freqs.every((f) => f >= 300 && f <= 1200)).toBe(true);
    for (const span of layout) {
      const burst = audio.subarray(span.startSample, span.startSample + 150 * 24);
      const other = freqs.find((f) => f !== span.frequency) ?? 0;
      expect(power(burst, span.frequency)).toBeGreaterThan(100 * power(burst, other));
      const gap = audio.subarray(span.startSample + 150 * 24, span.startSample + 180 * 24);
      expect(gap.every((x) => x === 0)).toBe(true);
    }
  });

  test('bursts fade in and out (no clicks) and stay under the set amplitude', () => {
    const audio = replyAudio('hello');
    expect(audio[0]).toBe(0);
    expect(Math.abs(audio[150 * 24 - 1] ?? 1)).toBeLessThan(50);
    const peak = audio.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeLessThanOrEqual(Math.round(TONE_AMPLITUDE * 32767));
    expect(peak).toBeGreaterThan(0.9 * TONE_AMPLITUDE * 32767);
  });

  test('survives the base64 round trip of an audio delta', () => {
    const audio = replyAudio('round trip');
    const encoded = samplesToBase64(audio);
    expect(isStrictBase64(encoded)).toBe(true);
    expect(base64ToSamples(encoded)).toEqual(audio);
  });

  test('strict base64 check refuses what Node would silently skip', () => {
    expect(isStrictBase64('AAAA')).toBe(true);
    expect(isStrictBase64('not base64!')).toBe(false);
    expect(isStrictBase64('AAA')).toBe(false);
  });
});
