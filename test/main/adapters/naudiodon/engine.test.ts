/**
 * NaudiodonEngine's failure handling with naudiodon replaced at the module boundary (the real library is exercised
 * in test/audio on the PulseAudio rig): load failures, busy devices, unknown names — plain words, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { createAudioEngine, NaudiodonEngine } from '../../../../src/main/adapters/naudiodon/engine';
import type { NaudiodonModule } from '../../../../src/main/adapters/naudiodon/load';
import { AudioError } from '../../../../src/main/core/audio/engine';
import { NullAudioEngine } from '../../../../src/main/core/audio/null-engine';

interface FakeDevice {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
  hostAPIName: string;
}

/** A stand-in naudiodon whose AudioIO throws `openError` (PortAudio's words). */
function fakeLib(devices: FakeDevice[], openError: string): NaudiodonModule {
  const lib = {
    SampleFormat16Bit: 16,
    getDevices: () => devices,
    getHostAPIs: () => ({
      defaultHostAPI: 0,
      HostAPIs: [
        { id: 0, name: 'ALSA', type: 'ALSA', deviceCount: devices.length, defaultInput: 1, defaultOutput: 1 },
      ],
    }),
    AudioIO: () => {
      throw new Error(openError);
    },
  };
  return lib as unknown as NaudiodonModule;
}

const ALSA: FakeDevice[] = [
  {
    id: 0,
    name: 'pulse',
    maxInputChannels: 32,
    maxOutputChannels: 32,
    defaultSampleRate: 44100,
    hostAPIName: 'ALSA',
  },
  {
    id: 1,
    name: 'default',
    maxInputChannels: 32,
    maxOutputChannels: 32,
    defaultSampleRate: 44100,
    hostAPIName: 'ALSA',
  },
  {
    id: 2,
    name: 'hw:Headset',
    maxInputChannels: 1,
    maxOutputChannels: 0,
    defaultSampleRate: 48000,
    hostAPIName: 'OSS',
  },
];

describe('NaudiodonEngine failures', () => {
  it('lists only the default host API devices, marking the defaults', async () => {
    const engine = new NaudiodonEngine({ load: () => fakeLib(ALSA, 'unused') });
    const list = await engine.listDevices();
    expect(list.inputs.map((d) => [d.name, d.isDefault])).toEqual([
      ['pulse', false],
      ['default', true],
    ]);
    expect(list.outputs.map((d) => d.name)).toEqual(['pulse', 'default']);
  });

  it('reports a busy speaker as device-busy in plain words', async () => {
    const engine = new NaudiodonEngine({
      load: () => fakeLib(ALSA, 'Could not open stream: Device unavailable'),
    });
    const open = engine.openPlayback({ device: null });
    await expect(open).rejects.toBeInstanceOf(AudioError);
    await expect(open).rejects.toMatchObject({
      code: 'device-busy',
      message: expect.stringMatching(
        /The speaker "default" is busy or unavailable \(another program may be using it\)/,
      ),
    });
  });

  it("reports a microphone that cannot be opened as open-failed with PortAudio's reason", async () => {
    const engine = new NaudiodonEngine({
      load: () => fakeLib(ALSA, 'Could not open stream: Illegal combination of I/O devices'),
    });
    await expect(
      engine.openCapture({ device: 'pulse', frameMs: 20, onFrame: () => undefined }),
    ).rejects.toMatchObject({
      code: 'open-failed',
      message: expect.stringContaining('The microphone "pulse" could not be opened: Could not open stream'),
    });
  });

  it('tries the device rate when 24 kHz is refused, and says so if that fails too', async () => {
    const rates: number[] = [];
    const lib = fakeLib(ALSA, '');
    (lib as unknown as { AudioIO: (o: { inOptions: { sampleRate: number } }) => never }).AudioIO = (o) => {
      rates.push(o.inOptions.sampleRate);
      throw new Error('Format not supported: Invalid sample rate');
    };
    const engine = new NaudiodonEngine({ load: () => lib });
    await expect(
      engine.openCapture({ device: null, frameMs: 20, onFrame: () => undefined }),
    ).rejects.toMatchObject({
      code: 'open-failed',
    });
    expect(rates).toEqual([24000, 44100]);
  });

  it('with no devices at all says no microphone was found', async () => {
    const engine = new NaudiodonEngine({ load: () => fakeLib([], 'unused') });
    await expect(
      engine.openCapture({ device: null, frameMs: 20, onFrame: () => undefined }),
    ).rejects.toMatchObject({
      code: 'no-device',
      message: "No microphone was found. Connect one, or check the system's sound settings.",
    });
  });

  it('refuses to open anything after close()', async () => {
    const engine = new NaudiodonEngine({ load: () => fakeLib(ALSA, 'unused') });
    await engine.close();
    await expect(engine.openPlayback({ device: null })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('createAudioEngine', () => {
  it('falls back to the NullAudioEngine, with the reason, when naudiodon cannot load', async () => {
    const engine = await createAudioEngine({
      load: () => {
        throw new AudioError(
          'unavailable',
          'The audio library could not be loaded (no PortAudio). Text turns still work.',
        );
      },
    });
    expect(engine).toBeInstanceOf(NullAudioEngine);
    expect((await engine.listDevices()).error).toMatch(/could not be loaded/);
    await expect(
      engine.openCapture({ device: null, frameMs: 20, onFrame: () => undefined }),
    ).rejects.toMatchObject({
      code: 'no-device',
    });
  });

  it('returns the PortAudio engine when naudiodon loads', async () => {
    const engine = await createAudioEngine({ load: () => fakeLib(ALSA, 'unused') });
    expect(engine).toBeInstanceOf(NaudiodonEngine);
    await engine.close();
  });
});
