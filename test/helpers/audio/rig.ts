/**
 * Gate for real-device tests: fail loudly when the rig is down (so CI cannot pass by accident), or skip with the
 * reason printed when TALKIE_SKIP_AUDIO=1 says this machine has no audio on purpose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rigReady, SKIP_ENV } from './pulse';

/** 'run' when the rig is up; 'skip' (reason printed) when TALKIE_SKIP_AUDIO=1; otherwise throws with the fix. */
export function audioRigGate(): 'run' | 'skip' {
  const rig = rigReady();
  if (rig.ok) return 'run';
  if (process.env[SKIP_ENV] === '1') {
    console.warn(`[audio tests skipped] ${SKIP_ENV}=1 and the rig is not available: ${rig.reason}`);
    return 'skip';
  }
  throw new Error(
    `${rig.reason} (or set ${SKIP_ENV}=1 to skip real-device tests on a machine without audio)`,
  );
}

/** A scratch directory removed by the returned cleanup. */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-audio-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Speech made at test time: espeak-ng, then sox to 24 kHz mono 16-bit WAV. Returns the WAV path and its PCM. */
export function makeSpeech(dir: string, text: string): { wav: string; pcm: Int16Array } {
  const raw = join(dir, 'espeak.wav');
  const wav = join(dir, 'speech-24k.wav');
  execFileSync('espeak-ng', ['-w', raw, text]);
  execFileSync('sox', [raw, '-r', '24000', '-c', '1', '-b', '16', wav]);
  return { wav, pcm: readWavPcm16(wav) };
}

/** Writes PCM16 24 kHz mono as a WAV file. */
export function wavBytes(pcm: Int16Array, rate = 24000): Buffer {
  const data = Buffer.from(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Reads the PCM16 samples of a simple WAV file (finds the data chunk). */
export function readWavPcm16(path: string): Int16Array {
  const b = readFileSync(path);
  let off = 12;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    if (id === 'data') {
      const n = Math.floor(Math.min(size, b.length - off - 8) / 2);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = b.readInt16LE(off + 8 + i * 2);
      return out;
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`No PCM data in ${path}`);
}
