import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../../src/main/core/store/conversation-store';
import type { ConversationStorePort, ResponseRecord } from '../../../../src/main/core/store/port';
import { manualClock, STORE_KINDS, tempDir, turn, type StoreUnderTest } from './helpers';

const clock = manualClock();

// The behaviour both stores share, run on each: the SQLite one (`reopen` is a restart: the file is opened again)
// and the memory-only one (`reopen` gives the same store: it has no restart).
describe.each(STORE_KINDS)('%s conversation store', (_kind, openStore) => {
  let under: StoreUnderTest;
  let store: ConversationStorePort;
  const reopen = (): ConversationStorePort => (store = under.reopen());

  beforeEach(() => {
    clock.set(1_700_000_000_000);
    under = openStore(clock.now);
    store = under.store;
  });
  afterEach(() => under.dispose());

  const create = (id: string, createdAt = clock.now(), title = 'New conversation'): void => {
    store.createConversation({ id, title, createdAt, endpoint: 'api.openai.com' });
  };

  describe('saving and reading back', () => {
    it('gives back after a restart every turn as it was saved, in order', () => {
      create('c1');
      const second = turn({
        id: 't2',
        conversationId: 'c1',
        index: 2,
        input: 'voice',
        replyAs: 'voice',
        userText: 'What is the weather like?',
        recordedMs: 1840,
        assistantText: 'Sunny, 21 degrees.',
        hasAudio: true,
        instructions: 'Answer in one sentence.',
        instructionsMode: 'append',
        timings: { releaseToCommitMs: 12, toFirstAudioMs: 402 },
        attempts: 2,
      });
      const first = turn({ id: 't1', conversationId: 'c1', index: 1 });
      store.saveTurn(second);
      store.saveTurn(first);
      reopen();
      const open = store.getConversation('c1');
      expect(open?.turns).toEqual([first, second]);
      expect(open?.endpoint).toBe('api.openai.com');
      expect(open?.summary).toMatchObject({ id: 'c1', title: 'New conversation', turnCount: 2 });
    });

    it('gives back a copy: changing what was saved or read changes nothing stored', () => {
      create('c1');
      const saved = turn({ id: 't1', conversationId: 'c1', assistantText: 'As saved.' });
      store.saveTurn(saved);
      saved.assistantText = 'Changed by the caller.';
      const read = store.getConversation('c1')?.turns[0];
      if (read) read.assistantText = 'Changed by a reader.';
      expect(store.getConversation('c1')?.turns[0]?.assistantText).toBe('As saved.');
    });

    it('keeps one copy of a turn saved many times while its reply streams in', () => {
      create('c1');
      const base = turn({ id: 't1', conversationId: 'c1', phase: 'replying', outcome: undefined });
      for (const text of ['Hi', 'Hi! How', 'Hi! How can I help?'])
        store.saveTurn({ ...base, assistantText: text });
      const done = { ...base, assistantText: 'Hi! How can I help?', phase: 'done' as const };
      store.saveTurn({ ...done, outcome: { kind: 'completed' } });
      store.saveTurn({ ...done, outcome: { kind: 'completed' } });
      const open = store.getConversation('c1');
      expect(open?.turns).toHaveLength(1);
      expect(open?.turns[0]?.assistantText).toBe('Hi! How can I help?');
      expect(open?.summary.turnCount).toBe(1);
      // One message per role: the snippet comes from the reply as it ended, not a partial copy of it.
      expect(store.search('help').map((h) => h.snippet)).toEqual(['Hi! How can I «help»?']);
      reopen();
      expect(store.getConversation('c1')?.turns).toHaveLength(1);
    });

    it('keeps one reply message when a text reply is replaced by audio on a re-request', () => {
      create('c1');
      const base = turn({ id: 't1', conversationId: 'c1', replyAs: 'voice', input: 'voice' });
      store.saveTurn({ ...base, assistantText: 'Some text instead', hasAudio: false });
      store.saveTurn({ ...base, assistantText: 'Spoken words', hasAudio: true });
      expect(store.search('instead')).toEqual([]);
      expect(store.search('spoken').map((h) => h.id)).toEqual(['c1']);
    });

    it('records each response a turn needed, retries included, and updates one as it finishes', () => {
      create('c1');
      const t = turn({ id: 't1', conversationId: 'c1', attempts: 2 });
      const failed: ResponseRecord = {
        id: 'resp_1',
        turnId: 't1',
        status: 'failed',
        reason: 'server_error',
        attempt: 1,
        createdAt: 10,
      };
      const retry: ResponseRecord = {
        id: 'resp_2',
        turnId: 't1',
        status: 'in_progress',
        attempt: 2,
        createdAt: 20,
      };
      store.saveTurn(t, [failed, retry]);
      const done: ResponseRecord = {
        ...retry,
        status: 'completed',
        usage: { total_tokens: 412, output_token_details: { audio_tokens: 300 } },
        timings: { toCreatedMs: 90, toDoneMs: 1400 },
      };
      store.saveTurn(t, [done]);
      reopen();
      expect(store.responses('t1')).toEqual([failed, done]);
    });

    it('refuses a turn for a conversation that does not exist, saving nothing of it', () => {
      expect(() => store.saveTurn(turn({ id: 't1', conversationId: 'nope' }))).toThrow(/nope/);
      expect(store.search('hello')).toEqual([]);
    });

    it('refuses a conversation id that is taken', () => {
      create('c1');
      expect(() => create('c1')).toThrow();
      expect(store.listConversations()).toHaveLength(1);
    });

    it('moves a turn saved under another conversation, counting it there only', () => {
      create('a');
      create('b');
      store.saveTurn(turn({ id: 't1', conversationId: 'a', userText: 'wandering turn' }));
      store.saveTurn(turn({ id: 't1', conversationId: 'b', userText: 'wandering turn' }));
      expect(store.getConversation('a')?.summary.turnCount).toBe(0);
      expect(store.getConversation('a')?.turns).toEqual([]);
      expect(store.getConversation('b')?.summary.turnCount).toBe(1);
      expect(store.search('wandering').map((h) => h.id)).toEqual(['b']);
    });

    it('removes a turn with its messages, responses and recording', () => {
      create('c1');
      store.saveTurn(turn({ id: 't1', conversationId: 'c1', userText: 'keep me' }));
      store.saveTurn(turn({ id: 't2', conversationId: 'c1', index: 2, userText: 'discard me' }), [
        { id: 'r2', turnId: 't2', status: 'completed', attempt: 1, createdAt: 1 },
      ]);
      store.saveAudio('t2', Buffer.alloc(4800));
      store.removeTurn('t2');
      expect(store.getConversation('c1')?.turns.map((t) => t.id)).toEqual(['t1']);
      expect(store.getConversation('c1')?.summary.turnCount).toBe(1);
      expect(store.search('discard')).toEqual([]);
      expect(store.responses('t2')).toEqual([]);
      expect(store.loadAudio('t2')).toBeNull();
    });
  });

  describe('the list', () => {
    it('lists the conversation talked in most recently first', () => {
      create('old', 1000);
      clock.set(2000);
      create('new', 2000);
      expect(store.listConversations().map((c) => c.id)).toEqual(['new', 'old']);
      clock.set(3000);
      store.saveTurn(turn({ id: 't1', conversationId: 'old' }));
      const list = store.listConversations();
      expect(list.map((c) => c.id)).toEqual(['old', 'new']);
      expect(list[0]).toEqual({
        id: 'old',
        title: 'New conversation',
        createdAt: 1000,
        updatedAt: 3000,
        turnCount: 1,
      });
    });

    it('titles a conversation from its first message until the user renames it, then keeps their name', () => {
      create('c1');
      store.setAutoTitle('c1', 'Weather in Lisbon');
      expect(store.listConversations()[0]?.title).toBe('Weather in Lisbon');
      expect(store.renameConversation('c1', 'Trip planning')?.title).toBe('Trip planning');
      store.setAutoTitle('c1', 'Something else');
      reopen();
      expect(store.listConversations()[0]?.title).toBe('Trip planning');
      expect(store.renameConversation('missing', 'x')).toBeNull();
    });

    it('remembers which server a conversation was held with', () => {
      create('c1');
      store.setEndpoint('c1', 'myresource.openai.azure.com');
      reopen();
      expect(store.getConversation('c1')?.endpoint).toBe('myresource.openai.azure.com');
      store.setEndpoint('c1', null);
      expect(store.getConversation('c1')?.endpoint).toBeNull();
    });

    it('hides a deleted conversation from the list and search, and restore brings it back in place', () => {
      create('a', 1000);
      create('b', 2000);
      clock.set(3000);
      store.saveTurn(turn({ id: 'ta', conversationId: 'a', userText: 'penguins of Antarctica' }));
      clock.set(5000);
      store.saveTurn(turn({ id: 'tb', conversationId: 'b', userText: 'penguins in zoos' }));
      store.deleteConversation('b');
      expect(store.listConversations().map((c) => c.id)).toEqual(['a']);
      expect(store.search('penguins').map((h) => h.id)).toEqual(['a']);
      // Still there to be shown before a restore.
      expect(store.getConversation('b')?.turns.map((t) => t.id)).toEqual(['tb']);
      reopen();
      expect(store.listConversations().map((c) => c.id)).toEqual(['a']);
      store.restoreConversation('b');
      expect(store.listConversations().map((c) => c.id)).toEqual(['b', 'a']);
      expect(store.search('penguins').map((h) => h.id)).toEqual(['b', 'a']);
    });

    it('purging removes deleted conversations for good, with their recordings, and leaves the rest', () => {
      create('keep');
      create('gone');
      store.saveTurn(turn({ id: 'k1', conversationId: 'keep', phase: 'unsent', outcome: undefined }));
      store.saveTurn(turn({ id: 'g1', conversationId: 'gone', userText: 'secret plans' }), [
        { id: 'rg1', turnId: 'g1', status: 'completed', attempt: 1, createdAt: 1 },
      ]);
      store.saveTurn(
        turn({ id: 'g2', conversationId: 'gone', index: 2, phase: 'unsent', outcome: undefined }),
      );
      store.saveAudio('k1', Buffer.from([1, 2, 3, 4]));
      store.saveAudio('g2', Buffer.from([5, 6, 7, 8]));
      store.deleteConversation('gone');
      store.purgeDeleted();
      store.restoreConversation('gone');
      expect(store.getConversation('gone')).toBeNull();
      expect(store.listConversations().map((c) => c.id)).toEqual(['keep']);
      expect(store.search('secret')).toEqual([]);
      expect(store.responses('g1')).toEqual([]);
      expect(store.loadAudio('g2')).toBeNull();
      expect(store.loadAudio('k1')).toEqual(Buffer.from([1, 2, 3, 4]));
      reopen();
      expect(store.getConversation('gone')).toBeNull();
    });
  });

  describe('recordings of unsent voice turns', () => {
    it('keeps the recorded audio across a restart until it is deleted', () => {
      const pcm = Buffer.from(
        Int16Array.from({ length: 24000 }, (_, i) => Math.round(8000 * Math.sin(i / 9))).buffer,
      );
      store.saveAudio('turn-1', pcm);
      reopen();
      expect(store.loadAudio('turn-1')).toEqual(pcm);
      store.deleteAudio('turn-1');
      expect(store.loadAudio('turn-1')).toBeNull();
      store.deleteAudio('turn-1');
      expect(store.loadAudio('never-recorded')).toBeNull();
    });

    it('keeps a recording per turn id, whatever the id', () => {
      store.saveAudio('../../escape', Buffer.from([9]));
      store.saveAudio('a/b\\c:d', Buffer.from([8]));
      expect(store.loadAudio('../../escape')).toEqual(Buffer.from([9]));
      expect(store.loadAudio('a/b\\c:d')).toEqual(Buffer.from([8]));
    });
  });
});

