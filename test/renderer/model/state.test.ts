import { describe, expect, it } from 'vitest';
import type { AppSnapshot, LogEntry, Notice, TurnView } from '../../../src/shared/types';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import {
  initialState,
  MAX_NOTICES,
  reduce,
  shownTurns,
  talkState,
  type UiState,
} from '../../../src/renderer/src/model/state';

const turn = (patch: Partial<TurnView>): TurnView => ({
  id: 't1',
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

const snapshot = (patch: Partial<AppSnapshot> = {}): AppSnapshot => ({
  connection: { state: 'connected', provider: 'simulator', demoMode: true, endpoint: '127.0.0.1' },
  turns: [],
  next: { replyAs: 'text', instructions: '', instructionsMode: 'append' },
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
