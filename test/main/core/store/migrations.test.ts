import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../../src/main/core/store/conversation-store';
import { migrate, STORE_MIGRATIONS, STORE_VERSION } from '../../../../src/main/core/store/migrations';
import { tempDir, turn } from './helpers';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir());
});
afterEach(() => remove());

const versionOf = (file: string): number => {
  const db = new Database(file, { readonly: true });
  const v = db.pragma('user_version', { simple: true }) as number;
  db.close();
  return v;
};

/** A database as the first release (schema version 1) left it: one conversation, one voice turn answered. */
function buildVersion1(file: string): void {
  const db = new Database(file);
  migrate(db, STORE_MIGRATIONS.slice(0, 1));
  const view = turn({
    id: 'v1-turn',
    conversationId: 'v1-conv',
    input: 'voice',
    replyAs: 'voice',
    userText: 'Remind me what a marmot eats',
    assistantText: 'Marmots eat grasses, flowers and the occasional insect.',
    hasAudio: true,
  });
  db.prepare(
    `INSERT INTO conversations (id, title, title_by_user, created_at, updated_at, endpoint, turn_count)
     VALUES ('v1-conv', 'Marmots', 1, 100, 200, 'api.openai.com', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO turns (id, conversation_id, idx, phase, started_at, view) VALUES ('v1-turn', 'v1-conv', 1, 'done', ?, ?)`,
  ).run(view.startedAt, JSON.stringify(view));
  const item = db.prepare(
    `INSERT INTO items (id, conversation_id, turn_id, role, kind, text, status, created_at)
     VALUES (?, 'v1-conv', 'v1-turn', ?, ?, ?, 'completed', 150)`,
  );
  item.run('v1-turn:user', 'user', 'input_audio', view.userText);
  item.run('v1-turn:assistant', 'assistant', 'output_audio', view.assistantText);
  db.close();
}

describe('conversation database migrations', () => {
  it('creates the current schema in a new file, in a folder that did not exist yet', () => {
    const file = join(dir, 'nested', 'data', 'conversations.db');
    const { store, notices } = ConversationStore.open(file);
    expect(notices).toEqual([]);
    store.createConversation({ id: 'c', title: 't', createdAt: 1, endpoint: null });
    store.saveTurn(turn({ id: 't', conversationId: 'c', userText: 'first words' }));
    expect(store.search('first').map((h) => h.id)).toEqual(['c']);
    store.close();
    expect(versionOf(file)).toBe(STORE_VERSION);
    expect(STORE_VERSION).toBe(2);
  });

  it('takes an empty (zero-byte) file as a new database', () => {
    const file = join(dir, 'conversations.db');
    writeFileSync(file, '');
    const { store, notices } = ConversationStore.open(file);
    expect(notices).toEqual([]);
    expect(store.listConversations()).toEqual([]);
    store.close();
    expect(versionOf(file)).toBe(STORE_VERSION);
  });

  it('upgrades a version-1 file: its conversations survive and become searchable', () => {
    const file = join(dir, 'conversations.db');
    buildVersion1(file);
    expect(versionOf(file)).toBe(1);
    const { store, notices } = ConversationStore.open(file);
    expect(notices).toEqual([]);
    expect(store.listConversations()).toEqual([
      { id: 'v1-conv', title: 'Marmots', createdAt: 100, updatedAt: 200, turnCount: 1 },
    ]);
    expect(store.getConversation('v1-conv')?.turns.map((t) => t.assistantText)).toEqual([
      'Marmots eat grasses, flowers and the occasional insect.',
    ]);
    expect(store.search('marmot').map((h) => [h.id, h.snippet])).toEqual([
      ['v1-conv', 'Marmots eat grasses, flowers and the occasional insect.'.replace('Marmots', '«Marmots»')],
    ]);
    expect(store.search('grasses')[0]?.snippet).toContain('«grasses»');
    // The user's name for it survives too.
    store.setAutoTitle('v1-conv', 'Remind me what a marmot eats');
    expect(store.listConversations()[0]?.title).toBe('Marmots');
    // And the upgraded file takes new turns and responses like a new one.
    store.saveTurn(turn({ id: 'new', conversationId: 'v1-conv', index: 2, userText: 'And alpine ibex?' }), [
      { id: 'resp', turnId: 'new', status: 'completed', attempt: 1, createdAt: 300 },
    ]);
    expect(store.search('ibex').map((h) => h.id)).toEqual(['v1-conv']);
    expect(store.responses('new')).toHaveLength(1);
    store.close();
    expect(versionOf(file)).toBe(2);
  });

  it('keeps a file it cannot upgrade, whole and at its old version, and starts afresh', () => {
    const file = join(dir, 'conversations.db');
    buildVersion1(file);
    // Something already uses a name version 2 needs: that step fails and is rolled back.
    const db = new Database(file);
    db.exec('CREATE TABLE responses (x)');
    db.close();
    const { store, notices } = ConversationStore.open(file, { now: () => 42 });
    const aside = `${file}.not-upgraded-42`;
    expect(notices).toEqual([expect.stringContaining(aside)]);
    expect(notices[0]).toMatch(/could not be upgraded/);
    expect(store.listConversations()).toEqual([]);
    store.close();
    expect(existsSync(aside)).toBe(true);
    expect(versionOf(aside)).toBe(1);
    const kept = new Database(aside, { readonly: true });
    expect(kept.prepare('SELECT title FROM conversations').all()).toEqual([{ title: 'Marmots' }]);
    kept.close();
  });
});
