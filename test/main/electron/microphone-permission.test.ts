import { describe, expect, it, vi } from 'vitest';
import type { AudioEngine } from '../../../src/main/core/audio/engine';

vi.mock('electron', () => import('./electron-mock'));
const { gateMicrophone, MICROPHONE_DENIED } =
  await import('../../../src/main/electron/microphone-permission');

type Status = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';

function rig(status: Status, answer = false) {
  const calls: string[] = [];
  const engine = {
    listDevices: async () => ({ inputs: [], outputs: [] }),
    openCapture: async () => (calls.push('openCapture'), {}),
    openPlayback: async () => (calls.push('openPlayback'), {}),
    prime: async (devices: { input?: string | null; output?: string | null }) =>
      void calls.push(`prime ${JSON.stringify(devices)}`),
    close: async () => undefined,
  } as unknown as AudioEngine;
  const prefs = {
    getMediaAccessStatus: vi.fn((): Status => status),
    askForMediaAccess: vi.fn(async () => {
      calls.push('ask');
      if (answer) status = 'granted';
      return answer;
    }),
  };
  return { gated: gateMicrophone(engine, prefs as never), calls, prefs };
}

const capture = { device: null, onFrame: () => undefined } as never;

describe('macOS microphone permission before PortAudio opens', () => {
  it('opens the microphone when permission is granted', async () => {
    const r = rig('granted');
    await r.gated.openCapture(capture);
    expect(r.calls).toEqual(['openCapture']);
    expect(r.prefs.getMediaAccessStatus).toHaveBeenCalledWith('microphone');
  });

  it('asks first when never asked, and opens once allowed', async () => {
    const r = rig('not-determined', true);
    await r.gated.openCapture(capture);
    expect(r.calls).toEqual(['ask', 'openCapture']);
  });

  it.each<Status>(['denied', 'restricted'])(
    'does not open the device when %s, and says where to allow it',
    async (status) => {
      const r = rig(status);
      await expect(r.gated.openCapture(capture)).rejects.toThrow(MICROPHONE_DENIED);
      expect(r.calls).toEqual([]);
    },
  );

  it('fails in the same words when the user says no to the dialog', async () => {
    const r = rig('not-determined', false);
    await expect(r.gated.openCapture(capture)).rejects.toThrow(
      'System Settings › Privacy & Security › Microphone',
    );
    expect(r.calls).toEqual(['ask']);
  });

  it('warms up only the speaker until the microphone is allowed (no dialog at start)', async () => {
    const r = rig('not-determined');
    await r.gated.prime?.({ input: null, output: null });
    expect(r.calls).toEqual(['prime {"output":null}']);
    const granted = rig('granted');
    await granted.gated.prime?.({ input: null, output: null });
    expect(granted.calls).toEqual(['prime {"input":null,"output":null}']);
  });

  it('plays without asking for the microphone', async () => {
    const r = rig('denied');
    await r.gated.openPlayback({} as never);
    expect(r.calls).toEqual(['openPlayback']);
  });
});
