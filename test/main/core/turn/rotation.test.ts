/**
 * Row 11, before the limit: a session nearing its time limit is replaced at a quiet moment — never while the key
 * is held or a reply is on its way — so the server's limit never cuts a turn off.
 */
import { describe, expect, it } from 'vitest';
import { rotationLeadMs } from '../../../../src/main/core/turn/machine';
import { Driver, server } from './harness';

describe('moving to a new session before the limit (row 11)', () => {
  it('looks for a quiet moment a quarter of a short session before its end, at most 5 minutes before', () => {
    expect(rotationLeadMs(20_000)).toBe(5_000);
    expect(rotationLeadMs(60 * 60_000)).toBe(5 * 60_000);
    const d = new Driver().do({ type: 'connectionUp', expiresAt: 1_000_000 + 20_000 });
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'rotate', ms: 15_000 });
  });

  it('when nothing is in flight, the new session is asked for at once', () => {
    const d = new Driver().connect();
    d.do({ type: 'timer', name: 'rotate' });
    expect(d.kinds()).toEqual(['rotateSession']);
  });

  it('while a reply is on its way it waits, and moves as soon as the turn has finished', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hi' }, server.created('resp_1'), server.text('resp_1', 'item_1', 'Hel'));
    d.do({ type: 'timer', name: 'rotate' });
    expect(d.kinds()).not.toContain('rotateSession');
    d.do(server.text('resp_1', 'item_1', 'lo'));
    expect(d.kinds()).not.toContain('rotateSession');
    d.do(server.done('resp_1'));
    expect(d.turn().outcome).toEqual({ kind: 'completed' });
    expect(d.kinds()).toContain('rotateSession');
  });

  it('while the key is held it waits for the turn too', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null }, { type: 'frame', ms: 40 });
    d.do({ type: 'timer', name: 'rotate' });
    expect(d.kinds()).not.toContain('rotateSession');
  });

  it('a session that ends first (a drop) forgets the pending move: the new one sets its own', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hi' }, server.created('resp_1'), { type: 'timer', name: 'rotate' });
    d.do({ type: 'connectionDown', code: null, reason: null });
    expect(d.last).toContainEqual({ kind: 'clearTimer', name: 'rotate' });
    expect(d.state.rotateDue).toBe(false);
  });
});
