/**
 * A press is never lost, on real devices: the app core (createApp, NaudiodonEngine, the simulator) runs in a child
 * process (test/fixtures/audio/press-child.mjs) so the test can pause it like a busy machine does (SIGSTOP/SIGCONT),
 * and its microphone is a sink of this test's own on the rig, so it can be removed and restored (pactl unload/load).
 * Each hold plays a tone into that microphone; what counts is what the server heard (the simulator's commits).
 * Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRigLock } from '../helpers/audio/hold-rig';
import { killPulseStream, pulseStreamsOf, sleep } from '../helpers/audio/pulse';
import { audioRigGate, scratchDir, wavBytes } from '../helpers/audio/rig';
import { sine, toInt16 } from '../helpers/audio/signals';

const gate = audioRigGate();
const SINK = 'talkie_lost_mic';
const CHILD = join(__dirname, '..', 'fixtures', 'audio', 'press-child.mjs');

interface ChildState {
  turns: { phase: string; recordedMs?: number; outcome?: { kind: string; reason?: string } }[];
  committed: { ms: number; peak: number }[];
  commits: number;
  creates: number;
  notices: string[];
}

function loadSink(): string {
  const out = spawnSync(
    'pactl',
    ['load-module', 'module-null-sink', `sink_name=${SINK}`, 'rate=24000', 'channels=1'],
    { encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`pactl load-module failed: ${out.stderr}`);
  return out.stdout.trim();
}

function unloadSink(module: string): void {
  spawnSync('pactl', ['unload-module', module]);
}

/** The app core in a child process, driven line by line. */
class Child {
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  readonly proc: ChildProcessWithoutNullStreams;
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [CHILD], {
      env: { ...process.env, PULSE_SOURCE: `${SINK}.monitor` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async next(timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const end = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (Date.now() > end || this.proc.exitCode !== null)
        throw new Error(`the child said nothing (exit ${this.proc.exitCode}):\n${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return JSON.parse(this.lines.shift() ?? '{}') as Record<string, unknown>;
  }

  async send(cmd: 'press' | 'release' | 'state'): Promise<Record<string, unknown>> {
    this.proc.stdin.write(`${cmd}\n`);
    return this.next();
  }

  async state(): Promise<ChildState> {
    return (await this.send('state')) as unknown as ChildState;
  }

  /** Waits until the server has `count` commits (or the last turn settled without one). */
  async committed(count: number): Promise<ChildState> {
    for (let i = 0; i < 100; i++) {
      const s = await this.state();
      const last = s.turns.at(-1);
      if (
        s.commits >= count ||
        (last &&
          last.phase !== 'committing' &&
          last.phase !== 'listening' &&
          s.commits < count &&
          last.outcome)
      )
        return s;
      await sleep(100);
    }
    return this.state();
  }

  pause(): void {
    this.proc.kill('SIGSTOP');
  }

  resume(): void {
    this.proc.kill('SIGCONT');
  }

  async quit(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.proc.kill('SIGCONT');
    this.proc.stdin.write('quit\n');
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    setTimeout(() => this.proc.kill('SIGKILL'), 5000).unref();
    await done;
  }
}

/** Plays `wav` into the test's microphone; resolves when done. */
function speak(wav: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('paplay', [`--device=${SINK}`, wav], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve());
  });
}

describe.skipIf(gate === 'skip')('a press is never lost (real devices, a child process)', () => {
  holdRigLock();
  let scratch: ReturnType<typeof scratchDir>;
  let tone: string;
  let module: string;
  let child: Child;

  beforeAll(async () => {
    scratch = scratchDir();
    tone = join(scratch.dir, 'tone.wav');
    writeFileSync(tone, wavBytes(toInt16(sine(700, 24000, 2, 0.5))));
    module = loadSink();
    child = new Child();
    expect(await child.next(60_000)).toEqual({ ready: true });
  }, 90_000);

  afterAll(async () => {
    await child?.quit();
    if (module) unloadSink(module);
    scratch?.cleanup();
  });

  /**
   * Removes the microphone. PulseAudio 15+ moves a stream whose source goes away to another source instead of
   * dropping it (the app would go on capturing the wrong device, silently, and there is no loss to handle), so the
   * child's stream is also killed: what a sound server without that rescue, or an unplugged ALSA device, does.
   */
  function remove(): void {
    const streams = pulseStreamsOf('source-outputs', child.proc.pid);
    unloadSink(module);
    module = '';
    for (const s of streams) killPulseStream('source-output', s);
  }

  /** Holds the key for `holdMs` while a tone plays into the microphone; returns what the server heard. */
  async function hold(holdMs: number, during?: () => Promise<void>): Promise<ChildState> {
    const before = (await child.state()).commits;
    const speaking = speak(tone);
    await sleep(150);
    await child.send('press');
    const t0 = Date.now();
    await during?.();
    await sleep(Math.max(0, holdMs - (Date.now() - t0)));
    await child.send('release');
    const state = await child.committed(before + 1);
    await speaking;
    return state;
  }

  it('a paused process keeps its microphone: the next 700 ms hold reaches the server whole', async () => {
    const [stream] = pulseStreamsOf('source-outputs', child.proc.pid);
    expect(stream).toBeDefined();
    child.pause();
    await sleep(1200);
    child.resume();
    await sleep(400);
    // The same microphone stream: not judged stalled by the late watchdog, not closed, not reopened cold.
    expect(pulseStreamsOf('source-outputs', child.proc.pid)).toEqual([stream]);
    const state = await hold(700);
    const turn = state.turns.at(-1);
    expect(turn?.outcome?.kind).not.toBe('ignored');
    expect(state.creates).toBeGreaterThanOrEqual(1);
    const heard = state.committed.at(-1);
    expect(heard?.ms).toBeGreaterThanOrEqual(600);
    expect(heard?.peak).toBeGreaterThan(8000); // the tone, not silence
  }, 30_000);

  it('a process paused for 1.2 s in the middle of a hold still sends the hold, the paused part included', async () => {
    const state = await hold(1000, async () => {
      await sleep(200);
      child.pause();
      await sleep(1200);
      child.resume();
    });
    const heard = state.committed.at(-1);
    expect(state.turns.at(-1)?.outcome?.kind).not.toBe('ignored');
    expect(heard?.ms).toBeGreaterThanOrEqual(300);
    expect(heard?.peak).toBeGreaterThan(8000);
  }, 30_000);

  it('a microphone removed while idle is reopened in the background once restored; the user is told only while it stays lost', async () => {
    const noticesBefore = (await child.state()).notices.length;
    remove();
    await sleep(4500); // longer than the 3 s it may be lost before the user is told
    const lost = await child.state();
    const told = lost.notices.slice(noticesBefore);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/stopped working.*keeps trying/);
    module = loadSink();
    // Reopened with no press: a stream of the child's appears on the restored microphone.
    let streams: number[] = [];
    for (let i = 0; i < 100 && streams.length === 0; i++) {
      await sleep(100);
      streams = pulseStreamsOf('source-outputs', child.proc.pid);
    }
    expect(streams).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      if ((await child.state()).notices.length > noticesBefore + 1) break;
      await sleep(100);
    }
    expect((await child.state()).notices.slice(noticesBefore)).toEqual([
      told[0],
      'The microphone works again.',
    ]);
    await sleep(300);
    const state = await hold(700);
    expect(state.committed.at(-1)?.ms).toBeGreaterThanOrEqual(600);
    expect(state.committed.at(-1)?.peak).toBeGreaterThan(8000);
  }, 40_000);

  it('a press that meets a reopening microphone is kept until audio arrives, and its hold reaches the server', async () => {
    remove();
    await sleep(1000);
    module = loadSink();
    // Press at once, while the microphone is still being reopened (cold): no "Hold to talk", no lost words.
    const state = await hold(700);
    const turn = state.turns.at(-1);
    expect(turn?.outcome?.kind).not.toBe('ignored');
    expect(state.committed.at(-1)?.ms).toBeGreaterThanOrEqual(300);
    expect(state.committed.at(-1)?.peak).toBeGreaterThan(8000);
  }, 40_000);
});
