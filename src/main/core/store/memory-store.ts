/**
 * Conversations kept in memory only, for a computer where the SQLite module cannot be loaded (better-sqlite3 is
 * not N-API: a binary built for another Node.js or Electron does not load). Talkie still works, without history on
 * disk: everything here is gone when Talkie quits, and the user is told so (memoryOnlyNotice).
 *
 * It behaves like the SQLite store wherever that is not about lasting (test/main/core/store runs the same suite on
 * both): the same list order, soft delete and purge, idempotent saves that either happen whole or not at all, and
 * the same search — every word in some message of the conversation, the last one also as a prefix, accents and
 * case ignored, words of a chunk next to each other — with a simpler snippet for long messages.
 */
import type { ConversationHit, ConversationSummary, ImageRef, TurnView } from '../../../shared/types';
import type { TurnUsage } from '../../../shared/usage';
import {
  DEFAULT_SEARCH_LIMIT,
  type ConversationStorePort,
  type ResponseRecord,
  type StoredConversation,
} from './port';
import { queryChunks } from './search-query';

/** What the user is told when conversations live in memory only; `reason` says why, in plain words. */
export const memoryOnlyNotice = (reason: string): string =>
  `Conversations are not saved on this computer: ${reason}. They are kept until Talkie quits.`;

interface ConversationRecord {
  id: string;
  title: string;
  titleByUser: boolean;
  createdAt: number;
  updatedAt: number;
  endpoint: string | null;
  turnCount: number;
  deletedAt: number | null;
}

interface TurnRecord {
  /** Insertion order, kept across updates (SQLite's rowid): the last tie-break of the turn order. */
  rowid: number;
  conversationId: string;
  index: number;
  startedAt: number;
  /** The view as JSON, as the SQLite store keeps it: what is read back is a copy, never the caller's object. */
  view: string;
}

/** A word of a message: its search key (lower case, accents removed) and where it is in the text. */
interface Token {
  key: string;
  start: number;
  end: number;
}

/** A message: the user's (typed or transcribed) or the assistant's reply, one per turn, role and kind. */
interface MessageRecord {
  /** Order of first writing; a message whose kind changed is a new one (newest matching message → snippet). */
  seq: number;
  turnId: string;
  conversationId: string;
  text: string;
  tokens: Token[];
}

interface StoredResponse {
  rowid: number;
  record: ResponseRecord;
}

/** A word in the query: a chunk the user typed, as consecutive word keys; the query's last word is a prefix. */
interface Phrase {
  keys: string[];
  prefix: boolean;
}

/** Letters and digits (with their combining marks) make words; everything else separates them, like FTS5 unicode61. */
const WORD = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;
/** Words in a snippet, as FTS5's snippet(…, 12) shows at most. */
const SNIPPET_WORDS = 12;
const USER_KINDS = ['input_text', 'input_audio'] as const;
const ASSISTANT_KINDS = ['output_text', 'output_audio'] as const;

