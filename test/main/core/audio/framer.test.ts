import { describe, expect, it } from 'vitest';
import { Framer } from '../../../../src/main/core/audio/framer';

function pcmOf(samples: number): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE(i % 30000, i * 2);
  return b;
}

describe('Framer', () => {
  it.each([20, 30, 40])('cuts %i ms frames of exactly the right size from uneven chunks', (ms) => {
    const frames: Buffer[] = [];
    const framer = new Framer(Framer.samplesFor(ms, 24000), (f) => frames.push(f));
    const input = pcmOf(24000);
    for (let i = 0, size = 2; i < input.length; i += size, size = ((size * 13) % 1000) + 2) {
      framer.push(input.subarray(i, Math.min(input.length, i + size)));
    }
    expect(frames.every((f) => f.byteLength === ms * 48)).toBe(true);
    framer.flush();
    expect(Buffer.concat(frames).equals(input)).toBe(true);
  });

  it('sends the last partial frame on flush, and nothing when nothing is left', () => {
    const frames: Buffer[] = [];
    const framer = new Framer(480, (f) => frames.push(f));
    framer.push(pcmOf(500));
    expect(frames.length).toBe(1);
    framer.flush();
    expect(frames.map((f) => f.byteLength)).toEqual([960, 40]);
    framer.flush();
    expect(frames.length).toBe(2);
  });

  it('hands out frames that later input cannot change', () => {
    const frames: Buffer[] = [];
    const framer = new Framer(480, (f) => frames.push(f));
    const chunk = pcmOf(480);
    framer.push(chunk);
    chunk.fill(0);
    expect(frames[0]?.readInt16LE(2)).toBe(1);
  });

  it('refuses frame lengths outside 20–40 ms in plain words', () => {
    expect(() => Framer.samplesFor(10, 24000)).toThrow(/20–40 ms/);
    expect(() => Framer.samplesFor(50, 24000)).toThrow(/20–40 ms/);
  });
});
