/**
 * Conversations that last: every turn, its messages and the server's responses in one SQLite file, plus the
 * recordings of unsent voice turns beside it. better-sqlite3 is synchronous on purpose: a save takes a fraction of
 * a millisecond (bench:store) and has reached the file when it returns, so there is no pending write to lose when
 * Talkie quits or is killed. Ids are given by the caller. All SQL is parameterised.
 */
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import type {
  ConversationHit,
  ConversationSummary,
  ImageRef,
  TurnOutcome,
  TurnPhase,
  TurnView,
} from '../../../shared/types';
import type { TurnUsage } from '../../../shared/usage';
import { AudioFiles } from './audio-files';
import { ImageFiles } from '../images/files';
import { openDatabase, type SqliteOptions } from './open-database';
import {
  DEFAULT_SEARCH_LIMIT,
  type ConversationStorePort,
  type ResponseRecord,
  type StoredConversation,
} from './port';
import { IN_FLIGHT_PHASES, repairNotice, settleTurn } from './repair';
import { toFtsTerms } from './search-query';
import {
  prepareStatements,
  prepareSearch,
  type SearchRow,
  type ConversationRow,
  type ResponseRow,
  type Statements,
} from './statements';

export { DEFAULT_SEARCH_LIMIT, type ResponseRecord } from './port';

/** A store ready to use, and what the user should be told about opening it (kept-aside file, repaired turns). */
export interface OpenedStore {
  store: ConversationStore;
  notices: string[];
}

const USER_KINDS = ['input_text', 'input_audio'] as const;
const ASSISTANT_KINDS = ['output_text', 'output_audio'] as const;
const TERMINAL: readonly TurnPhase[] = ['done', 'failed', 'cancelled'];

function summaryOf(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    turnCount: row.turn_count,
  };
}

function responseOf(row: ResponseRow): ResponseRecord {
  return {
    id: row.id,
    turnId: row.turn_id,
    status: row.status,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.usage === null ? {} : { usage: JSON.parse(row.usage) as unknown }),
    ...(row.timings === null ? {} : { timings: JSON.parse(row.timings) as Record<string, number> }),
    attempt: row.attempt,
    createdAt: row.created_at,
  };
}

/** The assistant message's status as the Realtime API would put it. */
function replyStatus(phase: TurnPhase, outcome: TurnOutcome | undefined): string {
  if (!TERMINAL.includes(phase)) return 'in_progress';
  return outcome?.kind === 'completed' ? 'completed' : 'incomplete';
}

/** The conversation history of one data folder. Open it with `ConversationStore.open`. */
export class ConversationStore implements ConversationStorePort {
  private readonly audio: AudioFiles;
  private readonly images: ImageFiles;
  private readonly stmt: Statements;
  /** Search statements by word count, prepared on first use. */
  private readonly searches = new Map<number, Database.Statement<unknown[], SearchRow>>();
  private readonly saveTurnTx: Database.Transaction<
    (view: TurnView, responses: ResponseRecord[], bump: boolean) => void
  >;

