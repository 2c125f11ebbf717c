/**
 * Helpers for real-device tests and the benchmark on the PulseAudio rig (scripts/audio-rig.sh): checking the rig,
 * recording a source with a wall-clock timeline, and "speaking" into the virtual microphone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pcm16ToInt16, Pcm16Joiner } from '../../../src/main/core/audio/pcm';

/** Environment switch that skips real-device tests (with the reason printed). */
export const SKIP_ENV = 'TALKIE_SKIP_AUDIO';
export const RIG_HINT =
  'PulseAudio is not running: start the audio rig with `bash scripts/audio-rig.sh start`.';

/** True when a PulseAudio server answers and the rig's sinks exist. */
export function rigReady(): { ok: boolean; reason: string } {
  const info = spawnSync('pactl', ['list', 'short', 'sinks'], { encoding: 'utf8' });
  if (info.error || info.status !== 0) return { ok: false, reason: RIG_HINT };
  if (!/virtual_mic/.test(info.stdout) || !/virtual_speaker/.test(info.stdout)) {
    return { ok: false, reason: 'The virtual devices are missing: run `bash scripts/audio-rig.sh start`.' };
  }
  const sources = spawnSync('pactl', ['list', 'short', 'sources'], { encoding: 'utf8' });
  if (!/speaker_timeline/.test(sources.stdout) || !/mic_timeline/.test(sources.stdout)) {
    return { ok: false, reason: 'The timeline sources are missing: run `bash scripts/audio-rig.sh start`.' };
  }
  return { ok: true, reason: '' };
}

/**
 * Records a PulseAudio source (24 kHz mono s16le) and timestamps arrivals, so every recorded sample has a
 * wall-clock time (performance.now() ms): arrivals are never early, so the earliest-implied start wins.
 */
export class TimedRecorder {
  private readonly proc: ChildProcess;
  /** The recording so far, converted as it arrives (grown by doubling), and its length in samples. */
  private pcm = new Int16Array(24000 * 10);
  private length = 0;
  private readonly joiner = new Pcm16Joiner();
  private bytes = 0;
  /** min over chunks of (arrival ms - samples before its end / rate). */
  private offsetMs = Infinity;
  readonly rate = 24000;

