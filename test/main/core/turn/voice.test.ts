/**
 * FIELD-REPORTS row 15: a session keeps its voice once the model has spoken. A new voice goes out at once while the
 * session is still silent; after that it never reaches the wire in this session (the server would reject the
 * update), the user is told it applies from the next session, with a button to start one, and the next session
 * is configured with it.
 */
import { describe, expect, it } from 'vitest';
import { Driver, server } from './harness';

type Update = {
  type: 'session.update';
  session: { audio?: { output?: { voice?: string } }; instructions?: string };
};

const updates = (d: Driver): Update[] => d.allSent().filter((e) => e.type === 'session.update') as Update[];

/** A voice turn the model answers with some audio. */
function spokenTurn(d: Driver): Driver {
  d.talk(400).do(server.committed('item_u1'), server.created('resp_1'));
  d.do(server.part('resp_1', 'item_a1', 'audio'), server.audio('resp_1', 'item_a1', 200));
  return d.do(server.audioDone('resp_1', 'item_a1'), server.done('resp_1'));
}

describe('changing the voice (row 15)', () => {
  it('before the model has spoken, the new voice is sent at once', () => {
    const d = new Driver({ voice: 'marin' }).connect();
    d.do({ type: 'config', config: { ...d.state.config, voice: 'cedar' } });
    expect(d.sent()).toEqual([
      expect.objectContaining({
        type: 'session.update',
        session: expect.objectContaining({
          audio: expect.objectContaining({ output: expect.objectContaining({ voice: 'cedar' }) }),
        }),
      }),
    ]);
    expect(d.notices()).toEqual([]);
  });

  it('after the model has spoken, no session.update carries a new voice; the user hears why and gets a button', () => {
    const d = spokenTurn(new Driver({ voice: 'marin' }).connect());
    d.do({ type: 'config', config: { ...d.state.config, voice: 'cedar' } });
    expect(d.sent()).toEqual([]); // nothing else changed: nothing to send
    const notice = d.all.flatMap((e) => (e.kind === 'notice' ? [e.notice] : [])).at(-1);
    expect(notice?.text).toMatch(/Cedar will be used from the next session/);
    expect(notice?.action).toEqual({ label: 'Start new session', command: 'connection.reconnect' });

    // Other changes still go out, with the session's own voice.
    d.do({ type: 'config', config: { ...d.state.config, instructions: 'Be brief.' } });
    expect(updates(d).at(-1)?.session.instructions).toBe('Be brief.');
    expect(updates(d).at(-1)?.session.audio?.output?.voice).toBe('marin');
    expect(updates(d).every((u) => u.session.audio?.output?.voice === 'marin')).toBe(true);
  });

  it('the next session starts with the new voice, and the notice goes away', () => {
    const d = spokenTurn(new Driver({ voice: 'marin' }).connect());
    d.do({ type: 'config', config: { ...d.state.config, voice: 'cedar' } });
    d.do({ type: 'connectionDown', code: null, reason: null }, { type: 'connectionUp', expiresAt: null });
    expect(updates(d).at(-1)?.session.audio?.output?.voice).toBe('cedar');
    expect(d.kinds()).toContain('clearNotice');
  });

  it('going back to the session’s voice withdraws the notice and sends nothing', () => {
    const d = spokenTurn(new Driver({ voice: 'marin' }).connect());
    d.do({ type: 'config', config: { ...d.state.config, voice: 'cedar' } });
    d.do({ type: 'config', config: { ...d.state.config, voice: 'marin' } });
    expect(d.sent()).toEqual([]);
    expect(d.kinds()).toEqual(['clearNotice']);
  });
});
