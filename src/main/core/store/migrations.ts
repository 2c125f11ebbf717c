/**
 * The conversation database's schema, as ordered migrations. `PRAGMA user_version` records how many have run;
 * each runs in its own transaction together with the version bump, so a crash mid-upgrade leaves the file at the
 * previous version, intact. Never edit a shipped migration: add the next one.
 */
import type Database from 'better-sqlite3';

/** One step of the schema: `version` is the user_version the database has after `up`. */
export interface StoreMigration {
  version: number;
  up(db: Database.Database): void;
}

export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          title_by_user INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          endpoint TEXT,
          turn_count INTEGER NOT NULL DEFAULT 0,
          deleted_at INTEGER
        );
        CREATE INDEX conversations_by_update ON conversations (deleted_at, updated_at DESC);

        -- The TurnView as the UI saw it is the record (view); the other columns are copies to query by.
        CREATE TABLE turns (
          id TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
          idx INTEGER NOT NULL,
          phase TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          view TEXT NOT NULL
        );
        CREATE INDEX turns_by_conversation ON turns (conversation_id, idx);
        CREATE INDEX turns_by_phase ON turns (phase);

        -- seq is an explicit INTEGER PRIMARY KEY so rowids survive VACUUM (a full-text index keys on them).
        CREATE TABLE items (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
          turn_id TEXT NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
          kind TEXT NOT NULL,
          text TEXT,
          status TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          data TEXT,
          UNIQUE (turn_id, role, kind)
        );
        CREATE INDEX items_by_conversation ON items (conversation_id);
      `);
    },
  },
  {
    version: 2,
    up(db) {
      db.exec(`
        CREATE TABLE responses (
          id TEXT PRIMARY KEY,
          turn_id TEXT NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
          status TEXT NOT NULL,
          reason TEXT,
          usage TEXT,
          timings TEXT,
          attempt INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX responses_by_turn ON responses (turn_id, attempt);

        -- External content: snippet() needs the text, and this keeps it stored once (in items), not twice.
        CREATE VIRTUAL TABLE items_fts USING fts5 (
          text,
          content = 'items',
          content_rowid = 'seq',
          tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
          INSERT INTO items_fts (rowid, text) VALUES (new.seq, new.text);
        END;
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
          INSERT INTO items_fts (items_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        END;
        CREATE TRIGGER items_fts_update AFTER UPDATE OF text ON items BEGIN
          INSERT INTO items_fts (items_fts, rowid, text) VALUES ('delete', old.seq, old.text);
          INSERT INTO items_fts (rowid, text) VALUES (new.seq, new.text);
        END;
        -- Messages saved by a version-1 Talkie become searchable.
        INSERT INTO items_fts (items_fts) VALUES ('rebuild');
      `);
    },
  },
];

/** The schema version this build writes; a file with a higher user_version came from a newer Talkie. */
export const STORE_VERSION = STORE_MIGRATIONS.length;

/** Runs the migrations `db` has not had yet, each in a transaction with its version bump. */
export function migrate(
  db: Database.Database,
  migrations: readonly StoreMigration[] = STORE_MIGRATIONS,
): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      // user_version lives in the file header, which is written inside this transaction.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
}
