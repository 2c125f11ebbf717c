import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../../src/main/core/store/conversation-store';
import { CLOSED_REASON } from '../../../../src/main/core/store/repair';
import { tempDir, turn } from './helpers';

let dir: string;
let remove: () => void;
let file: string;

beforeEach(() => {
  ({ dir, remove } = tempDir());
  file = join(dir, 'conversations.db');
});
afterEach(() => remove());

/** A real history with enough turns to span many pages. */
function writeHistory(turns: number): void {
  const { store } = ConversationStore.open(file);
  store.createConversation({ id: 'c', title: 'Long talk', createdAt: 1, endpoint: null });
  for (let i = 1; i <= turns; i++)
    store.saveTurn(
      turn({ id: `t${i}`, conversationId: 'c', index: i, userText: `question ${i} ${'x'.repeat(300)}` }),
    );
  store.close();
}

/** Opens `file` and checks a fresh, working store came back with one notice naming where the old file went. */
function expectFreshStart(now: number, label: string): string {
  const { store, notices } = ConversationStore.open(file, { now: () => now });
  const aside = `${file}.${label}-${now}`;
  expect(notices).toHaveLength(1);
  expect(notices[0]).toContain(aside);
  expect(store.listConversations()).toEqual([]);
  store.createConversation({ id: 'fresh', title: 'Fresh', createdAt: 5, endpoint: null });
  store.saveTurn(turn({ id: 'f1', conversationId: 'fresh', userText: 'starting over' }));
  expect(store.search('starting').map((h) => h.id)).toEqual(['fresh']);
  store.close();
  expect(existsSync(aside)).toBe(true);
  return aside;
}

describe('opening a damaged or foreign conversation database', () => {
  it('keeps a file of random bytes aside, unchanged, and starts a fresh history', () => {
    const junk = randomBytes(64 * 1024);
    writeFileSync(file, junk);
    const aside = expectFreshStart(1234, 'unreadable');
    expect(readFileSync(aside)).toEqual(junk);
  });

  it('keeps a file cut off inside its header aside', () => {
    writeHistory(3);
    truncateSync(file, 50);
    const before = readFileSync(file);
    const aside = expectFreshStart(99, 'unreadable');
    expect(readFileSync(aside)).toEqual(before);
  });

  it('keeps a file that lost its second half aside instead of failing later in a conversation', () => {
    writeHistory(200);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expectFreshStart(7, 'unreadable');
  });

  it('keeps a newer Talkie’s file aside untouched and says how to get it back', () => {
    writeHistory(2);
    const db = new Database(file);
    db.pragma('user_version = 3');
    db.close();
    const before = readFileSync(file);
    const { store, notices } = ConversationStore.open(file, { now: () => 555 });
    store.close();
    const aside = `${file}.newer-v3-555`;
    expect(notices).toEqual([expect.stringContaining(aside)]);
    expect(notices[0]).toMatch(/newer version of Talkie \(format 3; this version reads up to 2\)/);
    expect(notices[0]).toContain('Rename it back to conversations.db');
    expect(readFileSync(aside)).toEqual(before);
  });

  it('moves the write-ahead log with the kept file, so its last commits stay with it', () => {
    writeHistory(1);
    // The state a killed process leaves: commits still in the WAL, not yet copied into the main file.
    const db = new Database(file);
    db.pragma('wal_autocheckpoint = 0');
    db.prepare("UPDATE conversations SET title = 'Only in the WAL'").run();
    const main = readFileSync(file);
    const wal = readFileSync(`${file}-wal`);
    db.close();
    writeFileSync(file, main);
    writeFileSync(`${file}-wal`, wal);
    // Then the main file's header is damaged.
    main.write('not a database!!', 0, 'latin1');
    writeFileSync(file, main);
    const aside = expectFreshStart(8, 'unreadable');
    expect(readFileSync(`${aside}-wal`)).toEqual(wal);
    expect(
      readdirSync(dir)
        .filter((n) => n.startsWith('conversations.db.unreadable'))
        .sort(),
    ).toEqual(
      [`conversations.db.unreadable-8`, `conversations.db.unreadable-8-wal`].concat(
        existsSync(`${aside}-shm`) ? ['conversations.db.unreadable-8-shm'] : [],
      ),
    );
  });

  it('never overwrites a file kept earlier', () => {
    writeFileSync(file, randomBytes(4096));
    ConversationStore.open(file, { now: () => 1 }).store.close();
    const first = readFileSync(`${file}.unreadable-1`);
    writeFileSync(file, randomBytes(4096));
    const { store, notices } = ConversationStore.open(file, { now: () => 1 });
    store.close();
    expect(notices[0]).toContain(`${file}.unreadable-1-1`);
    expect(readFileSync(`${file}.unreadable-1`)).toEqual(first);
  });
});