  private constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly now: () => number,
  ) {
    this.audio = new AudioFiles(join(dirname(file), 'audio'));
    this.images = new ImageFiles(join(dirname(file), 'images'));
    this.stmt = prepareStatements(db);
    this.saveTurnTx = db.transaction((view: TurnView, responses: ResponseRecord[], bump: boolean) =>
      this.writeTurn(view, responses, bump),
    );
  }

  /**
   * Opens (creating) the database file; WAL; runs migrations. A corrupt file or one from a newer version is
   * renamed aside (never deleted) and a fresh one created; the notice says what happened and where the old file
   * is. Turns left in flight by a killed process are settled: no answer started → 'unsent'; otherwise 'done',
   * interrupted, keeping the partial text. `nativeBinding`: the better-sqlite3 binary to load instead of the one
   * in node_modules (the development build for Electron's ABI); a binary that cannot be loaded throws.
   */
  static open(file: string, options: { now?: () => number } & SqliteOptions = {}): OpenedStore {
    const now = options.now ?? Date.now;
    const { db, notices } = openDatabase(file, now, options);
    try {
      const store = new ConversationStore(db, file, now);
      store.audio.removeLeftovers();
      const repaired = store.repairInFlight();
      store.removeUnreferencedImages();
      return { store, notices: repaired === null ? notices : [...notices, repaired] };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Creates an empty conversation (no turns yet) and returns its summary. */
  createConversation(c: {
    id: string;
    title: string;
    createdAt: number;
    endpoint: string | null;
  }): ConversationSummary {
    this.stmt.insertConversation.run(c.id, c.title, c.createdAt, c.createdAt, c.endpoint);
    return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.createdAt, turnCount: 0 };
  }

  /** Newest first (updatedAt desc), without deleted ones. */
  listConversations(): ConversationSummary[] {
    return this.stmt.list.all().map(summaryOf);
  }

  /**
   * Full-text search over the user's messages (typed or transcribed) and the replies, across all non-deleted
   * conversations: one hit per conversation that contains every word (in any of its messages), most recently
   * active first, with a snippet of its newest matching message where the words are marked «like this». The
   * query is taken as plain words, the last also as a prefix (results while typing); FTS5 operators and quotes
   * have no special meaning, so no query can fail.
   */
  search(query: string, limit: number = DEFAULT_SEARCH_LIMIT): ConversationHit[] {
    const terms = toFtsTerms(query);
    if (terms.length === 0 || limit <= 0) return [];
    const any = terms.join(' OR ');
    let statement = this.searches.get(terms.length);
    if (statement === undefined)
      this.searches.set(terms.length, (statement = prepareSearch(this.db, terms.length)));
    const words = terms.length === 1 ? [] : [terms.join(' '), ...terms];
    // LIMIT -1 is SQLite's "no limit" (an unbounded JS limit would bind as a REAL it rejects).
    const rows = statement.all(any, ...words, Number.isFinite(limit) ? Math.trunc(limit) : -1);
    if (rows.length === 0) return [];
    const snippets = this.snippetsFor(
      any,
      rows.map((row) => row.seq),
    );
    return rows.map((row) => ({ ...summaryOf(row), snippet: snippets.get(row.seq) ?? '' }));
  }

  /** A conversation (deleted ones too, so they can be shown before a restore) with its turns in order; null if unknown. */
  getConversation(id: string): StoredConversation | null {
    const row = this.stmt.conversation.get(id);
    if (row === undefined) return null;
    return {
      summary: summaryOf(row),
      endpoint: this.stmt.conversationEndpoint.get(id)?.endpoint ?? null,
      turns: this.stmt.turns.all(id).map((t) => JSON.parse(t.view) as TurnView),
    };
  }

  /**
   * The user's own name for a conversation; from then on setAutoTitle leaves it alone. Does not move the
   * conversation in the list (updatedAt is about what was said). Null if unknown.
   */
  renameConversation(id: string, title: string): ConversationSummary | null {
    this.stmt.rename.run(title, id);
    const row = this.stmt.conversation.get(id);
    return row === undefined ? null : summaryOf(row);
  }

  /** Title from the first message, only while the user has not renamed it. */
  setAutoTitle(id: string, title: string): void {
    this.stmt.autoTitle.run(title, id);
  }

  /** Which server the conversation was held with (shown as a host, never with a key). */
  setEndpoint(id: string, endpoint: string | null): void {
    this.stmt.setEndpoint.run(endpoint, id);
  }

  /** Soft delete: hidden from list and search, kept (with its recordings) until purgeDeleted. */
  deleteConversation(id: string): void {
    this.stmt.softDelete.run(this.now(), id);
  }

  /** Brings a soft-deleted conversation back, where it was in the list. */
  restoreConversation(id: string): void {
    this.stmt.restore.run(id);
  }

  /** Really removes soft-deleted conversations: turns, messages, responses, search entries and recordings. */
  purgeDeleted(): void {
    const turns = this.db
      .transaction(() => {
        const rows = this.stmt.deletedTurnIds.all();
        this.stmt.purge.run();
        return rows;
      })
      .immediate();
    // Files after the commit: a crash in between leaves a stray file, never a turn without its recording.
    for (const turn of turns) {
      this.audio.delete(turn.id);
      for (const image of (JSON.parse(turn.view) as TurnView).images ?? []) this.images.delete(image.id);
    }
  }

  /**
   * Upserts the turn (one row per turn id), its messages (the user's, the assistant's) and the given responses,
   * in one transaction; bumps the conversation's updatedAt and turnCount. Idempotent: saving the same turn again
   * never duplicates anything. Throws if the conversation does not exist.
   */
  saveTurn(view: TurnView, responses: ResponseRecord[] = []): void {
    this.saveTurnTx.immediate(view, responses, true);
  }

  /** Removes a turn with its messages, responses and recording. */
  removeTurn(turnId: string): void {
    this.db
      .transaction(() => {
        const row = this.stmt.turnConversation.get(turnId);
        if (row === undefined) return;
        this.stmt.deleteTurn.run(turnId);
        this.stmt.addTurns.run({ id: row.conversation_id, added: -1 });
      })
      .immediate();
    this.audio.delete(turnId);
  }

  /** The responses recorded for a turn, in the order they were requested. */
  usageBetween(from: number, to: number): TurnUsage[] {
    const out: TurnUsage[] = [];
    for (const row of this.stmt.usageBetween.all(from, to))
      if (row.usage !== null) out.push(JSON.parse(row.usage) as TurnUsage);
    return out;
  }

  responses(turnId: string): ResponseRecord[] {
    return this.stmt.responses.all(turnId).map(responseOf);
  }

  /**
   * Keeps the recorded PCM of a voice turn not yet answered, as a file beside the database
   * (audio/<turnId>.pcm), so an unsent voice turn can be sent after a restart.
   */
  saveAudio(turnId: string, pcm: Buffer): void {
    this.audio.save(turnId, pcm);
  }

  /** The recording saved for a turn, or null. */
  loadAudio(turnId: string): Buffer | null {
    return this.audio.load(turnId);
  }

  /** Drops a turn's recording (after it was sent, or the turn discarded). */
  deleteAudio(turnId: string): void {
    this.audio.delete(turnId);
  }

  /** Keeps an attached image as a file beside the database (images/<id>.png|jpg). */
  saveImage(id: string, bytes: Buffer, mime: 'image/png' | 'image/jpeg'): void {
    this.images.save(id, bytes, mime);
  }

  loadImage(id: string): { bytes: Buffer; mime: 'image/png' | 'image/jpeg' } | null {
    return this.images.load(id);
  }

  deleteImage(id: string): void {
    this.images.delete(id);
  }

  savePendingImages(images: readonly ImageRef[]): void {
    this.images.savePending(images);
  }

  loadPendingImages(): ImageRef[] {
    return this.images.loadPending();
  }

  /** Closes the database (checkpointing the WAL into the file). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private writeTurn(view: TurnView, responses: ResponseRecord[], bump: boolean): void {
    const previous = this.stmt.turnConversation.get(view.id)?.conversation_id;
    const added = previous === view.conversationId ? 0 : 1;
    if (added === 1 && this.stmt.conversation.get(view.conversationId) === undefined)
      throw new Error(
        `Turn ${view.id} belongs to conversation ${view.conversationId}, which does not exist.`,
      );
    this.stmt.upsertTurn.run(
      view.id,
      view.conversationId,
      view.index,
      view.phase,
      view.startedAt,
      JSON.stringify(view),
    );
    const at = this.now();
    const userKind = view.input === 'voice' ? 'input_audio' : 'input_text';
    // A voice turn's message exists before its transcript does: the recording is the message.
    this.writeItem(view, 'user', userKind, USER_KINDS, view.userText ?? null, 'completed', view.startedAt);
    const replied = view.assistantText !== '' || view.hasAudio;
    const replyKind = view.hasAudio ? 'output_audio' : 'output_text';
    this.writeItem(
      view,
      'assistant',
      replied ? replyKind : null,
      ASSISTANT_KINDS,
      view.assistantText,
      replyStatus(view.phase, view.outcome),
      at,
    );
    for (const r of responses) {
      this.stmt.upsertResponse.run(
        r.id,
        r.turnId,
        r.status,
        r.reason ?? null,
        r.usage === undefined ? null : JSON.stringify(r.usage),
        r.timings === undefined ? null : JSON.stringify(r.timings),
        r.attempt,
        r.createdAt,
      );
    }
    if (bump) this.stmt.touch.run({ id: view.conversationId, at, added });
    else if (added === 1) this.stmt.addTurns.run({ id: view.conversationId, added });
    // A turn saved under another conversation moved: the one it left has one turn fewer.
    if (previous !== undefined && added === 1) this.stmt.addTurns.run({ id: previous, added: -1 });
  }

  /** Upserts the message of `kind` (null: none) and removes the role's other kinds, e.g. text that became audio. */
  private writeItem(
    view: TurnView,
    role: 'user' | 'assistant',
    kind: string | null,
    kinds: readonly string[],
    text: string | null,
    status: string,
    createdAt: number,
  ): void {
    for (const other of kinds) if (other !== kind) this.stmt.deleteItem.run(view.id, role, other);
    if (kind === null) return;
    this.stmt.upsertItem.run(
      `${view.id}:${role}:${kind}`,
      view.conversationId,
      view.id,
      role,
      kind,
      text,
      status,
      createdAt,
    );
  }

  /** The snippets of messages `seqs` for the FTS5 query `match`, by message. */
  private snippetsFor(match: string, seqs: number[]): Map<number, string> {
    return this.db.transaction(() => {
      this.stmt.clearSnippets.run();
      this.stmt.fillSnippets.run(JSON.stringify(seqs));
      const rows = this.stmt.snippets.all(match);
      this.stmt.clearSnippets.run();
      return new Map(rows.map((r) => [r.seq, r.snippet]));
    })();
  }

  /**
   * Image files no turn (deleted ones too, until purged) and no pending attachment refers to are removed: an
   * attachment taken off while Talkie was killed, a turn removed before its files were.
   */
  private removeUnreferencedImages(): void {
    const keep = new Set(this.stmt.imageIds.all().map((row) => row.id));
    for (const image of this.images.loadPending()) keep.add(image.id);
    this.images.removeAllBut(keep);
  }

  /** Settles the turns a killed process left in flight, without moving their conversations in the list. */
  private repairInFlight(): string | null {
    let unsent = 0;
    let cutShort = 0;
    this.db
      .transaction(() => {
        for (const row of this.stmt.inFlight.all(...IN_FLIGHT_PHASES)) {
          const settled = settleTurn(JSON.parse(row.view) as TurnView, row.has_responses === 1);
          if (settled === null) continue;
          this.writeTurn(settled, [], false);
          if (settled.phase === 'unsent') unsent++;
          else cutShort++;
        }
      })
      .immediate();
    return repairNotice(unsent, cutShort);
  }
}
