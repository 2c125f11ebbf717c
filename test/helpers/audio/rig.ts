/**
 * Gate for real-device tests: fail loudly when the rig is down (so CI cannot pass by accident), or skip with the
 * reason printed when TALKIE_SKIP_AUDIO=1 says this machine has no audio on purpose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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

/**
 * Cross-process lock on the rig: there is one virtual microphone and one speaker, so real-device test files (and
 * the benchmark) take turns even when vitest runs files in parallel. A lock left by a dead process is taken over.
 */
export async function acquireRigLock(timeoutMs = 180_000): Promise<() => void> {
  const path = join(tmpdir(), 'talkie-audio-rig.lock');
  const start = Date.now();
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(path, 'utf8'));
      } catch {
        continue;
      }
      if (!holder || !alive(holder)) {
        try {
          unlinkSync(path);
        } catch {
          // raced with another taker
        }
        continue;
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`The audio rig stayed busy (held by process ${holder}).`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
