/**
 * Session control over real sockets (core ↔ simulator): a voice change never reaches a session the model has
 * spoken in (the server would refuse it, FIELD-REPORTS row 15), and a session nearing its time limit is replaced
 * between turns by a new one that has the conversation (row 11), so the limit never shows as a failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig';
import { sessionConfig } from '../../src/main/core/app/assistant';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Update = { type: string; session?: { audio?: { output?: { voice?: string } } } };
const voicesSent = (r: Rig, connection: number): Array<string | undefined> =>
  r
    .received(connection)
    .filter((e) => e.type === 'session.update')
    .map((e) => (e as Update).session?.audio?.output?.voice);

describe('voice (row 15)', () => {
  it('after the assistant has spoken, a new voice waits for the next session; the server never refuses an update', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { voice: 'marin' } });
    const first = await rig.settled(await rig.talk(400));
    expect(first.hasAudio).toBe(true);

    rig.settings = { ...rig.settings, voice: 'cedar' };
    rig.assistant.settingsChanged(rig.settings);
    await rig.until(
      () => rig?.notices().some((n) => /Cedar will be used from the next session/.test(n.text)) ?? false,
      'the notice',
    );
    const notice = rig.notices().find((n) => /next session/.test(n.text));
    expect(notice?.action).toEqual({ label: 'Start new session', command: 'connection.reconnect' });
    // An instructions change still goes out, in the same session, with the session's own voice.
    rig.settings = { ...rig.settings, sessionInstructions: 'Be brief.' };
    rig.assistant.settingsChanged(rig.settings);
    await rig.until(() => voicesSent(rig as Rig, 1).length === 2, 'the instructions update');
    expect(voicesSent(rig, 1)).toEqual(['marin', 'marin']);
    const errors = rig.sim.emitted.filter((e) => e.event.type === 'error');
    expect(errors).toEqual([]);

    // "Start new session": the next session speaks with the new voice.
    rig.assistant.reconnect();
    await rig.until(() => voicesSent(rig as Rig, 2).length > 0, 'the new session');
    expect(voicesSent(rig, 2)[0]).toBe('cedar');
    const second = await rig.settled(await rig.talk(400));
    expect(second.outcome).toEqual({ kind: 'completed' });
    const done = rig.sim.emitted.filter((e) => e.connection === 2 && e.event.type === 'response.done').at(-1)
      ?.event as { response: { audio: { output: { voice: string } } } };
    expect(done.response.audio.output.voice).toBe('cedar');
    rig.expectAllValid();
  });
});

describe('session length limit (row 11)', () => {
  // The 60 s conversation with a 20 s limit, at a third of the time (the same turns per session).
  it('an 18 s conversation with a 6 s session limit rotates between turns, never fails, and keeps its context', async () => {
    rig = await Rig.start({
      sim: { audioPacing: 'fast', sessionLimitMs: 6_000 },
      sessionLimitMs: 6_000,
    });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 1; Date.now() - started < 18_000; i++) {
      const { turnId } = await rig.assistant.sendText(`message number ${i}`);
      ids.push(turnId);
      await rig.settled(turnId);
      await new Promise((r) => setTimeout(r, 500));
    }
    // One more message, so the newest session has been told everything before the wire is read.
    const last = await rig.assistant.sendText('the last one');
    await rig.settled(last.turnId);
    const turns = ids.map((id) => rig?.turn(id));
    // The user never sees the limit: every turn answered at the first attempt, with its own echo.
    turns.forEach((t, i) => {
      expect(t?.outcome, `turn ${i + 1}`).toEqual({ kind: 'completed' });
      expect(t?.attempts).toBe(1);
      expect(t?.assistantText).toBe(`Echo: message number ${i + 1}`);
    });
    expect(rig.sim.emitted.some((e) => JSON.stringify(e.event).includes('session_expired'))).toBe(false);
    expect(rig.notices().filter((n) => n.level !== 'info')).toEqual([]);

    // Rotated (at least every ~4.5 s), and only between turns: every response a session started, it finished.
    const sessions = rig.sim.requests.length;
    expect(sessions).toBeGreaterThanOrEqual(3);
    for (let c = 1; c <= sessions; c++) {
      const emitted = rig.sim.emitted.filter((e) => e.connection === c).map((e) => e.event.type);
      expect(emitted.filter((t) => t === 'response.created').length, `session ${c}`).toBe(
        emitted.filter((t) => t === 'response.done').length,
      );
    }
    // Each new session is told the conversation so far, on the wire, before the next message.
    for (let c = 2; c <= sessions; c++) {
      const told = rig
        .received(c)
        .filter((e) => e.type === 'conversation.item.create')
        .map((e) => JSON.stringify(e.item));
      const earlier = rig
        .received(c - 1)
        .filter((e) => e.type === 'conversation.item.create')
        .map((e) => JSON.stringify(e.item))
        .filter((item) => item.includes('message number'))
        .map((item) => /message number \d+/.exec(item)?.[0]);
      const lastBefore = earlier.at(-1);
      expect(lastBefore).toBeDefined();
      expect(
        told.some((item) => item.includes(`"${lastBefore}"`)),
        `session ${c} knows ${lastBefore}`,
      ).toBe(true);
      expect(told.some((item) => item.includes(`Echo: ${lastBefore}`))).toBe(true);
      expect(rig.receivedTypes(c)[0]).toBe('session.update');
    }
    rig.expectAllValid();
  }, 60_000);
});

type SessionUpdate = {
  type: string;
  session?: {
    truncation?: unknown;
    audio?: { input?: { transcription?: { model?: string; language?: string } } };
  };
};
const updates = (r: Rig, connection: number): SessionUpdate[] =>
  r.received(connection).filter((e) => e.type === 'session.update') as SessionUpdate[];

describe('transcription and truncation settings', () => {
  it('send the chosen transcription model and language, and truncation as a retention ratio; off sends "auto"', async () => {
    rig = await Rig.start({
      sim: { audioPacing: 'fast' },
      settings: { transcriptionModel: 'whisper-1', transcriptionLanguage: 'FR', truncationRetention: 0.8 },
    });
    const [first] = updates(rig, 1);
    expect(first?.session?.audio?.input?.transcription).toEqual({ model: 'whisper-1', language: 'fr' });
    expect(first?.session?.truncation).toEqual({ type: 'retention_ratio', retention_ratio: 0.8 });

    // Off again: the session goes back to the server's own truncation, said explicitly.
    rig.settings = { ...rig.settings, truncationRetention: null, transcriptionLanguage: '' };
    rig.assistant.settingsChanged(rig.settings);
    await rig.until(() => updates(rig as Rig, 1).length === 2, 'the second update');
    const second = updates(rig, 1)[1];
    expect(second?.session?.truncation).toBe('auto');
    expect(second?.session?.audio?.input?.transcription).toEqual({ model: 'whisper-1' });

    // The default (off) sends no truncation at all in a new session; the user's words are still transcribed.
    rig.assistant.reconnect();
    await rig.until(() => updates(rig as Rig, 2).length > 0, 'the new session');
    expect(updates(rig, 2)[0]?.session).not.toHaveProperty('truncation');
    const id = await rig.talk(400);
    const turn = await rig.settled(id);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    await rig.until(() => Boolean(rig?.turn(id)?.userText), 'the transcript');
    expect(rig.sim.emitted.filter((e) => e.event.type === 'error')).toEqual([]);
    rig.expectAllValid();
  });

  it('Azure asks for its own transcription deployment, and for no transcripts when none is named', () => {
    const azure = { ...DEFAULT_SETTINGS, transcriptionModel: 'gpt-4o-transcribe' };
    expect(sessionConfig(azure, 'azure').transcriptionModel).toBeNull();
    expect(
      sessionConfig({ ...azure, azureTranscriptionDeployment: 'my-transcribe' }, 'azure').transcriptionModel,
    ).toBe('my-transcribe');
    expect(sessionConfig(azure, 'openai').transcriptionModel).toBe('gpt-4o-transcribe');
    expect(sessionConfig({ ...azure, transcriptionModel: '' }, 'openai').transcriptionModel).toBeNull();
  });

  it('turning transcripts off mid-session waits for the next session (an update cannot say "off")', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    rig.settings = { ...rig.settings, transcriptionModel: '', sessionInstructions: 'Be brief.' };
    rig.assistant.settingsChanged(rig.settings);
    await rig.until(() => updates(rig as Rig, 1).length === 2, 'the instructions update');
    expect(updates(rig, 1)[1]?.session?.audio?.input?.transcription).toEqual({
      model: 'gpt-4o-mini-transcribe',
    });
    expect(rig.notices().some((n) => /Transcripts .* stop from the next session/.test(n.text))).toBe(true);
    rig.assistant.reconnect();
    await rig.until(() => updates(rig as Rig, 2).length > 0, 'the new session');
    expect(updates(rig, 2)[0]?.session?.audio?.input).not.toHaveProperty('transcription');
    rig.expectAllValid();
  });
});
