import { describe, expect, it } from 'vitest';
import type { AppSnapshot, ConversationSummary, LogEntry, Notice, TurnView } from '../../../src/shared/types';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import {
  initialState,
  listedConversations,
  MAX_NOTICES,
  reduce,
  shownTurns,
  talkNote,
  talkState,
  type UiState,
} from '../../../src/renderer/src/model/state';

const turn = (patch: Partial<TurnView>): TurnView => ({
  id: 't1',
  conversationId: 'c1',
  index: 1,
  input: 'text',
  replyAs: 'text',
  assistantText: '',
  hasAudio: false,
  phase: 'waiting',
  timings: {},
  startedAt: 0,
  attempts: 1,
  ...patch,
});

const summary = (patch: Partial<ConversationSummary>): ConversationSummary => ({
  id: 'c1',
  title: 'First',
  createdAt: 0,
  updatedAt: 0,
  turnCount: 0,
  ...patch,
});

const snapshot = (patch: Partial<AppSnapshot> = {}): AppSnapshot => ({
  connection: { state: 'connected', provider: 'simulator', demoMode: true, endpoint: '127.0.0.1' },
  conversation: { id: 'c1', title: 'First' },
  conversations: [summary({ id: 'c1', title: 'First' })],
  turns: [],
  next: { replyAs: 'text', instructions: '', instructionsMode: 'append' },
  attachments: [],
  settings: {
    settings: { ...DEFAULT_SETTINGS },
    apiKey: { saved: false, storage: 'none', encryptionAvailable: false },
    overrides: [],
  },
  hotkey: { mode: 'hold', accelerator: 'F9', reason: '' },
  notices: [],
  shell: 'browser',
  platform: 'linux',
  ...patch,
});

const log = (seq: number, type = 'session.updated'): LogEntry => ({
  seq,
  t: seq,
  dir: 'in',
  type,
  payload: { type },
});

const loaded = (patch: Partial<AppSnapshot> = {}): UiState =>
  reduce(initialState, { type: 'snapshot', snapshot: snapshot(patch) });