describe('turns left unfinished by a Talkie that was killed', () => {
  it('offers a turn that never got an answer for sending, and keeps a cut-short reply as interrupted', () => {
    let { store } = ConversationStore.open(file);
    store.createConversation({ id: 'c', title: 'T', createdAt: 1, endpoint: null });
    const inFlight = { outcome: undefined } as const;
    store.saveTurn(
      turn({
        id: 'voice-held',
        conversationId: 'c',
        index: 1,
        input: 'voice',
        phase: 'listening',
        userText: undefined,
        assistantText: '',
        ...inFlight,
      }),
    );
    store.saveAudio('voice-held', Buffer.from([1, 2, 3, 4]));
    store.saveTurn(
      turn({ id: 'queued', conversationId: 'c', index: 2, phase: 'queued', assistantText: '', ...inFlight }),
    );
    store.saveTurn(
      turn({ id: 'asked', conversationId: 'c', index: 3, phase: 'waiting', assistantText: '', ...inFlight }),
      [{ id: 'resp_a', turnId: 'asked', status: 'in_progress', attempt: 1, createdAt: 1 }],
    );
    store.saveTurn(
      turn({
        id: 'half',
        conversationId: 'c',
        index: 4,
        phase: 'replying',
        assistantText: 'The answer is',
        ...inFlight,
      }),
    );
    store.saveTurn(
      turn({ id: 'unsent', conversationId: 'c', index: 5, phase: 'unsent', assistantText: '', ...inFlight }),
    );
    store.saveTurn(turn({ id: 'done', conversationId: 'c', index: 6 }));
    const updatedAt = store.listConversations()[0]?.updatedAt;
    store.close();

    let notices: string[];
    ({ store, notices } = ConversationStore.open(file, { now: () => 9e12 }));
    expect(notices).toEqual([
      '4 unfinished turns from last time were kept: 2 not sent yet (Send or Discard them), 2 with their replies cut short.',
    ]);
    const turns = store.getConversation('c')?.turns ?? [];
    const byId = Object.fromEntries(turns.map((t) => [t.id, t]));
    expect(byId['voice-held']).toMatchObject({ phase: 'unsent', input: 'voice' });
    expect(byId['voice-held']?.outcome).toBeUndefined();
    expect(store.loadAudio('voice-held')).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(byId['queued']).toMatchObject({ phase: 'unsent', userText: 'Hello there' });
    const interrupted = { kind: 'interrupted', reason: CLOSED_REASON };
    expect(byId['asked']).toMatchObject({ phase: 'done', outcome: interrupted, assistantText: '' });
    expect(byId['half']).toMatchObject({
      phase: 'done',
      outcome: interrupted,
      assistantText: 'The answer is',
    });
    expect(byId['unsent']).toMatchObject({ phase: 'unsent' });
    expect(byId['done']).toMatchObject({ phase: 'done', outcome: { kind: 'completed' } });
    expect(store.search('answer').map((h) => h.id)).toEqual(['c']);
    // Repairing is not talking: the conversation keeps its place in the list.
    expect(store.listConversations()[0]?.updatedAt).toBe(updatedAt);
    store.close();

    ({ store, notices } = ConversationStore.open(file));
    expect(notices).toEqual([]);
    store.close();
  });

  it('says it in the singular for one turn', () => {
    const { store } = ConversationStore.open(file);
    store.createConversation({ id: 'c', title: 'T', createdAt: 1, endpoint: null });
    store.saveTurn(
      turn({ id: 'x', conversationId: 'c', phase: 'replying', assistantText: 'Partly', outcome: undefined }),
    );
    store.close();
    const reopened = ConversationStore.open(file);
    reopened.store.close();
    expect(reopened.notices).toEqual([
      '1 unfinished turn from last time was kept: 1 with its reply cut short.',
    ]);
  });

  it('clears half-written recordings left by a kill, and keeps whole ones', () => {
    const { store } = ConversationStore.open(file);
    store.saveAudio('whole', Buffer.from([1, 2]));
    store.close();
    writeFileSync(join(dir, 'audio', 'partial.pcm.tmp'), Buffer.from([3]));
    const reopened = ConversationStore.open(file).store;
    expect(readdirSync(join(dir, 'audio'))).toEqual(['whole.pcm']);
    expect(reopened.loadAudio('partial')).toBeNull();
    reopened.close();
  });
});
