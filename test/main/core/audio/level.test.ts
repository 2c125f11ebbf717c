import { describe, expect, it } from 'vitest';
import { LevelMeter, rmsDbfs, SILENCE_DBFS } from '../../../../src/main/core/audio/level';
import { sine, toInt16 } from '../../../helpers/audio/signals';

describe('rmsDbfs', () => {
  it('reads a full-scale sine as about -3 dBFS', () => {
    expect(rmsDbfs(toInt16(sine(1000, 24000, 0.1, 1)))).toBeCloseTo(-3.01, 1);
  });
  it('reads a half-scale sine as about -9 dBFS', () => {
    expect(rmsDbfs(toInt16(sine(1000, 24000, 0.1, 0.5)))).toBeCloseTo(-9.03, 1);
  });
  it('reads digital silence and empty input as the silence floor', () => {
    expect(rmsDbfs(new Int16Array(480))).toBe(SILENCE_DBFS);
    expect(rmsDbfs(new Int16Array(0))).toBe(SILENCE_DBFS);
  });
});

describe('LevelMeter', () => {
  it('reports at most 30 times per second of audio however small the chunks are', () => {
    const levels: number[] = [];
    const meter = new LevelMeter(24000, (d) => levels.push(d));
    const second = toInt16(sine(500, 24000, 1, 0.5));
    for (let i = 0; i < second.length; i += 48) meter.push(second.subarray(i, i + 48)); // 2 ms chunks
    expect(levels.length).toBeLessThanOrEqual(30);
    expect(levels.length).toBeGreaterThanOrEqual(29);
    for (const l of levels) expect(l).toBeCloseTo(-9.03, 0);
  });

  it('reports the remainder on flush so the last level of a press is not lost', () => {
    const levels: number[] = [];
    const meter = new LevelMeter(24000, (d) => levels.push(d));
    meter.push(toInt16(sine(500, 24000, 0.01, 0.5)));
    expect(levels).toEqual([]);
    meter.flush();
    expect(levels.length).toBe(1);
  });
});
