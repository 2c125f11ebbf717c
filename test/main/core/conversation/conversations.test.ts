/**
 * The conversation model over a real database file: what is written when, what a new session is told, what
 * Retry gets back, titles, the list, and the Markdown export.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Conversations, titleFrom } from '../../../../src/main/core/conversation/conversations';
import { type ConversationStore } from '../../../../src/main/core/store/conversation-store';
import type { EventName, EventPayload } from '../../../../src/shared/contract';
import type { TurnView } from '../../../../src/shared/types';
import { testConversations } from '../../../helpers/conversations';

const opened: ConversationStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

function setup(
  dir?: string,
  extra: Parameters<typeof testConversations>[2] = {},
): {
  conversations: Conversations;
  store: ConversationStore;
  dir: string;
  events: Array<[EventName, unknown]>;
} {
  const events: Array<[EventName, unknown]> = [];
  const made = testConversations(
    <E extends EventName>(event: E, payload: EventPayload<E>) => events.push([event, payload]),
    dir,
    extra,
  );
  opened.push(made.store);
  return { ...made, events };
}

/** A turn of the open conversation as the machine would show it. */
function view(c: Conversations, over: Partial<TurnView> = {}): TurnView {
  const id = c.mint();
  return {
    id: id.id,
    conversationId: id.conversationId,
    index: id.index,
    input: 'text',
    replyAs: 'text',
    assistantText: '',
    hasAudio: false,
    phase: 'queued',
    timings: {},
    startedAt: 1_000 + id.index,
    attempts: 0,
    ...over,
  };
}

const noAudio = (): Buffer | null => null;

