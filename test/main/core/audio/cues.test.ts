/**
 * Sound cues: the tones themselves (short, in their band, silent at volume 0) and when the Assistant plays each
 * one (start on press, stop on release, error on a failed turn, none over a reply, none when off or at volume 0).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Assistant } from '../../../../src/main/core/app/assistant';
import { CUE_BAND, cuePcm, shouldPlayCue } from '../../../../src/main/core/audio/cues';
import { WIRE_RATE } from '../../../../src/main/core/audio/engine';
import { FakeAudioEngine } from '../../../../src/main/core/audio/fake-engine';
import { EventLog } from '../../../../src/main/core/eventlog/event-log';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import { testConversations } from '../../../helpers/conversations';
import { FakeConnection } from '../turn/fake-connection';

/** Energy of `pcm` at `hz` relative to its total energy (Goertzel), 0..1. */
function share(pcm: Int16Array, hz: number): number {
  const w = (2 * Math.PI * hz) / WIRE_RATE;
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of pcm) {
    const s0 = x + 2 * Math.cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2;
  return total === 0 ? 0 : (2 * power) / (pcm.length * total);
}

describe('cue sounds', () => {
  it('are a few tens of ms, sound inside the cue band, and start and end without a click', () => {
    for (const kind of ['start', 'stop', 'error'] as const) {
      const pcm = cuePcm(kind, 100);
      const ms = (pcm.length * 1000) / WIRE_RATE;
      expect(ms).toBeGreaterThanOrEqual(40);
      expect(ms).toBeLessThanOrEqual(130);
      const inBand = [1200, 1400, 1600, 1800].reduce((n, hz) => n + share(pcm, hz), 0);
      const below = [200, 400, 600, 800].reduce((n, hz) => n + share(pcm, hz), 0);
      expect(inBand).toBeGreaterThan(10 * below);
      expect(CUE_BAND.low).toBeLessThan(1200);
      expect(Math.abs(pcm[0] ?? 1)).toBeLessThan(200);
      expect(Math.abs(pcm.at(-1) ?? 1)).toBeLessThan(200);
    }
  });

  it('the start chirp rises and the stop chirp falls', () => {
    const halves = (pcm: Int16Array): [Int16Array, Int16Array] => [
      pcm.subarray(0, pcm.length / 2),
      pcm.subarray(pcm.length / 2),
    ];
    const [startA, startB] = halves(cuePcm('start', 100));
    expect(share(startA, 1300)).toBeGreaterThan(share(startB, 1300));
    const [stopA, stopB] = halves(cuePcm('stop', 100));
    expect(share(stopA, 1700)).toBeGreaterThan(share(stopB, 1700));
  });

  it('get quieter with the volume, and volume 0 is no samples at all', () => {
    const peak = (pcm: Int16Array): number => pcm.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak(cuePcm('start', 100))).toBeGreaterThan(peak(cuePcm('start', 50)));
    expect(peak(cuePcm('start', 50))).toBeGreaterThan(peak(cuePcm('start', 10)));
    expect(peak(cuePcm('start', 10))).toBeGreaterThan(0);
    expect(cuePcm('start', 0).length).toBe(0);
  });

  it.each([
    [{ enabled: true, volume: 40, replyAudible: false }, true],
    [{ enabled: false, volume: 40, replyAudible: false }, false],
    [{ enabled: true, volume: 0, replyAudible: false }, false],
    [{ enabled: true, volume: 40, replyAudible: true }, false],
  ])('policy %o → %s', (context, plays) => {
    expect(shouldPlayCue(context)).toBe(plays);
  });
});

describe('when the Assistant plays cues', () => {
  let settings: Settings;
  let audio: FakeAudioEngine;
  let assistant: Assistant;
  let conn: FakeConnection;
  let log: EventLog;

  beforeEach(() => {
    vi.useFakeTimers();
    settings = { ...DEFAULT_SETTINGS };
    audio = new FakeAudioEngine({ micSource: Buffer.alloc(24000 * 2 * 3, 1) });
    log = new EventLog();
    const conns: FakeConnection[] = [];
    assistant = new Assistant({
      audio,
      log,
      emit: () => undefined,
      settings: () => settings,
      conversations: testConversations(() => undefined).conversations,
      connect: () => {
        const c = new FakeConnection();
        conns.push(c);
        return c;
      },
    });
    assistant.useEndpoint(
      { provider: 'openai', url: 'wss://example.test/v1/realtime', headers: {} },
      { demoMode: false, provider: 'openai' },
    );
    conn = conns[0] as FakeConnection;
    conn.setStatus({ state: 'connected' });
    conn.serverSends({
      type: 'session.created',
      event_id: 'e0',
      session: { type: 'realtime', instructions: '' },
    });
  });

  afterEach(async () => {
    await assistant.dispose();
    await audio.close();
    log.dispose();
    vi.useRealTimers();
  });

  const same = (a: Int16Array | undefined, b: Int16Array): boolean =>
    a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

  it('plays the start cue on press and the stop cue on release, at the chosen volume', async () => {
    settings = { ...settings, cueVolume: 70 };
    await assistant.press('button');
    expect(audio.cues).toHaveLength(1);
    expect(same(audio.cues[0], cuePcm('start', 70))).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    await assistant.release('button');
    expect(audio.cues).toHaveLength(2);
    expect(same(audio.cues[1], cuePcm('stop', 70))).toBe(true);
  });

  it('plays nothing with cues off, and writes nothing at volume 0', async () => {
    settings = { ...settings, soundCues: false };
    await assistant.press('button');
    await vi.advanceTimersByTimeAsync(200);
    await assistant.release('button');
    settings = { ...settings, soundCues: true, cueVolume: 0 };
    await vi.advanceTimersByTimeAsync(50);
    await assistant.press('button');
    await vi.advanceTimersByTimeAsync(200);
    await assistant.release('button');
    expect(audio.cues).toEqual([]);
  });

  it('a release without a press (a stray key-up) plays no stop cue', async () => {
    await assistant.release('hotkey');
    expect(audio.cues).toEqual([]);
  });

  it('no start cue over a reply that is playing: the press is a barge-in', async () => {
    await assistant.sendText('Tell me a story');
    const base = { response_id: 'r1', item_id: 'i1', output_index: 0, content_index: 0 };
    conn.serverSends({ type: 'response.created', event_id: 'c1', response: { id: 'r1' } });
    conn.serverSends({
      type: 'response.output_audio.delta',
      event_id: 'a1',
      ...base,
      delta: Buffer.alloc(24000 * 2, 3).toString('base64'),
    });
    await vi.advanceTimersByTimeAsync(100);
    await assistant.press('button');
    expect(audio.cues).toEqual([]);
  });

  it('a failed turn sounds the error cue once', async () => {
    await assistant.sendText('Hello');
    conn.serverSends({
      type: 'error',
      event_id: 'err1',
      error: { type: 'server_error', code: 'server_error', message: 'The server had an error' },
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(audio.cues).toHaveLength(1);
    expect(same(audio.cues[0], cuePcm('error', settings.cueVolume))).toBe(true);
  });
});
