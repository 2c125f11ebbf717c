/**
 * Whole turns, core ↔ simulator over real sockets: what goes over the wire and what the user sees.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('turns against the simulator', () => {
  it('a full voice turn: press, talk, release → commit → create → audio played → done, with timings', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    const id = await rig.talk(600);
    const turn = await rig.settled(id);
    expect(turn).toMatchObject({
      phase: 'done',
      outcome: { kind: 'completed' },
      hasAudio: true,
      input: 'voice',
    });
    expect(turn.assistantText).toMatch(/^I heard 0\.\d seconds of audio\.$/);
    for (const key of [
      'releaseToCommitMs',
      'toCreatedMs',
      'toFirstDeltaMs',
      'toFirstAudioMs',
      'toDoneMs',
    ] as const) {
      expect(turn.timings[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(rig.receivedTypes()).toEqual([
      'session.update',
      'input_audio_buffer.clear',
      'input_audio_buffer.commit',
      'response.create',
    ]);
    const appends = rig.received().filter((e) => e.type === 'input_audio_buffer.append');
    expect(appends.length).toBeGreaterThan(10);
    // The fake speaker heard the reply (non-silent samples).
    expect(rig.audio.speaker().pcm.some((b) => b !== 0)).toBe(true);
    rig.expectAllValid();
  });

  it('a typed turn is an input_text item and a text reply', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const { turnId } = await rig.assistant.sendText('hello there');
    const turn = await rig.settled(turnId);
    expect(turn).toMatchObject({
      outcome: { kind: 'completed' },
      assistantText: 'Echo: hello there',
      hasAudio: false,
    });
    expect(rig.received().find((e) => e.type === 'conversation.item.create')).toMatchObject({
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello there' }] },
    });
    rig.expectAllValid();
  });

  it('Text → Voice → Text: each response.create carries its own output_modalities', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    const results = [];
    for (const replyAs of ['text', 'voice', 'text'] as const) {
      rig.assistant.setNext({ replyAs, instructions: '', instructionsMode: 'append' });
      const { turnId } = await rig.assistant.sendText(`as ${replyAs}`);
      results.push(await rig.settled(turnId));
    }
    const creates = rig.received().filter((e) => e.type === 'response.create') as unknown as Array<{
      response: { output_modalities: string[] };
    }>;
    expect(creates.map((c) => c.response.output_modalities)).toEqual([['text'], ['audio'], ['text']]);
    expect(results.map((t) => t.hasAudio)).toEqual([false, true, false]);
    expect(results.every((t) => t.outcome?.kind === 'completed')).toBe(true);
    rig.expectAllValid();
  });

  it('per-turn instructions reach that turn only: append adds to the session’s, replace stands alone, empty is never sent', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast', instructions: 'You are Talkie.' }, settings: {} });
    const say = async (instructions: string, instructionsMode: 'append' | 'replace'): Promise<string> => {
      rig?.assistant.setNext({ replyAs: 'text', instructions, instructionsMode });
      const { turnId } = await (rig as Rig).assistant.sendText('hi');
      return (await (rig as Rig).settled(turnId)).assistantText;
    };
    expect(await say('One sentence.', 'append')).toBe(
      'Echo: hi [instructions: You are Talkie.\n\nOne sentence.]',
    );
    expect(await say('Only French.', 'replace')).toBe('Echo: hi [instructions: Only French.]');
    expect(await say('', 'replace')).toBe('Echo: hi');
    const creates = rig.received().filter((e) => e.type === 'response.create') as unknown as Array<{
      response: Record<string, unknown>;
    }>;
    expect(creates.map((c) => c.response.instructions)).toEqual([
      'You are Talkie.\n\nOne sentence.',
      'Only French.',
      undefined,
    ]);
    expect(JSON.stringify(rig.received())).not.toContain('"instructions":""');
    rig.expectAllValid();
  });

  it('a tap under 100 ms clears the buffer instead of committing and says "Hold to talk"', async () => {
    rig = await Rig.start();
    await rig.assistant.press('button');
    await rig.assistant.release('button');
    const id = rig.assistant.snapshot().turns.at(-1)?.id ?? '';
    const turn = await rig.settled(id);
    expect(turn.outcome).toEqual({ kind: 'ignored', reason: 'Hold to talk' });
    await rig.until(
      () => rig?.receivedTypes().filter((t) => t === 'input_audio_buffer.clear').length === 2,
      'the clear',
    );
    expect(rig.receivedTypes()).toEqual([
      'session.update',
      'input_audio_buffer.clear',
      'input_audio_buffer.clear',
    ]);
    expect(rig.sim.emitted.some((e) => (e.event as { type: string }).type === 'error')).toBe(false);
    rig.expectAllValid();
  });

  it('a second turn sent during an active response waits for response.done before its response.create', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'realtime' } });
    const first = await rig.assistant.sendText('one two three four five six');
    await rig.until(() => rig?.turn(first.turnId)?.phase === 'replying', 'the first reply to start');
    const second = await rig.assistant.sendText('and another');
    expect(rig.turn(second.turnId)?.phase).toBe('queued');
    await rig.settled(second.turnId);
    const emitted = rig.sim.emitted.map((e) => e.event as { type: string });
    const received = rig.sim.received.map((r) => ({ at: r.at, type: (r.event as { type: string }).type }));
    const creates = received.filter((r) => r.type === 'response.create');
    const firstDone = rig.sim.emitted.find((e) => (e.event as { type: string }).type === 'response.done');
    expect(creates.length).toBe(2);
    expect(creates[1]?.at).toBeGreaterThanOrEqual(firstDone?.at ?? Infinity);
    expect(emitted.filter((e) => e.type === 'error')).toEqual([]);
    expect((await rig.settled(first.turnId)).outcome).toEqual({ kind: 'completed' });
    rig.expectAllValid();
  });
});

describe('barge-in against the simulator', () => {
  it('pressing while the reply plays truncates at min(played, received) and interrupts the turn', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'realtime' } });
    const { turnId } = await rig.assistant.sendText(
      'please say a rather long sentence with many words in it for me now',
    );
    await rig.until(() => rig?.turn(turnId)?.timings.toFirstAudioMs !== undefined, 'audio to start playing');
    await new Promise((r) => setTimeout(r, 300));
    await rig.assistant.press('keyboard');
    const turn = await rig.settled(turnId);
    expect(turn.outcome).toEqual({ kind: 'interrupted', reason: 'You interrupted the reply' });
    const truncate = rig.received().find((e) => e.type === 'conversation.item.truncate') as
      { audio_end_ms: number } | undefined;
    expect(truncate).toBeDefined();
    expect(Number.isInteger(truncate?.audio_end_ms)).toBe(true);
    // min(played, received): more than nothing, never more than the audio the server had sent for the item.
    const truncatedAt =
      rig.sim.received.find((r) => (r.event as { type: string }).type === 'conversation.item.truncate')?.at ??
      0;
    const receivedMs =
      rig.sim.emitted
        .filter((e) => e.at <= truncatedAt)
        .map((e) => e.event as { type: string; delta?: string })
        .filter((e) => e.type === 'response.output_audio.delta')
        .reduce((sum, e) => sum + Buffer.from(e.delta ?? '', 'base64').byteLength, 0) / 48;
    expect(truncate?.audio_end_ms).toBeGreaterThan(0);
    expect(truncate?.audio_end_ms).toBeLessThanOrEqual(receivedMs);
    // Never beyond what the server had sent when we truncated: the simulator applied it without an error.
    await rig.until(() => (rig?.sim.truncations.length ?? 0) > 0, 'the truncation to apply');
    expect(rig.sim.emitted.some((e) => (e.event as { type: string }).type === 'error')).toBe(false);
    await rig.until(() => rig?.receivedTypes().at(-1) === 'input_audio_buffer.clear', 'the clear to arrive');
    const order = rig.receivedTypes();
    expect(order.slice(order.indexOf('response.cancel'))).toEqual([
      'response.cancel',
      'conversation.item.truncate',
      'input_audio_buffer.clear',
    ]);
    await rig.assistant.release('keyboard');
    rig.expectAllValid();
  });

  it('no truncate once the reply has finished playing', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' } });
    const { turnId } = await rig.assistant.sendText('short');
    await rig.settled(turnId);
    await rig.assistant.press('keyboard');
    await rig.assistant.release('keyboard');
    await rig.until(
      () => rig?.receivedTypes().filter((t) => t === 'input_audio_buffer.clear').length === 2,
      'the clears',
    );
    expect(rig.receivedTypes()).not.toContain('conversation.item.truncate');
    expect(rig.receivedTypes()).not.toContain('response.cancel');
    rig.expectAllValid();
  });
});
