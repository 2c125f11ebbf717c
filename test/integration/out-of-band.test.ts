/**
 * Out-of-band helpers over real sockets (core ↔ simulator): a conversation title asked after the first exchange
 * and a summary carried into a new session instead of a long transcript, both as `response.create` with
 * `conversation: "none"` and metadata. They never become the user's response: a turn asked while one runs is
 * answered as usual, and their text never reaches a turn. Their tokens count in the turn's cost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { shortTitle } from '../../src/main/core/conversation/conversations';
import { SUMMARY_PREFIX } from '../../src/main/core/turn/session';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Create = {
  type: string;
  event_id?: string;
  response?: {
    conversation?: string;
    metadata?: Record<string, string>;
    output_modalities?: string[];
    input?: Array<{ role: string; content: Array<{ text: string }> }>;
  };
};
type Done = { type: string; response: { metadata?: Record<string, string> | null; output: unknown[] } };

const outOfBand = (r: Rig, connection?: number): Create[] =>
  r
    .received(connection)
    .filter((e) => e.type === 'response.create' && (e as Create).response?.conversation === 'none');

/** The simulator's response.done for out-of-band responses of a purpose, with their text. */
const oobDone = (r: Rig, purpose: string, connection?: number): Array<{ event: Done; text: string }> =>
  r.sim.emitted
    .filter((e) => connection === undefined || e.connection === connection)
    .map((e) => e.event as unknown as Done)
    .filter((e) => e.type === 'response.done' && e.response.metadata?.purpose === purpose)
    .map((event) => ({
      event,
      text: (event.response.output as Array<{ content: Array<{ text?: string }> }>)
        .flatMap((i) => i.content.map((c) => c.text ?? ''))
        .join(''),
    }));

const textTurns = (r: Rig): void => {
  r.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
};

describe('conversation titles', () => {
  it('after the first exchange, an out-of-band title lands in the list and the store; the turn keeps its own reply', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { autoTitles: true } });
    textTurns(rig);
    const question = 'What is the tide at Brighton tomorrow morning';
    const first = await rig.settled((await rig.assistant.sendText(question)).turnId);
    await rig.until(() => oobDone(rig as Rig, 'title').length === 1, 'the title response');

    const [ask] = outOfBand(rig);
    expect(ask?.response?.metadata?.purpose).toBe('title');
    expect(ask?.response?.metadata?.talkie_request).toBe(ask?.event_id);
    expect(ask?.response?.output_modalities).toEqual(['text']);
    expect(ask?.response?.input?.map((m) => [m.role, m.content[0]?.text])).toEqual([
      ['user', question],
      ['assistant', `Echo: ${question}`],
    ]);
    // The simulator echoes the metadata (what tells the response apart) and keeps the reply out of its conversation;
    // its reply is the question echoed with the instructions it was given. The title is its first words.
    const reply = oobDone(rig, 'title')[0]?.text ?? '';
    expect(reply).toMatch(
      new RegExp(`^Echo: ${question} \\[instructions: Give this conversation a short title`),
    );
    const title = shortTitle(reply);
    expect(title).toMatch(/^Echo: What is the tide at Brighton tomorrow.*…$/);

    const id = rig.assistant.snapshot().conversation.id;
    await rig.until(
      () =>
        rig
          ?.of('conversations')
          .at(-1)
          ?.find((c) => c.id === id)?.title === title,
      'the title',
    );
    expect(rig.conversations.store.listConversations().find((c) => c.id === id)?.title).toBe(title);
    // Its tokens are the first turn's too (the cost line and Session cost include them); its text is not.
    await rig.until(() => rig?.turn(first.id)?.usage?.responses === 2, 'the title counted');
    expect(rig.turn(first.id)?.assistantText).toBe(`Echo: ${question}`);
    // Shown in the event log like every other event.
    const logged = rig.log.entries().filter((e) => JSON.stringify(e).includes('"purpose":"title"'));
    expect(logged.map((e) => e.dir)).toEqual(expect.arrayContaining(['out', 'in']));

    // Only once per conversation.
    await rig.settled((await rig.assistant.sendText('And in the evening?')).turnId);
    expect(outOfBand(rig)).toHaveLength(1);
    rig.expectAllValid();
  });

  it('a conversation the user has named, or titles switched off, asks for no title', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { autoTitles: true } });
    textTurns(rig);
    const sent = await rig.assistant.sendText('Plan a picnic for Saturday');
    const id = rig.assistant.snapshot().conversation.id;
    rig.assistant.renameConversation(id, 'Picnic');
    await rig.settled(sent.turnId);
    await rig.assistant.newConversation();
    rig.settings = { ...rig.settings, autoTitles: false };
    await rig.until(() => rig?.connection()?.state === 'connected', 'the new session');
    await rig.settled((await rig.assistant.sendText('Another question')).turnId);
    await new Promise((r) => setTimeout(r, 200));
    expect(outOfBand(rig)).toEqual([]);
    expect(rig.conversations.store.listConversations().find((c) => c.id === id)?.title).toBe('Picnic');
  });

  it('a user turn asked while the title is being written is answered as usual, and neither gets the other’s text', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast', textDeltaMs: 40 }, settings: { autoTitles: true } });
    textTurns(rig);
    const long =
      'Tell me everything about the history of the lighthouse on the headland north of the harbour and who kept it lit through the long winters of the last century';
    await rig.settled((await rig.assistant.sendText(long)).turnId);
    // The title is asked as the first turn settles; the user asks at once.
    const second = await rig.assistant.sendText('Short one');
    const turn = await rig.settled(second.turnId);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    expect(turn.assistantText).toBe('Echo: Short one');
    await rig.until(() => oobDone(rig as Rig, 'title').length === 1, 'the title response');

    // They overlapped on the wire: the user's response started after the title's and before it ended.
    const types = rig.sim.emitted.map((e) => e.event as unknown as Done & { response: { id: string } });
    const at = (pred: (e: (typeof types)[number]) => boolean): number => types.findIndex(pred);
    const titleStart = at((e) => e.type === 'response.created' && e.response.metadata?.purpose === 'title');
    const titleEnd = at((e) => e.type === 'response.done' && e.response.metadata?.purpose === 'title');
    const userStart = types.findLastIndex((e) => e.type === 'response.created');
    expect(titleStart).toBeGreaterThan(-1);
    expect(userStart).toBeGreaterThan(titleStart);
    expect(userStart).toBeLessThan(titleEnd);
    expect(rig.sim.emitted.filter((e) => e.event.type === 'error')).toEqual([]);
    expect(rig.notices().filter((n) => n.level !== 'info')).toEqual([]);
    rig.expectAllValid();
  });
});

