import { describe, expect, test } from 'vitest';
import { defaultSession, mergeSession } from '../../../../src/main/core/simulator/session';
import { validateServerEvent } from '../../../../src/main/core/simulator/validate';

const base = defaultSession({
  id: 'sess_1',
  model: 'gpt-realtime',
  voice: 'alloy',
  instructions: 'Persona.',
  nowMs: 0,
});

describe('session merging', () => {
  test('only the fields sent change; nested audio settings merge', () => {
    const next = mergeSession(base, { type: 'realtime', audio: { output: { voice: 'marin' } } });
    expect(next.audio.output).toMatchObject({ voice: 'marin', format: { type: 'audio/pcm', rate: 24000 } });
    expect(next.instructions).toBe('Persona.');
    expect(next.audio.input.turn_detection).toMatchObject({ type: 'server_vad' });
  });

  test('null clears turn detection; a cleared transcription disappears', () => {
    const withTranscription = mergeSession(base, {
      audio: { input: { transcription: { model: 'whisper-1' } } },
    });
    const next = mergeSession(withTranscription, {
      audio: { input: { turn_detection: null, transcription: null } },
    });
    expect(next.audio.input.turn_detection).toBeNull();
    expect('transcription' in next.audio.input).toBe(false);
  });

  test('a format object is replaced, not merged', () => {
    const next = mergeSession(base, { audio: { input: { format: { type: 'audio/pcmu' } } } });
    expect(next.audio.input.format).toEqual({ type: 'audio/pcmu' });
  });

  test('the model cannot be changed by an update', () => {
    expect(mergeSession(base, { model: 'other' }).model).toBe('gpt-realtime');
  });

  test('the session events pass the strict GA schema', () => {
    const event = {
      type: 'session.updated',
      event_id: 'e',
      session: mergeSession(base, { instructions: 'x' }),
    };
    expect(validateServerEvent(event, { strict: true })).toEqual({ ok: true });
  });
});