function keyOf(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({
    key: keyOf(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Where `phrase` starts in `tokens`. */
function occurrences(tokens: readonly Token[], phrase: Phrase): number[] {
  const found: number[] = [];
  const last = phrase.keys.length - 1;
  for (let i = 0; i + last < tokens.length; i++) {
    let match = true;
    for (let j = 0; j <= last && match; j++) {
      const key = tokens[i + j]?.key ?? '';
      const wanted = phrase.keys[j] ?? '';
      match = j === last && phrase.prefix ? key.startsWith(wanted) : key === wanted;
    }
    if (match) found.push(i);
  }
  return found;
}

/** The words of `message` that matched, marked «like this», in a window of at most SNIPPET_WORDS words. */
function snippetOf(message: MessageRecord, phrases: readonly Phrase[]): string {
  const { text, tokens } = message;
  const marked = new Array<boolean>(tokens.length).fill(false);
  /** Phrase instances as [first, last] word; marked as one span. */
  const spans: Array<[number, number]> = [];
  for (const phrase of phrases)
    for (const at of occurrences(tokens, phrase)) {
      spans.push([at, at + phrase.keys.length - 1]);
      for (let i = at; i < at + phrase.keys.length; i++) marked[i] = true;
    }
  let start = 0;
  if (tokens.length > SNIPPET_WORDS) {
    // The window with the most marked words (the earliest of equals), then centred on them.
    let best = -1;
    for (let s = 0; s + SNIPPET_WORDS <= tokens.length; s++) {
      const count = marked.slice(s, s + SNIPPET_WORDS).filter(Boolean).length;
      if (count > best) [best, start] = [count, s];
    }
    const inWindow = marked.map((m, i) => (m && i >= start && i < start + SNIPPET_WORDS ? i : -1));
    const first = inWindow.find((i) => i >= 0) ?? start;
    const last = inWindow.reduce((max, i) => Math.max(max, i), first);
    const free = SNIPPET_WORDS - (last - first + 1);
    start = Math.max(0, Math.min(first - Math.floor(free / 2), tokens.length - SNIPPET_WORDS));
  }
  const end = Math.min(tokens.length, start + SNIPPET_WORDS);
  const opens = new Set<number>();
  const closes = new Set<number>();
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let open: [number, number] | null = null;
  const flush = (): void => {
    if (open && open[1] >= start && open[0] < end) {
      opens.add(Math.max(open[0], start));
      closes.add(Math.min(open[1], end - 1));
    }
  };
  for (const span of spans) {
    if (open && span[0] <= open[1]) open[1] = Math.max(open[1], span[1]);
    else {
      flush();
      open = [...span];
    }
  }
  flush();
  let out = start > 0 ? '…' : text.slice(0, tokens[0]?.start ?? text.length);
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (!token) break;
    if (i > start) out += text.slice(tokens[i - 1]?.end ?? token.start, token.start);
    const word = text.slice(token.start, token.end);
    out += `${opens.has(i) ? '«' : ''}${word}${closes.has(i) ? '»' : ''}`;
  }
  const lastToken = tokens[end - 1];
  if (lastToken) out += end < tokens.length ? '…' : text.slice(lastToken.end);
  return out;
}

function summaryOf(c: ConversationRecord): ConversationSummary {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, turnCount: c.turnCount };
}

/** Newest first: what was talked in last, then what was created last, then by id (as the SQLite store orders). */
function newestFirst(a: ConversationRecord, b: ConversationRecord): number {
  return b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A copy, as it would come back from the database: JSON for usage and timings, no undefined fields. */
function copyResponse(r: ResponseRecord): ResponseRecord {
  return {
    id: r.id,
    turnId: r.turnId,
    status: r.status,
    ...(r.reason === undefined || r.reason === null ? {} : { reason: r.reason }),
    ...(r.usage === undefined || r.usage === null
      ? {}
      : { usage: JSON.parse(JSON.stringify(r.usage)) as unknown }),
    ...(r.timings === undefined || r.timings === null
      ? {}
      : { timings: JSON.parse(JSON.stringify(r.timings)) as Record<string, number> }),
    attempt: r.attempt,
    createdAt: r.createdAt,
  };
}

/** The conversation history of this run only. */
export class MemoryConversationStore implements ConversationStorePort {
  private readonly conversations = new Map<string, ConversationRecord>();
  private readonly turns = new Map<string, TurnRecord>();
  /** By `${turnId}:${role}:${kind}`. */
  private readonly messages = new Map<string, MessageRecord>();
  private readonly responseRecords = new Map<string, StoredResponse>();
  private readonly audio = new Map<string, Buffer>();
  private readonly images = new Map<string, { bytes: Buffer; mime: 'image/png' | 'image/jpeg' }>();
  private pending: ImageRef[] = [];
  private nextRow = 1;

  constructor(private readonly now: () => number = Date.now) {}

  createConversation(c: {
    id: string;
    title: string;
    createdAt: number;
    endpoint: string | null;
  }): ConversationSummary {
    if (this.conversations.has(c.id)) throw new Error(`Conversation ${c.id} already exists.`);
    const record: ConversationRecord = {
      id: c.id,
      title: c.title,
      titleByUser: false,
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
      endpoint: c.endpoint,
      turnCount: 0,
      deletedAt: null,
    };
    this.conversations.set(c.id, record);
    return summaryOf(record);
  }

  listConversations(): ConversationSummary[] {
    return this.live().map(summaryOf);
  }

  search(query: string, limit: number = DEFAULT_SEARCH_LIMIT): ConversationHit[] {
    const chunks = queryChunks(query);
    const max = Number.isFinite(limit) ? Math.trunc(limit) : Infinity;
    if (chunks.length === 0 || max <= 0) return [];
    const phrases: Phrase[] = chunks.map((chunk, i) => ({
      keys: tokenize(chunk).map((t) => t.key),
      prefix: i === chunks.length - 1,
    }));
    const byConversation = new Map<string, MessageRecord[]>();
    for (const m of this.messages.values()) {
      const list = byConversation.get(m.conversationId) ?? [];
      list.push(m);
      byConversation.set(m.conversationId, list);
    }
    const hits: ConversationHit[] = [];
    for (const conversation of this.live()) {
      const messages = (byConversation.get(conversation.id) ?? []).sort((a, b) => b.seq - a.seq);
      const found = messages.map((m) => phrases.map((p) => occurrences(m.tokens, p).length > 0));
      if (!phrases.every((_, p) => found.some((f) => f[p]))) continue;
      // The newest message with every word, or else the newest with any.
      const whole = found.findIndex((f) => f.every(Boolean));
      const source = messages[whole >= 0 ? whole : found.findIndex((f) => f.some(Boolean))];
      hits.push({ ...summaryOf(conversation), snippet: source ? snippetOf(source, phrases) : '' });
      if (hits.length >= max) break;
    }
    return hits;
  }

  getConversation(id: string): StoredConversation | null {
    const c = this.conversations.get(id);
    if (!c) return null;
    const turns = [...this.turns.values()]
      .filter((t) => t.conversationId === id)
      .sort((a, b) => a.index - b.index || a.startedAt - b.startedAt || a.rowid - b.rowid)
      .map((t) => JSON.parse(t.view) as TurnView);
    return { summary: summaryOf(c), endpoint: c.endpoint, turns };
  }

  renameConversation(id: string, title: string): ConversationSummary | null {
    const c = this.conversations.get(id);
    if (!c) return null;
    c.title = title;
    c.titleByUser = true;
    return summaryOf(c);
  }

  setAutoTitle(id: string, title: string): void {
    const c = this.conversations.get(id);
    if (c && !c.titleByUser) c.title = title;
  }

  setEndpoint(id: string, endpoint: string | null): void {
    const c = this.conversations.get(id);
    if (c) c.endpoint = endpoint;
  }

  deleteConversation(id: string): void {
    const c = this.conversations.get(id);
    if (c && c.deletedAt === null) c.deletedAt = this.now();
  }

  restoreConversation(id: string): void {
    const c = this.conversations.get(id);
    if (c) c.deletedAt = null;
  }

  purgeDeleted(): void {
    for (const c of [...this.conversations.values()]) {
      if (c.deletedAt === null) continue;
      for (const [turnId, t] of [...this.turns]) {
        if (t.conversationId !== c.id) continue;
        for (const image of (JSON.parse(t.view) as TurnView).images ?? []) this.images.delete(image.id);
        this.dropTurn(turnId);
      }
      this.conversations.delete(c.id);
    }
  }

  saveTurn(view: TurnView, responses: ResponseRecord[] = []): void {
    // Everything that can fail comes first: a save happens whole or not at all, as in a transaction.
    const previous = this.turns.get(view.id);
    const added = previous?.conversationId === view.conversationId ? 0 : 1;
    const conversation = this.conversations.get(view.conversationId);
    if (!conversation)
      throw new Error(
        `Turn ${view.id} belongs to conversation ${view.conversationId}, which does not exist.`,
      );
    for (const r of responses)
      if (r.turnId !== view.id && !this.turns.has(r.turnId)) throw new Error('FOREIGN KEY constraint failed');
    const json = JSON.stringify(view);
    const copies = responses.map(copyResponse);

    this.turns.set(view.id, {
      rowid: previous?.rowid ?? this.nextRow++,
      conversationId: view.conversationId,
      index: view.index,
      startedAt: view.startedAt,
      view: json,
    });
    // A voice turn's message exists before its transcript does: the recording is the message.
    this.writeMessage(
      view,
      'user',
      view.input === 'voice' ? 'input_audio' : 'input_text',
      USER_KINDS,
      view.userText ?? '',
    );
    const replied = view.assistantText !== '' || view.hasAudio;
    const replyKind = view.hasAudio ? 'output_audio' : 'output_text';
    this.writeMessage(view, 'assistant', replied ? replyKind : null, ASSISTANT_KINDS, view.assistantText);
    for (const r of copies) {
      const rowid = this.responseRecords.get(r.id)?.rowid ?? this.nextRow++;
      this.responseRecords.set(r.id, { rowid, record: r });
    }
    conversation.updatedAt = this.now();
    conversation.turnCount += added;
    // A turn saved under another conversation moved: the one it left has one turn fewer.
    const left = previous && added === 1 ? this.conversations.get(previous.conversationId) : undefined;
    if (left) left.turnCount -= 1;
  }

  removeTurn(turnId: string): void {
    const t = this.turns.get(turnId);
    if (t) {
      this.dropTurn(turnId);
      const c = this.conversations.get(t.conversationId);
      if (c) c.turnCount -= 1;
    }
    this.audio.delete(turnId);
  }

  usageBetween(from: number, to: number): TurnUsage[] {
    const out: TurnUsage[] = [];
    for (const t of this.turns.values()) {
      if (t.startedAt < from || t.startedAt >= to) continue;
      const usage = (JSON.parse(t.view) as TurnView).usage;
      if (usage) out.push(usage);
    }
    return out;
  }

  responses(turnId: string): ResponseRecord[] {
    return [...this.responseRecords.values()]
      .filter((r) => r.record.turnId === turnId)
      .sort(
        (a, b) =>
          a.record.attempt - b.record.attempt || a.record.createdAt - b.record.createdAt || a.rowid - b.rowid,
      )
      .map((r) => copyResponse(r.record));
  }

  saveAudio(turnId: string, pcm: Buffer): void {
    this.audio.set(turnId, Buffer.from(pcm));
  }

  loadAudio(turnId: string): Buffer | null {
    const pcm = this.audio.get(turnId);
    return pcm ? Buffer.from(pcm) : null;
  }

  deleteAudio(turnId: string): void {
    this.audio.delete(turnId);
  }

  saveImage(id: string, bytes: Buffer, mime: 'image/png' | 'image/jpeg'): void {
    this.images.set(id, { bytes: Buffer.from(bytes), mime });
  }

  loadImage(id: string): { bytes: Buffer; mime: 'image/png' | 'image/jpeg' } | null {
    const image = this.images.get(id);
    return image ? { bytes: Buffer.from(image.bytes), mime: image.mime } : null;
  }

  deleteImage(id: string): void {
    this.images.delete(id);
  }

  savePendingImages(images: readonly ImageRef[]): void {
    this.pending = images.map((i) => ({ ...i }));
  }

  loadPendingImages(): ImageRef[] {
    return this.pending.filter((i) => this.images.has(i.id)).map((i) => ({ ...i }));
  }

  /** Lets go of everything: there is nothing to write anywhere. */
  close(): void {
    this.conversations.clear();
    this.turns.clear();
    this.messages.clear();
    this.responseRecords.clear();
    this.audio.clear();
    this.images.clear();
  }

  private live(): ConversationRecord[] {
    return [...this.conversations.values()].filter((c) => c.deletedAt === null).sort(newestFirst);
  }

  /** Forgets a turn with its messages, responses and recording (its conversation's count is the caller's). */
  private dropTurn(turnId: string): void {
    this.turns.delete(turnId);
    for (const [key, m] of [...this.messages]) if (m.turnId === turnId) this.messages.delete(key);
    for (const [id, r] of [...this.responseRecords])
      if (r.record.turnId === turnId) this.responseRecords.delete(id);
    this.audio.delete(turnId);
  }

  /** Writes the role's message of `kind` (null: none) and removes its other kinds, e.g. text that became audio. */
  private writeMessage(
    view: TurnView,
    role: 'user' | 'assistant',
    kind: string | null,
    kinds: readonly string[],
    text: string,
  ): void {
    for (const other of kinds) if (other !== kind) this.messages.delete(`${view.id}:${role}:${other}`);
    if (kind === null) return;
    const key = `${view.id}:${role}:${kind}`;
    const seq = this.messages.get(key)?.seq ?? this.nextRow++;
    this.messages.set(key, {
      seq,
      turnId: view.id,
      conversationId: view.conversationId,
      text,
      tokens: tokenize(text),
    });
  }
}