  constructor(source: string) {
    const args = [
      `--device=${source}`,
      '--raw',
      '--format=s16le',
      '--rate=24000',
      '--channels=1',
      '--latency-msec=20',
    ];
    // The measuring instrument must not drop samples on a busy machine: run it real-time when allowed (root/CI).
    const rt = process.getuid?.() === 0 && spawnSync('chrt', ['--version']).status === 0;
    this.proc = spawn(rt ? 'chrt' : 'parecord', rt ? ['-f', '2', 'parecord', ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout?.on('data', (chunk: Buffer) => {
      const at = performance.now();
      this.append(chunk);
      this.bytes += chunk.length;
      const endSample = Math.floor(this.bytes / 2);
      this.offsetMs = Math.min(this.offsetMs, at - (endSample * 1000) / this.rate);
    });
  }

  /**
   * Converts each chunk once, as it arrives: re-converting the whole recording at every look made megabytes of
   * garbage per look, and the collections it caused stalled whatever else ran in the process (the app, in benchmarks).
   */
  private append(chunk: Buffer): void {
    const pcm = pcm16ToInt16(this.joiner.push(chunk));
    if (this.length + pcm.length > this.pcm.length) {
      const grown = new Int16Array(Math.max(this.length + pcm.length, this.pcm.length * 2));
      grown.set(this.pcm.subarray(0, this.length));
      this.pcm = grown;
    }
    this.pcm.set(pcm, this.length);
    this.length += pcm.length;
  }

  /** Waits until the recorder delivers audio. */
  async ready(timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    while (this.bytes < 4800) {
      if (Date.now() - start > timeoutMs)
        throw new Error('parecord delivered no audio (is the rig running?)');
      await sleep(10);
    }
  }

  /** Everything recorded so far (a view: later audio does not change it). */
  samples(): Int16Array {
    return this.pcm.subarray(0, this.length);
  }

  /** Wall-clock time (performance.now() ms) of recorded sample `index`. */
  timeOf(index: number): number {
    return this.offsetMs + (index * 1000) / this.rate;
  }

  /** Sample index recorded at wall-clock time `ms`. */
  indexAt(ms: number): number {
    return Math.round(((ms - this.offsetMs) * this.rate) / 1000);
  }

  /** Stops recording. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGTERM');
    await done;
  }
}

/** Plays a WAV file into the virtual microphone; resolves when paplay exits. */
export function playIntoMic(wavPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('paplay', ['--device=virtual_mic', wavPath], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paplay exited with ${code}`))));
  });
}

/** Raw PCM16 24 kHz mono into the virtual microphone through pacat's stdin (low latency), for timed bursts. */
export class MicFeeder {
  private readonly proc: ChildProcess;
  constructor() {
    this.proc = spawn(
      'pacat',
      [
        '--playback',
        '--device=virtual_mic',
        '--raw',
        '--format=s16le',
        '--rate=24000',
        '--channels=1',
        '--latency-msec=10',
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
  }
  /** Queues PCM (the feeder must be kept fed with silence between bursts for a steady timeline). */
  write(pcm: Buffer): void {
    this.proc.stdin?.write(pcm);
  }
  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    // Audio still queued when the feeder is stopped is meant to be dropped: its broken pipe is not a failure.
    this.proc.stdin?.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    this.proc.stdin?.end();
    setTimeout(() => this.proc.kill('SIGTERM'), 500).unref();
    await done;
  }
}

/**
 * A steady tone in the virtual microphone that arrives the way a hardware microphone's does, for CPU figures.
 * PulseAudio's module-sine plays into the microphone sink without asking for a latency, so the sound server
 * renders at the capturing client's own pace: the client's libpulse thread wakes about 100 times a second at a
 * 20 ms period. MicFeeder's pacat asks for 10 ms, which makes the server render 2.5 ms blocks and wake every
 * capturing client's libpulse thread about 800 times a second: right for a timed burst, not a fair CPU figure.
 */
export class SineMicrophone {
  private constructor(private readonly module: string) {}

  static start(frequency = 440): SineMicrophone {
    const out = spawnSync(
      'pactl',
      ['load-module', 'module-sine', 'sink=virtual_mic', `frequency=${frequency}`],
      { encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(`pactl load-module module-sine failed: ${out.stderr.trim()}`);
    return new SineMicrophone(out.stdout.trim());
  }

  close(): void {
    const out = spawnSync('pactl', ['unload-module', this.module], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`pactl unload-module ${this.module} failed: ${out.stderr.trim()}`);
  }
}

/** Index of the first sample whose absolute value exceeds `threshold`, at or after `from` (-1 if none). */
export function onsetIndex(samples: Int16Array, threshold: number, from = 0): number {
  for (let i = Math.max(0, from); i < samples.length; i++)
    if (Math.abs(samples[i] ?? 0) > threshold) return i;
  return -1;
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** PulseAudio stream indexes (source-outputs or sink-inputs) owned by process `pid`. */
export function pulseStreamsOf(kind: 'source-outputs' | 'sink-inputs', pid = process.pid): number[] {
  const out = spawnSync('pactl', ['--format=json', 'list', kind], { encoding: 'utf8' });
  if (out.status !== 0) return [];
  const list = JSON.parse(out.stdout) as { index: number; properties?: Record<string, string> }[];
  return list.filter((s) => s.properties?.['application.process.id'] === String(pid)).map((s) => s.index);
}

/** Kills a PulseAudio stream, as when a device is unplugged or the sound server drops the stream. */
export function killPulseStream(kind: 'source-output' | 'sink-input', index: number): void {
  spawnSync('pacmd', [`kill-${kind}`, String(index)]);
}