// What only the SQLite store does: files on disk.
describe('SQLite conversation store on disk', () => {
  let dir: string;
  let remove: () => void;
  let file: string;
  let store: ConversationStore;

  beforeEach(() => {
    ({ dir, remove } = tempDir());
    file = join(dir, 'conversations.db');
    clock.set(1_700_000_000_000);
    store = ConversationStore.open(file, { now: clock.now }).store;
  });
  afterEach(() => {
    store.close();
    remove();
  });

  const create = (id: string): void => {
    store.createConversation({ id, title: 'New conversation', createdAt: clock.now(), endpoint: null });
  };
  const query = (sql: string): unknown[] => {
    store.close();
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
      store = ConversationStore.open(file, { now: clock.now }).store;
    }
  };

  it('writes one user and one assistant message for a turn saved many times', () => {
    create('c1');
    const base = turn({ id: 't1', conversationId: 'c1', phase: 'replying', outcome: undefined });
    for (const text of ['Hi', 'Hi! How', 'Hi! How can I help?'])
      store.saveTurn({ ...base, assistantText: text });
    store.saveTurn({
      ...base,
      assistantText: 'Hi! How can I help?',
      phase: 'done',
      outcome: { kind: 'completed' },
    });
    expect(query('SELECT role, kind, text, status FROM items ORDER BY role DESC')).toEqual([
      { role: 'user', kind: 'input_text', text: 'Hello there', status: 'completed' },
      { role: 'assistant', kind: 'output_text', text: 'Hi! How can I help?', status: 'completed' },
    ]);
  });

  it('purging leaves no row and no recording file of a deleted conversation', () => {
    create('keep');
    create('gone');
    store.saveTurn(turn({ id: 'k1', conversationId: 'keep', phase: 'unsent', outcome: undefined }));
    store.saveTurn(turn({ id: 'g1', conversationId: 'gone', userText: 'secret plans' }));
    store.saveAudio('k1', Buffer.from([1, 2, 3, 4]));
    store.saveAudio('g1', Buffer.from([5, 6, 7, 8]));
    store.deleteConversation('gone');
    store.purgeDeleted();
    expect(readdirSync(join(dir, 'audio'))).toEqual(['k1.pcm']);
    expect(query("SELECT COUNT(*) AS n FROM items WHERE conversation_id = 'gone'")).toEqual([{ n: 0 }]);
  });

  it('keeps a recording as a file beside the database', () => {
    store.saveAudio('turn-1', Buffer.from([1, 2]));
    expect(existsSync(join(dir, 'audio', 'turn-1.pcm'))).toBe(true);
  });

  it('never writes outside its audio folder, whatever the turn id', () => {
    store.saveAudio('../../escape', Buffer.from([9]));
    store.saveAudio('a/b\\c:d', Buffer.from([8]));
    expect(readdirSync(dir).sort()).toEqual([
      'audio',
      'conversations.db',
      'conversations.db-shm',
      'conversations.db-wal',
    ]);
    expect(readdirSync(join(dir, 'audio'))).toHaveLength(2);
    expect(store.loadAudio('../../escape')).toEqual(Buffer.from([9]));
    expect(store.loadAudio('a/b\\c:d')).toEqual(Buffer.from([8]));
  });
});
