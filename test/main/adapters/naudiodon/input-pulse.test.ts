/**
 * Which path the microphone records through, with naudiodon replaced at the module boundary: the sound server
 * directly on ALSA's "pulse"/"default" devices (small fragments gathered natively into 20 ms blocks), PortAudio on
 * other devices, when a device rate is forced, when asked to, with a build that cannot record from the server, or
 * when the server refuses; a server stream that dies is reported in plain words. The real path is in test/audio.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { PortDevice } from '../../../../src/main/adapters/naudiodon/devices';
import { InputPump, type InputPumpOptions } from '../../../../src/main/adapters/naudiodon/input';
import type { NaudiodonModule } from '../../../../src/main/adapters/naudiodon/load';

const device = (name: string): PortDevice =>
  ({
    id: 1,
    name,
    inputs: 2,
    outputs: 0,
    rate: 48000,
    isDefaultInput: true,
    isDefaultOutput: false,
  }) as PortDevice;

/** PortAudio's input stream, reduced to what the pump calls. */
class FakePortStream extends EventEmitter {
  start(): void {}
  quit(cb?: () => void): void {
    cb?.();
  }
  abort(cb?: () => void): void {
    cb?.();
  }
}

type OnData = (block: Buffer | null, reason?: string) => void;

/** A stand-in sound server that records what was opened and lets the test deliver blocks or kill the stream. */
function fakeLib(server: { refuse?: string; canRecord?: boolean } = {}): {
  lib: NaudiodonModule;
  opened: string[];
  closed: number;
  deliver: OnData;
} {
  const state = { opened: [] as string[], closed: 0, onData: null as OnData | null };
  const record =
    server.canRecord === false
      ? {}
      : {
          recordOpen: (o: { sampleRate: number; periodMs: number; gatherMs: number }, onData: OnData) => {
            if (server.refuse) throw new Error(server.refuse);
            state.opened.push(`pulse@${o.sampleRate} ${o.periodMs}/${o.gatherMs} ms`);
            state.onData = onData;
            return {};
          },
          recordClose: () => {
            state.closed++;
          },
        };
  const lib = {
    SampleFormat16Bit: 16,
    AudioIO: () => {
      state.opened.push('portaudio');
      return new FakePortStream();
    },
    pulse: {
      available: () => true,
      open: () => ({}),
      write: () => true,
      stats: () => ({}),
      flush: () => 0,
      close: () => undefined,
      ...record,
    },
  };
  return {
    lib: lib as unknown as NaudiodonModule,
    get opened() {
      return state.opened;
    },
    get closed() {
      return state.closed;
    },
    deliver: (block, reason) => state.onData?.(block, reason),
  };
}

const options = (extra: Partial<InputPumpOptions> = {}): InputPumpOptions => ({
  periodMs: 5,
  gatherMs: 20,
  stallMs: 500,
  startGraceMs: 3000,
  onLost: () => undefined,
  ...extra,
});

describe('microphone capture path', () => {
  it('records from the sound server at 24 kHz on the "default" and "pulse" devices, in 5 ms fragments gathered to 20 ms', async () => {
    for (const name of ['default', 'pulse']) {
      const server = fakeLib();
      const pump = InputPump.open(server.lib, device(name), options());
      expect(pump.backend).toBe('pulse');
      expect(pump.rate).toBe(24000);
      expect(server.opened).toEqual(['pulse@24000 5/20 ms']);
      const got: Int16Array[] = [];
      pump.subscribe((pcm) => got.push(pcm));
      const block = Buffer.from(new Int16Array(480).map((_, i) => i).buffer);
      server.deliver(block);
      await pump.live;
      expect(got).toHaveLength(1);
      expect(got[0]?.length).toBe(480);
      expect(got[0]?.[479]).toBe(479);
      await pump.close();
      expect(server.closed).toBe(1);
    }
  });

  it('uses PortAudio for other devices, for a forced device rate, when asked to, and on a build that cannot record', async () => {
    const cases: [string, Partial<InputPumpOptions>, { canRecord?: boolean }][] = [
      ['hw:USB Headset', {}, {}],
      ['default', { deviceRate: 48000 }, {}],
      ['default', { pulse: false }, {}],
      ['default', {}, { canRecord: false }],
    ];
    for (const [name, extra, build] of cases) {
      const server = fakeLib(build);
      const pump = InputPump.open(server.lib, device(name), options(extra));
      expect(pump.backend).toBe('portaudio');
      expect(server.opened).toEqual(['portaudio']);
      await pump.close();
    }
  });

  it('falls back to PortAudio when the sound server refuses the recording', async () => {
    const server = fakeLib({ refuse: 'PulseAudio capture could not start: Connection refused' });
    const pump = InputPump.open(server.lib, device('default'), options());
    expect(pump.backend).toBe('portaudio');
    expect(server.opened).toEqual(['portaudio']);
    await pump.close();
  });

  it('reports a server recording that died as a lost microphone, in words, and lets go of it once', async () => {
    const server = fakeLib();
    const lost: string[] = [];
    const pump = InputPump.open(server.lib, device('default'), options({ onLost: (r) => lost.push(r) }));
    const got: Int16Array[] = [];
    pump.subscribe((pcm) => got.push(pcm));
    server.deliver(null, 'the sound server ended the recording');
    expect(lost).toEqual(['the device reported an error: the sound server ended the recording']);
    expect(pump.running).toBe(false);
    expect(server.closed).toBe(1);
    // Nothing more reaches the subscribers, and closing again changes nothing.
    server.deliver(Buffer.alloc(960));
    await pump.close();
    expect(got).toHaveLength(0);
    expect(server.closed).toBe(1);
    await expect(pump.live).rejects.toThrow('the sound server ended the recording');
  });
});
