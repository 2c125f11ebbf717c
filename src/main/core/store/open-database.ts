/**
 * Opening the conversation database so that a bad file never stops Talkie and is never lost: a corrupt file, one
 * written by a newer Talkie, or one that cannot be upgraded is moved aside (with its -wal/-shm companions, so the
 * kept copy stays whole) and a fresh database is created in its place, with a notice saying where the old one is.
 * Trouble with the place itself (locked, read-only, disk full) is thrown: moving a healthy file aside would hide
 * the user's history for nothing.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage } from '../../../shared/error-message';
import { migrate, STORE_VERSION } from './migrations';

/** Why a file was not used. */
type Problem =
  | { kind: 'unreadable'; why: string }
  | { kind: 'newer'; version: number }
  | { kind: 'not-upgraded'; why: string };

/** How to load SQLite. */
export interface SqliteOptions {
  /**
   * The better-sqlite3 binary (better_sqlite3.node) to load instead of the one in node_modules: the development
   * build for Electron's ABI (scripts/electron-abi-sqlite.mjs). Absent: better-sqlite3's own build.
   */
  nativeBinding?: string;
}

/** An open, migrated database and what the user should be told about opening it. */
export interface OpenedDatabase {
  db: Database.Database;
  notices: string[];
}

/** SQLite's "this is not (or no longer) a database" codes, as better-sqlite3 reports them (extended codes too). */
const CORRUPTION = /^SQLITE_(CORRUPT|NOTADB)/;
/** Errors about the place, not the file's content: retrying later or elsewhere may work, so keep the file put. */
const ENVIRONMENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PERM|NOMEM|AUTH)/;

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Opens `file` (creating it and its folder), sets the connection up and brings the schema to this version. */
export function openDatabase(file: string, now: () => number, sqlite: SqliteOptions = {}): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  const first = tryOpen(file, sqlite);
  if ('db' in first) return { db: first.db, notices: [] };
  const aside = setAside(file, first, now());
  const second = tryOpen(file, sqlite);
  if ('db' in second) return { db: second.db, notices: [noticeFor(first, aside, basename(file))] };
  throw new Error(`A new conversation database could not be created at ${file}.`);
}

function tryOpen(file: string, sqlite: SqliteOptions): { db: Database.Database } | Problem {
  const problem = inspect(file, sqlite);
  if (problem !== null) return problem;
  const db = new Database(file, bindingOption(sqlite));
  try {
    // Wait for a moment instead of failing when browser mode and the app share a data folder.
    db.pragma('busy_timeout = 5000');
    // WAL: a killed process never leaves a half-written transaction, and readers do not block the writer.
    db.pragma('journal_mode = WAL');
    // NORMAL under WAL fsyncs at checkpoints, not at every commit: a power cut (not a crash of Talkie, which is
    // safe) may lose the last moments of a conversation, in exchange for saves that do not wait for the disk.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Temporary tables (the search's snippet index) never need a file.
    db.pragma('temp_store = MEMORY');
  } catch (error) {
    db.close();
    if (CORRUPTION.test(sqliteCode(error))) return { kind: 'unreadable', why: errorMessage(error) };
    throw error;
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    const code = sqliteCode(error);
    if (CORRUPTION.test(code)) return { kind: 'unreadable', why: errorMessage(error) };
    if (ENVIRONMENT.test(code)) throw error;
    // The failed step was rolled back, so the kept file is still a whole database at its old version.
    return { kind: 'not-upgraded', why: errorMessage(error) };
  }
  return { db };
}

/**
 * Looks at an existing file without changing it: its header by hand, then through a read-only connection (a
 * read-write one may checkpoint the WAL into the file, or drop the WAL, when it closes). Null when it is usable.
 */
function inspect(file: string, sqlite: SqliteOptions): Problem | null {
  const header = readHeader(file);
  if (header === null || header.length === 0) return null; // Nothing there yet: SQLite starts a new database.
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC))
    return { kind: 'unreadable', why: 'it is not a database file, or its start is damaged' };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, ...bindingOption(sqlite) });
  } catch (error) {
    if (CORRUPTION.test(sqliteCode(error))) return { kind: 'unreadable', why: errorMessage(error) };
    throw error;
  }
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > STORE_VERSION) return { kind: 'newer', version };
    // Reads every page once (no index cross-checks): damage found now moves the file aside instead of failing
    // some later save in the middle of a conversation. bench:store prints what it costs.
    const check = db.pragma('quick_check', { simple: true }) as string;
    return check === 'ok' ? null : { kind: 'unreadable', why: check };
  } catch (error) {
    if (CORRUPTION.test(sqliteCode(error))) return { kind: 'unreadable', why: errorMessage(error) };
    throw error;
  } finally {
    db.close();
  }
}

/** better-sqlite3's options for `sqlite`: nothing at all when no binary is named, so its default applies. */
function bindingOption(sqlite: SqliteOptions): Database.Options {
  return sqlite.nativeBinding === undefined ? {} : { nativeBinding: sqlite.nativeBinding };
}

/**
 * Why SQLite cannot be used at all in this process, in plain words, or null when it can: better-sqlite3 is not
 * N-API, so a binary built for another Node.js or Electron (or no binary) fails here, whatever the file. Loads the
 * module by opening an in-memory database, which touches no file.
 */
export function sqliteLoadProblem(sqlite: SqliteOptions = {}): string | null {
  try {
    new Database(':memory:', bindingOption(sqlite)).close();
    return null;
  } catch (error) {
    const message = errorMessage(error);
    const abi =
      /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
        message,
      );
    if (abi)
      return (
        `Talkie's database module (better-sqlite3) was built for another version of Node.js or Electron ` +
        `(module version ${abi[1]}; this one needs ${abi[2]})`
      );
    const firstLine = (message.split('\n')[0] ?? '').trim().replace(/\.+$/, '');
    return `Talkie's database module (better-sqlite3) could not be loaded (${firstLine})`;
  }
}

/** Every SQLite database file starts with these 16 bytes, in a 100-byte header. */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

/** The first 100 bytes (fewer if the file is shorter), or null when there is no file. */
function readHeader(file: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** Renames `file` and its companions to a name that says why; never overwrites an earlier kept file. */
function setAside(file: string, problem: Problem, at: number): string {
  const label = problem.kind === 'newer' ? `newer-v${problem.version}` : problem.kind;
  let aside = `${file}.${label}-${at}`;
  for (let n = 1; existsSync(aside); n++) aside = `${file}.${label}-${at}-${n}`;
  renameSync(file, aside);
  // SQLite finds a database's WAL by name: moving them together keeps the kept copy's last commits with it.
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

function noticeFor(problem: Problem, aside: string, name: string): string {
  const fresh = 'and a new, empty conversation history was started';
  switch (problem.kind) {
    case 'unreadable':
      return `Your conversation history could not be read (${problem.why}). The file was kept as ${aside} ${fresh}.`;
    case 'newer':
      return (
        `Your conversation history was saved by a newer version of Talkie (format ${problem.version}; this version ` +
        `reads up to ${STORE_VERSION}). It was kept, unchanged, as ${aside} ${fresh}. Rename it back to ${name} ` +
        'to use it with the newer Talkie.'
      );
    case 'not-upgraded':
      return `Your conversation history could not be upgraded for this version of Talkie (${problem.why}). It was kept, unchanged, as ${aside} ${fresh}.`;
  }
}
