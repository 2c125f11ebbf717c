import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAY_STATES } from '../../../src/main/electron/tray-state';

const resources = resolve(__dirname, '../../../resources');
const fresh = mkdtempSync(join(tmpdir(), 'talkie-icons-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

/** Decodes our own PNGs (8-bit RGBA, filter 0): size and raw pixels. */
function decode(file: string): { width: number; height: number; pixels: Buffer } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('icons', () => {
  const run = spawnSync(process.execPath, [join(resources, 'render-icons.mjs'), '--out', fresh], {
    encoding: 'utf8',
  });

  it('regenerate from the script', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  const files: Array<[string, number]> = [
    ...TRAY_STATES.flatMap((s): Array<[string, number]> => [
      [`tray/${s}.png`, 16],
      [`tray/${s}@2x.png`, 32],
    ]),
    ['icon.png', 512],
  ];
  it.each(files)('%s is committed, %i px, and matches what the script draws', (name, size) => {
    const committed = decode(join(resources, name));
    expect([committed.width, committed.height]).toEqual([size, size]);
    expect(committed.pixels.equals(decode(join(fresh, name)).pixels)).toBe(true);
  });

  it('gives each tray state a different picture', () => {
    const pictures = new Set(
      TRAY_STATES.map((s) => decode(join(resources, `tray/${s}@2x.png`)).pixels.toString('base64')),
    );
    expect(pictures.size).toBe(TRAY_STATES.length);
  });
});
