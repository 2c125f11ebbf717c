/** Shared set-up for the store tests: temp folders with real database files, and turns as the app would save them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TurnView } from '../../../../src/shared/types';

/** A fresh temp folder; remove it with the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A finished text turn, overridable field by field. */
export function turn(over: Partial<TurnView> & { id: string; conversationId: string }): TurnView {
  return {
    index: 1,
    input: 'text',
    replyAs: 'text',
    userText: 'Hello there',
    assistantText: 'Hi! How can I help?',
    hasAudio: false,
    phase: 'done',
    outcome: { kind: 'completed' },
    timings: { toCreatedMs: 120, toFirstDeltaMs: 310, toDoneMs: 900 },
    startedAt: 1_700_000_000_000,
    attempts: 1,
    ...over,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}
