/**
 * Conversations that last, end to end in the core: the real Assistant, the real conversation store on disk and
 * the real GA simulator on 127.0.0.1. Retry answers its own message (FIELD-REPORTS row 17); a conversation's
 * history goes only to the server it was held with; a restart keeps every turn, and a turn left unsent can be
 * sent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/main/core/simulator';
import type { ConversationSummary } from '../../src/shared/types';
import { Rig } from './rig';

let rigs: Rig[] = [];
let sims: SimulatorHandle[] = [];
afterEach(async () => {
  for (const r of rigs) await r.close().catch(() => undefined);
  for (const s of sims) await s.close();
  rigs = [];
  sims = [];
});

async function start(options: Parameters<typeof Rig.start>[0] = {}): Promise<Rig> {
  const rig = await Rig.start({ sim: { audioPacing: 'fast' }, ...options });
  rigs.push(rig);
  rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
  return rig;
}

const texts = (events: Array<{ type: string } & Record<string, unknown>>): string[] =>
  events.flatMap((e) => {
    if (e.type !== 'conversation.item.create') return [];
    const item = e.item as { content?: Array<{ text?: string }> };
    return (item.content ?? []).map((c) => c.text ?? '');
  });

describe('Retry answers its own message (row 17)', () => {
  it('an earlier failed turn, retried after a later one completed, gets the reply to its own message', async () => {
    const rig = await start();
    rig.sim.setFaults(['server-error']);
    const first = await rig.assistant.sendText('What is the capital of France?');
    expect((await rig.settled(first.turnId)).outcome?.kind).toBe('failed');
    const second = await rig.assistant.sendText('What is 2+2?');
    expect((await rig.settled(second.turnId)).assistantText).toBe('Echo: What is 2+2?');

    await rig.assistant.retry(first.turnId);
    await rig.until(() => rig.turn(first.turnId)?.attempts === 2, 'the retry to be sent', 10_000);
    const retried = await rig.settled(first.turnId);
    expect(retried.outcome).toEqual({ kind: 'completed' });
    expect(retried.assistantText).toBe('Echo: What is the capital of France?');
    // The later turn keeps its own reply, and the request referenced the conversation up to the first message.
    expect(rig.turn(second.turnId)?.assistantText).toBe('Echo: What is 2+2?');
    const create = rig
      .received()
      .filter((e) => e.type === 'response.create')
      .at(-1);
    expect((create?.response as { input?: unknown[] }).input).toEqual([
      { type: 'item_reference', id: `${first.turnId}_u1` },
    ]);
    rig.expectAllValid();
  });

  it('a failed voice turn retried after a typed one is answered from its own audio', async () => {
    const rig = await start();
    rig.sim.setFaults(['server-error']);
    const voice = await rig.talk(1500);
    expect((await rig.settled(voice)).outcome?.kind).toBe('failed');
    const typed = await rig.assistant.sendText('and now something else');
    await rig.settled(typed.turnId);
    await rig.assistant.retry(voice);
    await rig.until(() => rig.turn(voice)?.attempts === 2, 'the retry to be sent', 10_000);
    const retried = await rig.settled(voice);
    expect(retried.assistantText).toMatch(/^I heard 1\.\d seconds of audio\.$/);
    rig.expectAllValid();
  });
});

describe('context goes only where the user sent it', () => {
  it('switching server starts a new conversation: nothing of the old one reaches the new server', async () => {
    const rig = await start();
    const said = await rig.assistant.sendText('my secret plan');
    await rig.settled(said.turnId);
    const oldId = rig.assistant.snapshot().conversation.id;

    const other = await startSimulator({ port: 0 });
    sims.push(other);
    rig.assistant.useEndpoint(
      { provider: 'custom', url: other.url, headers: { Authorization: 'Bearer sk-other-0123456789abcdef' } },
      { demoMode: false, provider: 'custom' },
    );
    await rig.until(
      () => other.received.some((r) => (r.event as { type: string }).type === 'session.update'),
      'the new session',
    );
    const snapshot = rig.assistant.snapshot();
    expect(snapshot.conversation.id).not.toBe(oldId);
    expect(snapshot.turns).toEqual([]);
    expect(snapshot.conversations.map((c: ConversationSummary) => c.id)).toContain(oldId);
    const offer = rig.notices().find((n) => n.action?.label === 'Continue here');
    expect(offer?.action).toEqual({
      label: 'Continue here',
      command: 'conversation.continueHere',
      conversationId: oldId,
    });

    const fresh = await rig.assistant.sendText('hello new server');
    await rig.settled(fresh.turnId);
    // Opening the old conversation shows it, but its history is not sent until the user says so.
    const reopened = await rig.assistant.openConversation(oldId);
    expect(reopened.turns.map((t) => t.userText)).toEqual(['my secret plan']);
    await rig.until(() => other.requests.length >= 2, 'a new session for the opened conversation');
    const asked = await rig.assistant.sendText('what was my plan?');
    await rig.settled(asked.turnId);
    expect(rig.notices().at(-1)?.action).toMatchObject({ conversationId: oldId });
    const everything = JSON.stringify(other.received.map((r) => r.event));
    expect(everything).not.toContain('my secret plan');
    expect(everything).not.toContain('Echo: my secret plan');
    // Every connection to the new server carried its credentials from the first byte.
    expect(other.requests.every((r) => r.hasAuthorization)).toBe(true);
  });

  it('“Continue here” carries the old conversation to the new server, as the user chose', async () => {
    const rig = await start();
    const said = await rig.assistant.sendText('remember the blue door');
    await rig.settled(said.turnId);
    const oldId = rig.assistant.snapshot().conversation.id;
    const other = await startSimulator({ port: 0 });
    sims.push(other);
    rig.assistant.useEndpoint(
      { provider: 'custom', url: other.url, headers: { Authorization: 'Bearer sk-other-0123456789abcdef' } },
      { demoMode: false, provider: 'custom' },
    );
    await rig.until(() => other.requests.length === 1, 'the first connection to the new server');
    const open = await rig.assistant.continueHere(oldId);
    expect(open.id).toBe(oldId);
    expect(open.turns.map((t) => t.userText)).toEqual(['remember the blue door']);
    await rig.until(() => other.requests.length === 2, 'a new session for the continued conversation');
    await rig.until(
      () => texts(other.requests[1]?.received.map((r) => r.event as never) ?? []).length === 2,
      'the history',
    );
    expect(texts(other.requests[1]!.received.map((r) => r.event as never))).toEqual([
      'remember the blue door',
      'Echo: remember the blue door',
    ]);
  });
});

describe('conversations survive a restart', () => {
  it('every turn and its outcome is there after a restart, and talking continues the conversation', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-restart-'));
    const first = await start({ dataDir });
    first.sim.setFaults(['server-error']);
    const failed = await first.assistant.sendText('this one fails');
    await first.settled(failed.turnId);
    const ok = await first.assistant.sendText('this one works');
    await first.settled(ok.turnId);
    const before = first.assistant.snapshot();
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    const second = await start({ dataDir });
    const after = second.assistant.snapshot();
    expect(after.conversation).toEqual(before.conversation);
    expect(after.turns.map((t) => [t.userText, t.outcome?.kind, t.assistantText])).toEqual([
      ['this one fails', 'failed', ''],
      ['this one works', 'completed', 'Echo: this one works'],
    ]);
    // The new session was told the answered turn, not the failed one.
    await second.until(() => texts(second.received()).length >= 2, 'the history in the new session');
    expect(texts(second.received())).toEqual(['this one works', 'Echo: this one works']);
    // Retry after the restart still answers the failed turn's own message.
    await second.assistant.retry(failed.turnId);
    const retried = await second.settled(failed.turnId);
    expect(retried.assistantText).toBe('Echo: this one fails');
    const next = await second.assistant.sendText('and one more');
    expect((await second.settled(next.turnId)).index).toBe(3);
  });

  it('a typed turn not answered before quitting comes back unsent, and Send answers it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-unsent-'));
    const first = await start({ dataDir });
    await first.sim.close(); // the server is gone: the message waits
    const kept = await first.assistant.sendText('send me later');
    await first.until(() => first.turn(kept.turnId)?.phase === 'queued', 'the turn to queue');
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    const second = await start({ dataDir });
    expect(second.turn(kept.turnId)).toMatchObject({ phase: 'unsent', userText: 'send me later' });
    await second.assistant.retry(kept.turnId);
    expect((await second.settled(kept.turnId)).assistantText).toBe('Echo: send me later');
  });

  it('a voice turn recorded but not answered before quitting keeps its recording, and Send answers it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-unsent-voice-'));
    const first = await start({ dataDir });
    await first.sim.close();
    const kept = await first.talk(1200);
    await first.until(() => first.turn(kept)?.phase === 'queued', 'the turn to queue');
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    const second = await start({ dataDir });
    expect(second.turn(kept)).toMatchObject({ phase: 'unsent', input: 'voice' });
    await second.assistant.retry(kept);
    const answered = await second.settled(kept);
    expect(answered.assistantText).toMatch(/^I heard 1\.\d seconds of audio\.$/);
    second.expectAllValid();
  });

  it('Discard removes an unsent turn for good', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-discard-'));
    const first = await start({ dataDir });
    await first.sim.close();
    const kept = await first.assistant.sendText('never mind');
    await first.until(() => first.turn(kept.turnId)?.phase === 'queued', 'the turn to queue');
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    const second = await start({ dataDir });
    await second.assistant.discard(kept.turnId);
    expect(second.turn(kept.turnId)).toBeUndefined();
    expect(second.of('turn.removed').at(-1)?.id).toBe(kept.turnId);
    await second.close();
    rigs = rigs.filter((r) => r !== second);
    const third = await start({ dataDir });
    expect(third.assistant.snapshot().turns).toEqual([]);
  });
});