describe('summary on carry-over', () => {
  const told = (r: Rig, connection: number): Array<{ role: string; text: string }> =>
    r
      .received(connection)
      .filter((e) => e.type === 'conversation.item.create')
      .map((e) => (e as unknown as { item: { role: string; content: Array<{ text: string }> } }).item)
      .map((item) => ({ role: item.role, text: item.content[0]?.text ?? '' }));

  /**
   * Six short exchanges asked at once (queued, so the session is never quiet before all six are answered), then
   * the rotation the 2 s session limit asks for at the next quiet moment. The simulator's own limit is far off.
   */
  async function talkUntilRotated(r: Rig): Promise<void> {
    textTurns(r);
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++)
      ids.push((await r.assistant.sendText(`message number ${i} about the weekend plans`)).turnId);
    for (const id of ids) expect((await r.settled(id)).outcome).toEqual({ kind: 'completed' });
    // The last message carried is the sixth's reply: the new session has been told everything by then.
    await r.until(
      () => told(r, 2).some((m) => m.text === 'Echo: message number 6 about the weekend plans'),
      'the carry-over',
    );
  }

  it('above the threshold, the old session writes a summary before rotating; the new one gets it and the last turns', async () => {
    rig = await Rig.start({
      sim: { audioPacing: 'fast', sessionLimitMs: 60_000, textDeltaMs: 5 },
      sessionLimitMs: 2_000,
      summaryThresholdChars: 300,
      settings: { carryOverSummary: true, autoTitles: false },
    });
    await talkUntilRotated(rig);
    const [ask] = outOfBand(rig, 1);
    expect(ask?.response?.metadata?.purpose).toBe('summary');
    // No input: the session's own conversation is what is summarized.
    expect(ask?.response).not.toHaveProperty('input');
    const summary = oobDone(rig, 'summary', 1)[0]?.text ?? '';
    expect(summary).toMatch(/^Echo: message number 6 about the weekend plans \[instructions: Summarize/);

    const carried = told(rig, 2);
    expect(carried[0]).toEqual({ role: 'system', text: `${SUMMARY_PREFIX}${summary}` });
    const users = carried
      .filter((m) => m.role === 'user')
      .map((m) => /message number (\d)/.exec(m.text)?.[1]);
    expect(users).toEqual(['3', '4', '5', '6']);

    // A later session (a reconnect, or the next rotation) carries a summary too.
    rig.assistant.reconnect();
    await rig.until(() => told(rig as Rig, 3).length > 0, 'the third session');
    expect(told(rig, 3)[0]?.text.startsWith(SUMMARY_PREFIX)).toBe(true);
    expect(rig.sim.emitted.some((e) => JSON.stringify(e.event).includes('session_expired'))).toBe(false);
    rig.expectAllValid();
  });

  it('below the threshold (or with summaries off), the full transcript is carried and no summary is asked', async () => {
    rig = await Rig.start({
      sim: { audioPacing: 'fast', sessionLimitMs: 60_000, textDeltaMs: 5 },
      sessionLimitMs: 2_000,
      settings: { carryOverSummary: true, autoTitles: false },
    });
    await talkUntilRotated(rig);
    expect(outOfBand(rig)).toEqual([]);
    const users = told(rig, 2)
      .filter((m) => m.role === 'user')
      .map((m) => /message number (\d)/.exec(m.text)?.[1]);
    expect(users).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(told(rig, 2).some((m) => m.role === 'system')).toBe(false);
    rig.expectAllValid();
  });
});
