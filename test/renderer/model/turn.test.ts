import { describe, expect, it } from 'vitest';
import type { TurnView } from '../../../src/shared/types';
import { canCopyReply, isInFlight, statusKind, turnNote } from '../../../src/renderer/src/model/turn';

const turn = (patch: Partial<TurnView>): TurnView => ({
  id: 't1',
  conversationId: 'c1',
  index: 1,
  input: 'text',
  replyAs: 'text',
  userText: 'hello',
  assistantText: '',
  hasAudio: false,
  phase: 'done',
  timings: {},
  startedAt: 0,
  attempts: 1,
  ...patch,
});

describe('what a turn shows', () => {
  it('offers Send and Discard for a turn left unsent, even with an older failure on record', () => {
    expect(turnNote(turn({ phase: 'unsent' }))).toEqual({ kind: 'unsent' });
    const failedBefore = turn({
      phase: 'unsent',
      outcome: { kind: 'failed', reason: 'server_error', retryable: true },
    });
    expect(turnNote(failedBefore)).toEqual({ kind: 'unsent' });
    expect(statusKind(failedBefore)).toBe('unsent');
    expect(isInFlight(failedBefore)).toBe(false);
  });

  it('gives each outcome kind its own note', () => {
    expect(turnNote(turn({ outcome: { kind: 'completed' } }))).toBeNull();
    expect(turnNote(turn({ phase: 'cancelled', outcome: { kind: 'ignored', reason: 'short' } }))).toBeNull();
    expect(
      turnNote(turn({ phase: 'failed', outcome: { kind: 'failed', reason: 'Stalled', retryable: false } })),
    ).toEqual({ kind: 'failed', reason: 'Stalled', retryable: false });
    expect(turnNote(turn({ outcome: { kind: 'no-audio', reason: 'text twice' } }))).toEqual({
      kind: 'no-audio',
      reason: 'text twice',
    });
    expect(turnNote(turn({ outcome: { kind: 'interrupted', reason: 'You spoke' } }))).toEqual({
      kind: 'interrupted',
      reason: 'You spoke',
    });
    expect(turnNote(turn({ phase: 'cancelled', outcome: { kind: 'cancelled', reason: 'Stopped' } }))).toEqual(
      {
        kind: 'cancelled',
        reason: 'Stopped',
      },
    );
  });

  it('alerts on a failed phase before its outcome arrives, with a generic reason and Retry', () => {
    expect(turnNote(turn({ phase: 'failed' }))).toEqual({
      kind: 'failed',
      reason: 'The reply failed.',
      retryable: true,
    });
  });

  it('has nothing to add while a turn is in flight', () => {
    for (const phase of ['listening', 'committing', 'queued', 'waiting', 'replying'] as const) {
      expect(turnNote(turn({ phase }))).toBeNull();
      expect(isInFlight(turn({ phase }))).toBe(true);
    }
  });

  it('offers "Copy reply" once a reply has text and has stopped streaming', () => {
    expect(canCopyReply(turn({ assistantText: 'Echo: hello', outcome: { kind: 'completed' } }))).toBe(true);
    expect(canCopyReply(turn({ assistantText: 'Ech', phase: 'replying' }))).toBe(false);
    expect(canCopyReply(turn({ assistantText: '' }))).toBe(false);
    // A reply cut short still has words worth copying.
    expect(canCopyReply(turn({ assistantText: 'half', outcome: { kind: 'interrupted', reason: 'x' } }))).toBe(
      true,
    );
  });

  it('styles the status by outcome, else by phase', () => {
    expect(statusKind(turn({ outcome: { kind: 'no-audio', reason: 'x' } }))).toBe('no-audio');
    expect(statusKind(turn({ phase: 'waiting' }))).toBe('waiting');
  });
});
