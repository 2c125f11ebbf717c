import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNaudiodon } from '../../../../src/main/adapters/naudiodon/load';

describe('loadNaudiodon', () => {
  it('loads the patched native build in plain Node (segfault-handler optional, PortAudio found next to it)', () => {
    const lib = loadNaudiodon();
    expect(typeof lib.getDevices).toBe('function');
    expect(typeof lib.AudioIO).toBe('function');
    expect(loadNaudiodon()).toBe(lib); // loaded once
  });
});

describe('the naudiodon build', () => {
  const dir = join(dirname(createRequire(import.meta.url).resolve('naudiodon')), 'build', 'Release');

  it('was compiled from the patched sources (native clock and barge-in flush); otherwise run `npm rebuild naudiodon`', () => {
    const binary = readFileSync(join(dir, 'naudiodon.node'));
    expect(binary.includes('flushOut')).toBe(true);
    expect(binary.includes('framesHeard')).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'finds its bundled PortAudio next to itself ($ORIGIN), so it survives being moved or unpacked',
    () => {
      const out = spawnSync('readelf', ['-d', join(dir, 'naudiodon.node')], { encoding: 'utf8' });
      expect(out.stdout).toMatch(/(RUNPATH|RPATH).*\[\$ORIGIN\]/);
      expect(existsSync(join(dir, 'libportaudio.so.2'))).toBe(true);
    },
  );
});