describe('window state', () => {
  it('draws from the snapshot, with turns in order', () => {
    const state = loaded({ turns: [turn({ id: 'b', index: 2 }), turn({ id: 'a', index: 1 })] });
    expect(state.loaded).toBe(true);
    expect(state.connection?.demoMode).toBe(true);
    expect(state.turns.map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('updates a streaming turn in place instead of adding a second entry', () => {
    let state = reduce(loaded(), { type: 'turn', payload: turn({ assistantText: 'Ec' }) });
    state = reduce(state, { type: 'turn', payload: turn({ assistantText: 'Echo: hi', phase: 'done' }) });
    expect(state.turns).toHaveLength(1);
    expect(state.turns[0]!.assistantText).toBe('Echo: hi');
  });

  it('adds a new turn after the previous ones', () => {
    let state = reduce(loaded(), { type: 'turn', payload: turn({ id: 'a', index: 1 }) });
    state = reduce(state, { type: 'turn', payload: turn({ id: 'b', index: 2 }) });
    expect(state.turns.map((t) => t.index)).toEqual([1, 2]);
  });

  it('follows the next-turn options changed elsewhere (e.g. the tray)', () => {
    const next = { replyAs: 'voice', instructions: 'Be brief', instructionsMode: 'replace' } as const;
    expect(reduce(loaded(), { type: 'next', payload: next }).next).toEqual(next);
  });

  it('shows the images attached to the next turn from the snapshot, and follows changes to them', () => {
    const image = {
      id: 'img_1',
      mime: 'image/png',
      width: 64,
      height: 32,
      bytes: 120,
      source: 'paste',
    } as const;
    const state = reduce(initialState, { type: 'snapshot', snapshot: snapshot({ attachments: [image] }) });
    expect(state.attachments).toEqual([image]);
    expect(reduce(state, { type: 'attachments', payload: [] }).attachments).toEqual([]);
  });

  it('keeps only the newest notices and lets the user dismiss one', () => {
    let state = loaded();
    for (let i = 0; i < MAX_NOTICES + 2; i++) {
      const notice: Notice = { id: `n${i}`, level: 'info', text: `notice ${i}`, at: i };
      state = reduce(state, { type: 'notice', payload: notice });
    }
    expect(state.notices.map((n) => n.id)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    state = reduce(state, { type: 'notice.dismiss', id: 'n4' });
    expect(state.notices.map((n) => n.id)).toEqual(['n2', 'n3', 'n5', 'n6']);
  });

  it('never shows a log row twice when the initial load overlaps a live batch', () => {
    let state = reduce(loaded(), { type: 'log', entries: [log(0), log(1), log(2)] });
    state = reduce(state, { type: 'log', entries: [log(1), log(2), log(3)] });
    expect(state.logRows.map((r) => r.key)).toEqual([0, 1, 2, 3]);
    const same = reduce(state, { type: 'log', entries: [log(2)] });
    expect(same).toBe(state);
  });

  it('keeps cleared rows cleared even if an old batch arrives late', () => {
    let state = reduce(loaded(), { type: 'log', entries: [log(0), log(1)] });
    state = reduce(state, { type: 'log.cleared' });
    state = reduce(state, { type: 'log', entries: [log(1), log(2)] });
    expect(state.logRows.map((r) => r.key)).toEqual([2]);
  });
});

describe('push-to-talk state', () => {
  it('is idle with no turns and after a completed one', () => {
    expect(talkState([])).toBe('idle');
    expect(talkState([turn({ phase: 'done', outcome: { kind: 'completed' } })])).toBe('idle');
  });

  it('follows the turn through listening, sending, waiting and replying', () => {
    expect(talkState([turn({ phase: 'listening' })])).toBe('listening');
    expect(talkState([turn({ phase: 'committing' })])).toBe('sending');
    expect(talkState([turn({ phase: 'queued' })])).toBe('sending');
    expect(talkState([turn({ phase: 'waiting' })])).toBe('waiting');
    expect(talkState([turn({ phase: 'replying' })])).toBe('replying');
  });

  it('shows listening for a new press even while the previous reply is still playing', () => {
    const turns = [
      turn({ id: 'a', index: 1, phase: 'replying' }),
      turn({ id: 'b', index: 2, phase: 'listening' }),
    ];
    expect(talkState(turns)).toBe('listening');
  });

  it('shows failed after a failed turn, but not after a tap that was ignored', () => {
    const failed = turn({
      id: 'a',
      index: 1,
      phase: 'failed',
      outcome: { kind: 'failed', reason: 'x', retryable: true },
    });
    expect(talkState([failed])).toBe('failed');
    const tap = turn({
      id: 'b',
      index: 2,
      phase: 'cancelled',
      outcome: { kind: 'ignored', reason: 'too short' },
    });
    expect(talkState([failed, tap])).toBe('failed');
    expect(shownTurns([failed, tap]).map((t) => t.id)).toEqual(['a']);
  });
});

describe('loading', () => {
  it('says why the window could not load, and forgets it once a snapshot arrives', () => {
    const failed = reduce(initialState, { type: 'load.failed', reason: 'Lost the connection to Talkie.' });
    expect(failed.loaded).toBe(false);
    expect(failed.loadError).toBe('Lost the connection to Talkie.');
    const loadedAfter = reduce(failed, { type: 'snapshot', snapshot: snapshot() });
    expect(loadedAfter.loadError).toBeNull();
    expect(loadedAfter.loaded).toBe(true);
  });
});

describe('conversations', () => {
  it('takes the open conversation and the list from the snapshot', () => {
    const list = [summary({ id: 'c2', title: 'Newer' }), summary({ id: 'c1', title: 'First' })];
    const state = loaded({ conversation: { id: 'c1', title: 'First' }, conversations: list });
    expect(state.conversation).toEqual({ id: 'c1', title: 'First' });
    expect(state.conversations.map((c) => c.id)).toEqual(['c2', 'c1']);
  });

  it('replaces every turn when another conversation opens', () => {
    let state = loaded({ turns: [turn({ id: 'a', index: 1 }), turn({ id: 'b', index: 2 })] });
    state = reduce(state, {
      type: 'conversation',
      payload: {
        id: 'c2',
        title: 'Second',
        turns: [
          turn({ id: 'y', conversationId: 'c2', index: 2 }),
          turn({ id: 'x', conversationId: 'c2', index: 1 }),
        ],
      },
    });
    expect(state.conversation).toEqual({ id: 'c2', title: 'Second' });
    expect(state.turns.map((t) => t.id)).toEqual(['x', 'y']);
  });

  it('opens a new conversation with no turns at all', () => {
    const state = reduce(loaded({ turns: [turn({ id: 'a' })] }), {
      type: 'conversation',
      payload: { id: 'c3', title: '', turns: [] },
    });
    expect(state.turns).toEqual([]);
    expect(state.conversation?.id).toBe('c3');
  });

  it('ignores turn updates of a conversation other than the open one', () => {
    const state = loaded({ turns: [turn({ id: 'a' })] });
    const other = reduce(state, {
      type: 'turn',
      payload: turn({ id: 'late', conversationId: 'c0', assistantText: 'still finishing' }),
    });
    expect(other).toBe(state);
    const own = reduce(state, { type: 'turn', payload: turn({ id: 'b', index: 2 }) });
    expect(own.turns.map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('after a switch, drops updates of the conversation left and takes those of the one opened', () => {
    let state = loaded({ turns: [turn({ id: 'a', phase: 'replying' })] });
    state = reduce(state, { type: 'conversation', payload: { id: 'c2', title: 'Second', turns: [] } });
    state = reduce(state, { type: 'turn', payload: turn({ id: 'a', phase: 'done', assistantText: 'old' }) });
    expect(state.turns).toEqual([]);
    state = reduce(state, { type: 'turn', payload: turn({ id: 'n', conversationId: 'c2' }) });
    expect(state.turns.map((t) => t.id)).toEqual(['n']);
  });

  it('removes a discarded turn, and changes nothing for a turn it does not show', () => {
    const state = loaded({
      turns: [turn({ id: 'a', index: 1 }), turn({ id: 'b', index: 2, phase: 'unsent' })],
    });
    const after = reduce(state, { type: 'turn.removed', payload: { id: 'b', conversationId: 'c1' } });
    expect(after.turns.map((t) => t.id)).toEqual(['a']);
    expect(reduce(after, { type: 'turn.removed', payload: { id: 'zz', conversationId: 'c1' } })).toBe(after);
  });

  it('follows the list, and the open conversation takes its title from it', () => {
    let state = loaded({ conversation: { id: 'c1', title: '' } });
    const list = [
      summary({ id: 'c1', title: 'Penguins', turnCount: 1 }),
      summary({ id: 'c0', title: 'Old' }),
    ];
    state = reduce(state, { type: 'conversations', payload: list });
    expect(state.conversations).toBe(list);
    expect(state.conversation).toEqual({ id: 'c1', title: 'Penguins' });
  });

  it('keeps the open conversation when it is missing from a new list (deleted; main opens another)', () => {
    const state = reduce(loaded(), {
      type: 'conversations',
      payload: [summary({ id: 'c9', title: 'Other' })],
    });
    expect(state.conversation).toEqual({ id: 'c1', title: 'First' });
  });

  it('shows a rename at once, in the list and in the header', () => {
    let state = loaded({ conversations: [summary({ id: 'c1' }), summary({ id: 'c2', title: 'Two' })] });
    state = reduce(state, { type: 'conversation.renamed', summary: summary({ id: 'c1', title: 'Trip' }) });
    expect(state.conversation?.title).toBe('Trip');
    expect(state.conversations.map((c) => c.title)).toEqual(['Trip', 'Two']);
    // Renaming one that is not open leaves the header alone.
    state = reduce(state, { type: 'conversation.renamed', summary: summary({ id: 'c2', title: 'Deux' }) });
    expect(state.conversation?.title).toBe('Trip');
    expect(state.conversations.map((c) => c.title)).toEqual(['Trip', 'Deux']);
  });

  it('keeps a notice button: main\'s "Continue here" and the window\'s own "Undo"', () => {
    let state = reduce(loaded(), {
      type: 'notice',
      payload: {
        id: 'n1',
        level: 'info',
        text: 'Switched provider',
        at: 1,
        action: { label: 'Continue here', command: 'conversation.continueHere', conversationId: 'c1' },
      },
    });
    state = reduce(state, {
      type: 'notice',
      payload: {
        id: 'n2',
        level: 'info',
        text: 'Deleted “First”.',
        at: 2,
        action: { label: 'Undo', command: 'conversation.restore', conversationId: 'c1', reopen: true },
      },
    });
    expect(state.notices.map((n) => n.action?.label)).toEqual(['Continue here', 'Undo']);
  });
});

describe('the Conversations list as drawn', () => {
  it("is main's list when it has the open conversation", () => {
    const list = [summary({ id: 'c1' }), summary({ id: 'c0' })];
    expect(listedConversations(list, { id: 'c1', title: 'First' }, 2)).toBe(list);
  });

  it('puts a new conversation main does not keep yet at the top, as the open one', () => {
    const list = [summary({ id: 'c0', title: 'Old' })];
    expect(listedConversations(list, { id: 'c5', title: 'New conversation' }, 0)).toEqual([
      { id: 'c5', title: 'New conversation', turnCount: 0 },
      list[0],
    ]);
    expect(listedConversations(list, null, 0)).toBe(list);
  });
});

describe('unsent turns', () => {
  it('leave the push-to-talk button idle: they wait for Send, nothing is in flight', () => {
    expect(talkState([turn({ phase: 'unsent' })])).toBe('idle');
    expect(shownTurns([turn({ phase: 'unsent' })])).toHaveLength(1);
  });
});

describe('notices follow the shared rules, and dismissals last (issue 19)', () => {
  const base = (over: Partial<Notice>): Notice => ({
    id: 'n1',
    level: 'warning',
    text: 'words',
    at: 1,
    ...over,
  });
  const loaded = reduce(initialState, { type: 'transport', status: 'open' });

  it('a newer notice of a topic replaces the old, and notice.clear retracts it', () => {
    let s = reduce(loaded, { type: 'notice', payload: base({ id: 'a', topic: 'endpoint', text: 'old' }) });
    s = reduce(s, { type: 'notice', payload: base({ id: 'b', topic: 'endpoint', text: 'new' }) });
    expect(s.notices.map((n) => n.text)).toEqual(['new']);
    s = reduce(s, { type: 'notice.clear', payload: { topic: 'endpoint' } });
    expect(s.notices).toEqual([]);
  });

  it('the same words show once', () => {
    let s = reduce(loaded, {
      type: 'notice',
      payload: base({ id: 'a', level: 'info', text: 'Reconnected' }),
    });
    s = reduce(s, { type: 'notice', payload: base({ id: 'b', level: 'info', text: 'Reconnected' }) });
    expect(s.notices).toHaveLength(1);
  });

  it('a dismissed notice stays away when a reload brings it back, until its topic clears', () => {
    let s = reduce(loaded, { type: 'notice', payload: base({ id: 'a', topic: 'endpoint', text: 'no key' }) });
    s = reduce(s, { type: 'notice.dismiss', id: 'a' });
    expect(s.notices).toEqual([]);
    // The same warning raised again (a new id, e.g. after a restart) is no news.
    s = reduce(s, { type: 'notice', payload: base({ id: 'z', topic: 'endpoint', text: 'no key' }) });
    expect(s.notices).toEqual([]);
    s = reduce(s, { type: 'notice.clear', payload: { topic: 'endpoint' } });
    s = reduce(s, { type: 'notice', payload: base({ id: 'y', topic: 'endpoint', text: 'no key' }) });
    expect(s.notices.map((n) => n.id)).toEqual(['y']);
  });
});

describe('losing main (issue 19)', () => {
  it('records the transport and resets the log to what a restarted main numbers anew', () => {
    let s = reduce(initialState, { type: 'transport', status: 'lost' });
    expect(s.transport).toBe('lost');
    const entry = (seq: number): LogEntry => ({ seq, t: seq, dir: 'in', type: 'x', payload: {} });
    s = reduce(s, { type: 'log', entries: [entry(10), entry(11)] });
    s = reduce(s, { type: 'log.reset', entries: [entry(0)] });
    expect(s.logRows.map((r) => r.key)).toEqual([0]);
    s = reduce(s, { type: 'log', entries: [entry(1)] });
    expect(s.logSeq).toBe(1);
  });

  it('says "Lost connection to Talkie" under push to talk, and "Waiting for the connection" for a queued turn offline', () => {
    expect(talkNote({ turns: [], transport: 'lost', connection: null })).toBe('Lost connection to Talkie');
  });
});
