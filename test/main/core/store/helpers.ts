/**
 * Shared set-up for the store tests: temp folders with real database files, turns as the app would save them, and
 * both implementations of the store for the tests they share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../../../src/main/core/store/conversation-store';
import { MemoryConversationStore } from '../../../../src/main/core/store/memory-store';
import type { ConversationStorePort } from '../../../../src/main/core/store/port';
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

/**
 * A store for the behaviour both implementations share. `reopen` is what a restart gives back: the SQLite store
 * opens its file again; the memory store has no restart, so it is the same store (what is kept until Talkie quits).
 */
export interface StoreUnderTest {
  readonly store: ConversationStorePort;
  reopen(): ConversationStorePort;
  /** Closes the store and removes its files. */
  dispose(): void;
}

/** The implementations of ConversationStorePort, for `describe.each`. */
export const STORE_KINDS: Array<[string, (now: () => number) => StoreUnderTest]> = [
  [
    'SQLite',
    (now) => {
      const { dir, remove } = tempDir();
      const file = join(dir, 'conversations.db');
      let store: ConversationStorePort = ConversationStore.open(file, { now }).store;
      return {
        get store() {
          return store;
        },
        reopen() {
          store.close();
          store = ConversationStore.open(file, { now }).store;
          return store;
        },
        dispose() {
          store.close();
          remove();
        },
      };
    },
  ],
  [
    'memory',
    (now) => {
      const store = new MemoryConversationStore(now);
      return { store, reopen: () => store, dispose: () => store.close() };
    },
  ],
];
