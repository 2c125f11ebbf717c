/**
 * Server-side noise reduction: asked for in the session (GA `audio.input.noise_reduction`), changed between near
 * and far field at once, and turned off from the next session — an update cannot say "off" under the GA schema,
 * so none is sent and the user is told.
 */
import { describe, expect, it } from 'vitest';
import { Driver } from './harness';

type Update = { type: 'session.update'; session: { audio: { input: Record<string, unknown> } } };
const updates = (d: Driver): Update[] =>
  d.allSent().filter((e) => e.type === 'session.update') as unknown as Update[];
const noise = (u: Update | undefined): unknown => u?.session.audio.input.noise_reduction;

describe('noise reduction', () => {
  it('is asked for when the session starts, and left out when off', () => {
    expect(noise(updates(new Driver({ noiseReduction: 'near_field' }).connect())[0])).toEqual({
      type: 'near_field',
    });
    expect(
      updates(new Driver({ noiseReduction: null }).connect())[0]?.session.audio.input,
    ).not.toHaveProperty('noise_reduction');
  });

  it('near ↔ far field and off → on are sent in the same session', () => {
    const d = new Driver({ noiseReduction: null }).connect();
    d.do({ type: 'config', config: { ...d.state.config, noiseReduction: 'far_field' } });
    expect(noise(updates(d).at(-1))).toEqual({ type: 'far_field' });
    d.do({ type: 'config', config: { ...d.state.config, noiseReduction: 'near_field' } });
    expect(noise(updates(d).at(-1))).toEqual({ type: 'near_field' });
    expect(updates(d)).toHaveLength(3);
  });

  it('on → off sends nothing now, says it applies from the next session, and the next session has none', () => {
    const d = new Driver({ noiseReduction: 'near_field' }).connect();
    d.do({ type: 'config', config: { ...d.state.config, noiseReduction: null } });
    expect(d.sent()).toEqual([]);
    const notice = d.all.flatMap((e) => (e.kind === 'notice' ? [e.notice] : [])).at(-1);
    expect(notice?.text).toMatch(/Noise reduction turns off from the next session/);
    expect(notice?.action).toEqual({ label: 'Start new session', command: 'connection.reconnect' });
    // Another change still goes out, keeping the session's noise reduction.
    d.do({ type: 'config', config: { ...d.state.config, instructions: 'Be brief.' } });
    expect(noise(updates(d).at(-1))).toEqual({ type: 'near_field' });
    d.do({ type: 'connectionDown', code: null, reason: null }, { type: 'connectionUp', expiresAt: null });
    expect(updates(d).at(-1)?.session.audio.input).not.toHaveProperty('noise_reduction');
  });

  it('turned back on before the next session: the notice goes, nothing is sent', () => {
    const d = new Driver({ noiseReduction: 'near_field' }).connect();
    d.do({ type: 'config', config: { ...d.state.config, noiseReduction: null } });
    d.do({ type: 'config', config: { ...d.state.config, noiseReduction: 'near_field' } });
    expect(d.kinds()).toEqual(['clearNotice']);
  });
});
