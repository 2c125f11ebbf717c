/**
 * Every simulator fault mode, core ↔ simulator over real sockets: what goes over the wire and what the
 * user sees on the turn (FIELD-REPORTS rows 3, 4, 5, 6, 11 and the dropped socket).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Create = { type: 'response.create'; response: { output_modalities: string[] } };

describe('fault modes', () => {
  it('stall: the watchdog cancels, the turn fails with the reason, and Retry gets the reply', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { stallTimeoutMs: 2000 } });
    rig.sim.setFaults(['stall']);
    const { turnId } = await rig.assistant.sendText('are you there');
    const failed = await rig.settled(turnId);
    expect(failed.outcome).toEqual({
      kind: 'failed',
      reason: 'No reply from the server for 2 s after it started answering',
      retryable: true,
    });
    // The cancel leaves with the failure; give it time to arrive before reading the server's log.
    await rig.until(() => rig?.receivedTypes().includes('response.cancel') === true, 'the cancel to arrive');
    const cancel = rig.received().find((e) => e.type === 'response.cancel');
    expect(cancel).toMatchObject({ type: 'response.cancel', response_id: expect.stringMatching(/^resp_/) });
    await rig.assistant.retry(turnId);
    await rig.until(() => rig?.turn(turnId)?.attempts === 2, 'the retry to be sent', 10_000);
    const retried = await rig.settled(turnId);
    expect(retried.outcome).toEqual({ kind: 'completed' });
    expect(retried.assistantText).toBe('Echo: are you there');
    rig.expectAllValid();
  });

  it('text-instead-of-audio once: cancel, delete the text item, ask for audio again, and the voice reply plays', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    rig.sim.setFaults(['text-instead-of-audio']);
    const { turnId } = await rig.assistant.sendText('say it out loud');
    const turn = await rig.settled(turnId);
    expect(turn).toMatchObject({ outcome: { kind: 'completed' }, hasAudio: true, attempts: 2 });
    const types = rig.receivedTypes();
    const cancelAt = types.indexOf('response.cancel');
    expect(types.slice(cancelAt)).toEqual(['response.cancel', 'conversation.item.delete', 'response.create']);
    const creates = rig.received().filter((e): e is Create => e.type === 'response.create');
    expect(creates.map((c) => c.response.output_modalities)).toEqual([['audio'], ['audio']]);
    rig.expectAllValid();
  });

  it('text-instead-of-audio twice (URL fault): the text is shown and the turn says no audio was returned', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, query: 'fault=text-instead-of-audio*2' });
    const { turnId } = await rig.assistant.sendText('speak please');
    const turn = await rig.settled(turnId);
    expect(turn.outcome).toEqual({
      kind: 'no-audio',
      reason: 'The server answered in text although voice was requested',
    });
    expect(turn.assistantText).toBe('Echo: speak please');
    expect(turn.hasAudio).toBe(false);
    expect(rig.receivedTypes().filter((t) => t === 'response.create').length).toBe(2);
    rig.expectAllValid();
  });

  it('server-error: the turn fails with the reason in words; Retry is throttled, then succeeds', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    rig.sim.setFaults(['server-error']);
    const { turnId } = await rig.assistant.sendText('hello');
    const failed = await rig.settled(turnId);
    expect(failed.outcome).toEqual({
      kind: 'failed',
      reason: 'The server had an internal error (server_error)',
      retryable: true,
    });
    await rig.assistant.retry(turnId);
    expect(rig.notices().at(-1)?.text).toMatch(/^Retrying in 1 s/);
    await rig.until(() => rig?.turn(turnId)?.attempts === 2, 'the throttled retry');
    expect((await rig.settled(turnId)).outcome).toEqual({ kind: 'completed' });
    rig.expectAllValid();
  });

  it('drop: the socket is cut mid-reply; after reconnecting the turn is asked again and answered', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'realtime' } });
    rig.sim.setFaults(['drop']);
    const { turnId } = await rig.assistant.sendText('tell me something');
    await rig.until(() => rig?.sim.requests.length === 2, 'the reconnect');
    const turn = await rig.settled(turnId);
    expect(turn).toMatchObject({ outcome: { kind: 'completed' }, assistantText: 'Echo: tell me something' });
    expect(rig.receivedTypes(2)).toEqual(['session.update', 'conversation.item.create', 'response.create']);
    rig.expectAllValid();
  });

  it('slow-first-delta: a late first delta is waited for, not treated as a stall', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { stallTimeoutMs: 5000 } });
    rig.sim.setFaults([{ kind: 'slow-first-delta', ms: 2500 }]);
    const { turnId } = await rig.assistant.sendText('take your time');
    const turn = await rig.settled(turnId);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    expect(turn.timings.toFirstDeltaMs).toBeGreaterThanOrEqual(2000);
    expect(rig.receivedTypes()).not.toContain('response.cancel');
    rig.expectAllValid();
  });

  it('session-expired: a new session continues with the conversation carried over as text, and the user is told', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const first = await rig.assistant.sendText('remember the number 42');
    await rig.settled(first.turnId);
    rig.sim.setFaults([{ kind: 'session-expired', ms: 100 }]);
    await rig.until(() => rig?.receivedTypes(2).length === 3, 'the new session to get the context');
    expect(rig.received(2).filter((e) => e.type === 'conversation.item.create')).toEqual([
      {
        type: 'conversation.item.create',
        item: {
          id: expect.stringMatching(/^t_\w+_c2$/),
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'remember the number 42' }],
        },
      },
      {
        type: 'conversation.item.create',
        item: {
          id: expect.stringMatching(/^t_\w+_r2$/),
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Echo: remember the number 42' }],
        },
      },
    ]);
    expect(rig.notices().map((n) => n.text)).toContainEqual(expect.stringMatching(/time limit.*new session/));
    const second = await rig.assistant.sendText('what was it');
    expect((await rig.settled(second.turnId)).outcome).toEqual({ kind: 'completed' });
    rig.expectAllValid();
  });

  it('beta_api_shape_disabled (row 12): the user reads why in plain words and nothing is retried in a loop', async () => {
    rig = await Rig.start({ headers: { 'OpenAI-Beta': 'realtime=v1' }, waitConnected: false });
    await rig.until(() => rig?.connection()?.state === 'failed', 'the connection to fail');
    expect(rig.connection()?.reason).toMatch(/no longer accepts the old beta protocol/);
    expect(rig.notices().map((n) => n.text)).toContainEqual(expect.stringMatching(/old beta protocol/));
    expect(rig.sim.requests.map((r) => r.outcome)).toEqual(['beta-4000']);
  });
});
