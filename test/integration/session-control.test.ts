/**
 * Session control over real sockets (core ↔ simulator): a voice change never reaches a session the model has
 * spoken in (the server would refuse it, FIELD-REPORTS row 15).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig';

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
