/**
 * Which path a reply plays through, with naudiodon replaced at the module boundary: the sound server directly on
 * ALSA's "pulse"/"default" devices, PortAudio on other devices, when a device rate is forced, or when the server
 * refuses the stream; a server stream that dies is reported in plain words. The real path is in test/audio.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { PortDevice } from '../../../../src/main/adapters/naudiodon/devices';
import type { NaudiodonModule } from '../../../../src/main/adapters/naudiodon/load';
import {
  ClockedOutputPump,
  type ClockedOutputOptions,
} from '../../../../src/main/adapters/naudiodon/output-clocked';
import { PlaybackBuffer } from '../../../../src/main/core/audio/playback-buffer';

const device = (name: string): PortDevice =>
  ({
    id: 1,
    name,
    inputs: 0,
    outputs: 2,
    rate: 48000,
    isDefaultInput: false,
    isDefaultOutput: true,
  }) as PortDevice;

/** PortAudio's patched output stream, reduced to what the pump calls. */
class FakePortStream extends EventEmitter {
  start(): void {}
  stats(): object {
    return { framesHanded: 0, framesHeard: 0, outputLatency: 0.01, underflows: 0, callbacks: 0 };
  }
  flushOut(): number {
    return 0;
  }
  write(): boolean {
    return true;
  }
  quit(cb?: () => void): void {
    cb?.();
  }
  abort(cb?: () => void): void {
    cb?.();
  }
}

/** A stand-in sound server: `refuse` makes open throw as libpulse does when there is no server. */
function fakeLib(server: { refuse?: string; healthy?: boolean } = {}): {
  lib: NaudiodonModule;
  opened: string[];
  written: number[];
} {
  const opened: string[] = [];
  const written: number[] = [];
  const lib = {
    SampleFormat16Bit: 16,
    AudioIO: () => {
      opened.push('portaudio');
      return new FakePortStream();
    },
    pulse: {
      available: () => true,
      open: (o: { sampleRate: number }) => {
        if (server.refuse) throw new Error(server.refuse);
        opened.push(`pulse@${o.sampleRate}`);
        return {};
      },
      write: (_h: unknown, b: Buffer) => {
        written.push(b.length / 2);
        return server.healthy ?? true;
      },
      stats: () => ({
        framesHanded: 0,
        framesHeard: 0,
        outputLatency: 0.002,
        underflows: 0,
        dry: false,
        healthy: server.healthy ?? true,
      }),
      flush: () => 0,
      close: () => undefined,
    },
  };
  return { lib: lib as unknown as NaudiodonModule, opened, written };
}

const options = (extra: Partial<ClockedOutputOptions> = {}): ClockedOutputOptions => ({
  periodMs: 5,
  cushionMs: 200,
  fadeMs: 5,
  stallMs: 500,
  startGraceMs: 3000,
  pulse: { targetMs: 10, prebufMs: 2 },
  onLost: () => undefined,
  ...extra,
});

describe('reply output path', () => {
  it('writes to the sound server at 24 kHz on the "default" and "pulse" devices', async () => {
    for (const name of ['default', 'pulse']) {
      const { lib, opened } = fakeLib();
      const pump = ClockedOutputPump.open(lib, device(name), options());
      expect(pump?.backend).toBe('pulse');
      expect(opened).toEqual(['pulse@24000']);
      await pump?.close();
    }
  });

  it('uses PortAudio for other devices, for a forced device rate, and when asked to', async () => {
    const cases: [string, Partial<ClockedOutputOptions>][] = [
      ['hw:USB Headset', {}],
      ['default', { deviceRate: 48000 }],
      ['default', { pulse: null }],
    ];
    for (const [name, extra] of cases) {
      const { lib, opened } = fakeLib();
      const pump = ClockedOutputPump.open(lib, device(name), options(extra));
      expect(pump?.backend).toBe('portaudio');
      expect(opened).toEqual(['portaudio']);
      await pump?.close();
    }
  });

  it('falls back to PortAudio when the sound server refuses the stream', async () => {
    const { lib, opened } = fakeLib({ refuse: 'PulseAudio playback could not start: Connection refused' });
    const pump = ClockedOutputPump.open(lib, device('default'), options());
    expect(pump?.backend).toBe('portaudio');
    expect(opened).toEqual(['portaudio']);
    await pump?.close();
  });

  it('reports a server stream that died as a lost device, in words, and plays no more into it', async () => {
    const server = { healthy: true };
    const { lib, written } = fakeLib(server);
    const lost: string[] = [];
    const pump = ClockedOutputPump.open(lib, device('default'), options({ onLost: (r) => lost.push(r) }));
    if (!pump) throw new Error('no pump');
    const buffer = new PlaybackBuffer({ rate: 24000, delay: 0 });
    const session = pump.play(buffer, { onContent: () => {}, onStarted: () => {}, onDrained: () => {} });
    buffer.write(new Int16Array(2400).fill(1000));
    session.kick();
    expect(written.reduce((a, b) => a + b, 0)).toBe(2400);
    server.healthy = false;
    buffer.write(new Int16Array(2400).fill(1000));
    session.kick();
    expect(lost).toEqual(['the device reported an error: the sound server closed the stream']);
    expect(pump.running).toBe(false);
    expect(written.reduce((a, b) => a + b, 0)).toBe(2400);
  });
});