describe('Conversations', () => {
  it('a failed write is reported once and breaks nothing; the turn stays on screen', () => {
    const { conversations: c, store } = setup();
    const problems: string[] = [];
    Object.assign(c, {
      deps: { ...(c as unknown as { deps: object }).deps, onStoreError: (m: string) => problems.push(m) },
    });
    store.close();
    const t = view(c, { userText: 'still here' });
    expect(() => c.turnChanged(t, noAudio)).not.toThrow();
    c.turnChanged({ ...t, phase: 'waiting' }, noAudio);
    expect(problems).toHaveLength(1);
    expect(c.current().turns.map((x) => x.userText)).toEqual(['still here']);
    opened.splice(opened.indexOf(store), 1);
  });

  it('writes a turn when its message is complete and when it ends, not while it is being recorded', () => {
    const { conversations: c, store } = setup();
    const t = view(c, { phase: 'listening', input: 'voice' });
    c.turnChanged(t, noAudio);
    expect(store.listConversations()).toEqual([]);
    c.turnChanged({ ...t, phase: 'queued' }, () => Buffer.alloc(4800, 1));
    expect(store.getConversation(t.conversationId)?.turns.map((x) => x.phase)).toEqual(['queued']);
    expect(store.loadAudio(t.id)?.byteLength).toBe(4800);
    c.turnChanged(
      { ...t, phase: 'done', userText: 'hi', assistantText: 'hello', outcome: { kind: 'completed' } },
      noAudio,
    );
    expect(store.getConversation(t.conversationId)?.turns[0]).toMatchObject({
      phase: 'done',
      assistantText: 'hello',
    });
    // Answered: its recording is no longer needed.
    expect(store.loadAudio(t.id)).toBeNull();
  });

  it('names a conversation after its first message, until the user renames it', () => {
    const { conversations: c, store } = setup();
    const t = view(c, { userText: 'Plan a weekend in Lyon with my sister\nand the kids' });
    c.turnChanged(t, noAudio);
    expect(c.current().title).toBe('Plan a weekend in Lyon with my sister');
    c.rename(t.conversationId, 'Lyon');
    c.turnChanged(view(c, { userText: 'something else' }), noAudio);
    expect(store.listConversations()[0]?.title).toBe('Lyon');
  });

  it('cuts a long first message at a word', () => {
    const long = 'word '.repeat(30).trim();
    expect(titleFrom({ userText: long } as TurnView)).toMatch(/^(word ){10,}word…$/);
    expect(titleFrom({ userText: '   ' } as TurnView)).toBeNull();
  });

  it('tells a new session only the answered turns, oldest first, and not those in flight', () => {
    const { conversations: c } = setup();
    const a = view(c, { userText: 'a', assistantText: 'A', phase: 'done', outcome: { kind: 'completed' } });
    const b = view(c, {
      userText: 'b',
      phase: 'failed',
      outcome: { kind: 'failed', reason: 'x', retryable: true },
    });
    const d = view(c, {
      userText: 'd',
      assistantText: 'D',
      phase: 'done',
      outcome: { kind: 'interrupted', reason: 'y' },
    });
    const e = view(c, { userText: 'e', phase: 'waiting' });
    for (const t of [a, b, d, e]) c.turnChanged(t, noAudio);
    expect(c.history(new Set([e.id]))).toEqual([
      { turnId: a.id, user: 'a', assistant: 'A' },
      { turnId: d.id, user: 'd', assistant: 'D' },
    ]);
  });

  it('hands Retry what the machine settled with, or a fresh send for a turn from an earlier run', () => {
    const { conversations: c } = setup();
    const failed = view(c, {
      userText: 'a',
      phase: 'failed',
      outcome: { kind: 'failed', reason: 'x', retryable: true },
    });
    const done = view(c, { userText: 'b', phase: 'done', outcome: { kind: 'completed' } });
    c.turnChanged(failed, noAudio);
    c.turnChanged(done, noAudio);
    expect(c.retryable(done.id)).toBeNull();
    expect(c.retryable(failed.id)).toEqual({ view: failed, userItemId: null, inputSentInSession: null });
    c.turnSettled({ view: failed, userItemId: `${failed.id}_u3`, inputSentInSession: 3 });
    expect(c.retryable(failed.id)).toEqual({
      view: failed,
      userItemId: `${failed.id}_u3`,
      inputSentInSession: 3,
    });
  });

  it('puts a late transcript on its turn and writes it', () => {
    const { conversations: c, store } = setup();
    const t = view(c, { input: 'voice', phase: 'done', outcome: { kind: 'completed' } });
    c.turnChanged(t, noAudio);
    c.turnSettled({ view: t, userItemId: 'item_9', inputSentInSession: 1 });
    expect(c.lateTranscript('item_9', 'turn on the lights', true)?.userText).toBe('turn on the lights');
    expect(store.getConversation(t.conversationId)?.turns[0]?.userText).toBe('turn on the lights');
    expect(c.lateTranscript('item_unknown', 'x', true)).toBeNull();
  });

  it('reopens the latest conversation after a restart and numbers new turns after its last', () => {
    const first = setup();
    const t = view(first.conversations, { userText: 'hello', phase: 'done', outcome: { kind: 'completed' } });
    first.conversations.turnChanged(t, noAudio);
    first.store.close();
    opened.splice(opened.indexOf(first.store), 1);
    const second = setup(first.dir);
    expect(second.conversations.current()).toMatchObject({ id: t.conversationId, title: 'hello' });
    expect(second.conversations.mint().index).toBe(2);
  });

  it('lists a new conversation before its first message, and writes nothing for it', () => {
    const { conversations: c, store, events } = setup();
    const open = c.startNew('simulator');
    expect(c.list()[0]).toMatchObject({ id: open.id, title: 'New conversation', turnCount: 0 });
    expect(store.listConversations()).toEqual([]);
    expect(events.map(([name]) => name)).toEqual(['conversation', 'conversations']);
  });

  it('deleting the open conversation opens a new one; restore brings the old one back', () => {
    const { conversations: c } = setup();
    const t = view(c, { userText: 'keep me', phase: 'done', outcome: { kind: 'completed' } });
    c.turnChanged(t, noAudio);
    c.delete(t.conversationId);
    expect(c.current().id).not.toBe(t.conversationId);
    expect(c.list().map((x) => x.id)).not.toContain(t.conversationId);
    c.restore(t.conversationId);
    expect(c.list().map((x) => x.id)).toContain(t.conversationId);
  });

  it('Discard removes only an unsent turn', () => {
    const { conversations: c, store } = setup();
    const t = view(c, { userText: 'later', phase: 'unsent' });
    const done = view(c, { userText: 'done', phase: 'done', outcome: { kind: 'completed' } });
    c.turnChanged(t, noAudio);
    c.turnChanged(done, noAudio);
    expect(c.discard(done.id)).toBe(false);
    expect(c.discard(t.id)).toBe(true);
    expect(store.getConversation(t.conversationId)?.turns.map((x) => x.id)).toEqual([done.id]);
  });

  it('exports Markdown with both sides, the outcome of a failed turn, and a file name from the title', () => {
    const { conversations: c } = setup();
    c.turnChanged(
      view(c, {
        userText: 'What is 2+2?',
        assistantText: '4',
        phase: 'done',
        outcome: { kind: 'completed' },
      }),
      noAudio,
    );
    c.turnChanged(
      view(c, {
        userText: 'And 3+3?',
        phase: 'failed',
        outcome: { kind: 'failed', reason: 'The server had an internal error', retryable: true },
      }),
      noAudio,
    );
    const out = c.exportMarkdown(c.current().id);
    expect(out?.filename).toBe('talkie-what-is-2-2.md');
    expect(out?.markdown).toContain('# What is 2+2?');
    expect(out?.markdown).toContain('> What is 2+2?');
    expect(out?.markdown).toContain('> 4');
    expect(out?.markdown).toContain('_failed: The server had an internal error_');
  });
});
