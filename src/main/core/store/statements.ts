/** The store's SQL, prepared once per connection. Every value goes in as a parameter. */
import type Database from 'better-sqlite3';
import type { TurnPhase } from '../../../shared/types';
import { IN_FLIGHT_PHASES } from './repair';

/** A conversations row as the summary queries return it. */
export interface ConversationRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  turn_count: number;
}

/** A responses row. */
export interface ResponseRow {
  id: string;
  turn_id: string;
  status: string;
  reason: string | null;
  usage: string | null;
  timings: string | null;
  attempt: number;
  created_at: number;
}

const COLUMNS = 'id, title, created_at, updated_at, turn_count';

/**
 * Snippets are cut from a small in-memory index of just the messages shown: asking the main index for one message
 * of a common word's long list costs milliseconds each (most of a search's time, measured with bench:store). Same
 * tokenizer as items_fts (migration 2), so the marks fall on exactly the words that matched.
 */
const SNIPPETS_TABLE = `CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippets USING fts5 (
  text, tokenize = 'unicode61 remove_diacritics 2'
)`;

/**
 * A prepared statement as the store uses it. better-sqlite3's own Statement type lives in a namespace its
 * declarations do not export, so an inferred map of them could not be named (TS4058); this is the part we use.
 */
export interface Prepared<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): Database.RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** Prepares every statement the store runs. */
// The return type is inferred on purpose: it carries each statement's parameter and row types.
export function prepareStatements(db: Database.Database) {
  db.exec(SNIPPETS_TABLE);
  const prepare = <P extends unknown[] = unknown[], R = unknown>(source: string): Prepared<P, R> =>
    db.prepare<P, R>(source);
  return {
    insertConversation: prepare(
      `INSERT INTO conversations (id, title, title_by_user, created_at, updated_at, endpoint)
       VALUES (?, ?, 0, ?, ?, ?)`,
    ),
    conversation: prepare<[string], ConversationRow>(`SELECT ${COLUMNS} FROM conversations WHERE id = ?`),
    conversationEndpoint: prepare<[string], { endpoint: string | null }>(
      'SELECT endpoint FROM conversations WHERE id = ?',
    ),
    list: prepare<[], ConversationRow>(
      `SELECT ${COLUMNS} FROM conversations WHERE deleted_at IS NULL
       ORDER BY updated_at DESC, created_at DESC, id`,
    ),
    rename: prepare('UPDATE conversations SET title = ?, title_by_user = 1 WHERE id = ?'),
    autoTitle: prepare('UPDATE conversations SET title = ? WHERE id = ? AND title_by_user = 0'),
    setEndpoint: prepare('UPDATE conversations SET endpoint = ? WHERE id = ?'),
    softDelete: prepare('UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL'),
    restore: prepare('UPDATE conversations SET deleted_at = NULL WHERE id = ?'),
    deletedTurnIds: prepare<[], { id: string; view: string }>(
      `SELECT t.id, t.view FROM turns t JOIN conversations c ON c.id = t.conversation_id
       WHERE c.deleted_at IS NOT NULL`,
    ),
    purge: prepare('DELETE FROM conversations WHERE deleted_at IS NOT NULL'),
    /** Every image id any stored turn refers to. */
    imageIds: prepare<[], { id: string }>(
      `SELECT DISTINCT json_extract(j.value, '$.id') AS id FROM turns t, json_each(t.view, '$.images') j
       WHERE json_type(t.view, '$.images') = 'array'`,
    ),
    // Counted as turns come and go, not recounted: COUNT(*) over a long conversation costs more than the save.
    touch: prepare<[{ id: string; at: number; added: number }]>(
      'UPDATE conversations SET updated_at = @at, turn_count = turn_count + @added WHERE id = @id',
    ),
    addTurns: prepare<[{ id: string; added: number }]>(
      'UPDATE conversations SET turn_count = turn_count + @added WHERE id = @id',
    ),
    turns: prepare<[string], { view: string }>(
      'SELECT view FROM turns WHERE conversation_id = ? ORDER BY idx, started_at, rowid',
    ),
    // Only the usage leaves SQLite, not the whole view (a month can hold thousands of turns).
    usageBetween: prepare<[number, number], { usage: string | null }>(
      "SELECT json_extract(view, '$.usage') AS usage FROM turns WHERE started_at >= ? AND started_at < ?",
    ),
    turnConversation: prepare<[string], { conversation_id: string }>(
      'SELECT conversation_id FROM turns WHERE id = ?',
    ),
    upsertTurn: prepare(
      `INSERT INTO turns (id, conversation_id, idx, phase, started_at, view) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, idx = excluded.idx,
         phase = excluded.phase, started_at = excluded.started_at, view = excluded.view`,
    ),
    deleteTurn: prepare('DELETE FROM turns WHERE id = ?'),
    // A message that did not change (the user's, while the reply streams in) is not rewritten: no search-index work.
    upsertItem: prepare(
      `INSERT INTO items (id, conversation_id, turn_id, role, kind, text, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (turn_id, role, kind) DO UPDATE SET text = excluded.text, status = excluded.status,
         conversation_id = excluded.conversation_id
       WHERE text IS NOT excluded.text OR status IS NOT excluded.status
         OR conversation_id IS NOT excluded.conversation_id`,
    ),
    deleteItem: prepare('DELETE FROM items WHERE turn_id = ? AND role = ? AND kind = ?'),
    upsertResponse: prepare(
      `INSERT INTO responses (id, turn_id, status, reason, usage, timings, attempt, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET turn_id = excluded.turn_id, status = excluded.status,
         reason = excluded.reason, usage = excluded.usage, timings = excluded.timings,
         attempt = excluded.attempt, created_at = excluded.created_at`,
    ),
    responses: prepare<[string], ResponseRow>(
      'SELECT * FROM responses WHERE turn_id = ? ORDER BY attempt, created_at, rowid',
    ),
    clearSnippets: prepare('DELETE FROM temp.snippets'),
    fillSnippets: prepare<[string]>(
      'INSERT INTO temp.snippets (rowid, text) SELECT seq, text FROM items WHERE seq IN (SELECT value FROM json_each(?))',
    ),
    snippets: prepare<[string], { seq: number; snippet: string }>(
      `SELECT rowid AS seq, snippet(snippets, 0, '«', '»', '…', 12) AS snippet FROM temp.snippets
       WHERE snippets MATCH ?`,
    ),
    inFlight: prepare<TurnPhase[], { view: string; has_responses: number }>(
      `SELECT view, EXISTS (SELECT 1 FROM responses r WHERE r.turn_id = t.id) AS has_responses FROM turns t
       WHERE phase IN (${IN_FLIGHT_PHASES.map(() => '?').join(', ')})`,
    ),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/** A search hit before its snippet: the conversation and the message to take the snippet from. */
export type SearchRow = ConversationRow & { seq: number };

/**
 * The search for `terms` words: conversations that contain every word, in any of their messages (a question and
 * the reply that answered it count together), not deleted, most recently active first. The snippet comes from the
 * newest message with all the words, or else the newest with any. Parameters: the words joined by OR; when there
 * is more than one word, the words joined by spaces (all of them), then each word; then the limit.
 */
export function prepareSearch(
  db: Database.Database,
  terms: number,
): Database.Statement<unknown[], SearchRow> {
  const newestMatch = (name: string): string =>
    `${name} AS (SELECT i.conversation_id AS cid, MAX(i.seq) AS seq
       FROM items_fts JOIN items i ON i.seq = items_fts.rowid WHERE items_fts MATCH ? GROUP BY i.conversation_id)`;
  const containing = Array.from(
    { length: terms },
    () =>
      'SELECT i.conversation_id FROM items_fts JOIN items i ON i.seq = items_fts.rowid WHERE items_fts MATCH ?',
  ).join(' INTERSECT ');
  const columns = 'c.id, c.title, c.created_at, c.updated_at, c.turn_count';
  const order = 'ORDER BY c.updated_at DESC, c.created_at DESC, c.id LIMIT ?';
  if (terms === 1)
    return db.prepare<unknown[], SearchRow>(
      `WITH ${newestMatch('hits')}
       SELECT ${columns}, hits.seq FROM hits JOIN conversations c ON c.id = hits.cid
       WHERE c.deleted_at IS NULL ${order}`,
    );
  return db.prepare<unknown[], SearchRow>(
    `WITH ${newestMatch('hits')}, ${newestMatch('whole')}
     SELECT ${columns}, COALESCE(whole.seq, hits.seq) AS seq
     FROM hits JOIN conversations c ON c.id = hits.cid LEFT JOIN whole ON whole.cid = hits.cid
     WHERE c.deleted_at IS NULL AND c.id IN (${containing}) ${order}`,
  );
}
