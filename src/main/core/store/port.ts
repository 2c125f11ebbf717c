/**
 * What the conversation model needs from a store: the SQLite one (conversation-store.ts, the history on disk) and
 * the memory-only one (memory-store.ts, for a computer where the SQLite module cannot be loaded) both provide it,
 * and behave the same apart from what lasts after Talkie quits (test/main/core/store runs one suite on both).
 */
import type { ConversationHit, ConversationSummary, ImageRef, TurnView } from '../../../shared/types';
import type { TurnUsage } from '../../../shared/usage';

/** One response.create the server answered for a turn (a turn has several after Retry or a re-request). */
export interface ResponseRecord {
  /** The server's response id. */
  id: string;
  turnId: string;
  /** in_progress | completed | failed | cancelled | incomplete */
  status: string;
  reason?: string;
  /** response.done's usage object, as sent. */
  usage?: unknown;
  timings?: Record<string, number>;
  attempt: number;
  /** ms since epoch. */
  createdAt: number;
}

/** A conversation as stored: its summary, where it was held, and its turns in order. */
export interface StoredConversation {
  summary: ConversationSummary;
  endpoint: string | null;
  turns: TurnView[];
}

/** What `search` returns at most when no limit is given. */
export const DEFAULT_SEARCH_LIMIT = 50;

/** The conversation history of one data folder (or of this run only). Ids are given by the caller. */
export interface ConversationStorePort {
  /** Creates an empty conversation (no turns yet) and returns its summary. Throws if the id is taken. */
  createConversation(c: {
    id: string;
    title: string;
    createdAt: number;
    endpoint: string | null;
  }): ConversationSummary;

  /** Newest first (updatedAt desc), without deleted ones. */
  listConversations(): ConversationSummary[];

  /**
   * Conversations (not deleted) whose messages contain every word of `query` (the last word also as a prefix),
   * most recently active first, each with a snippet of its newest matching message, words marked «like this».
   * The query is plain words: no query can fail. `limit` Infinity means no limit.
   */
  search(query: string, limit?: number): ConversationHit[];

  /** A conversation (deleted ones too, so they can be shown before a restore) with its turns in order; null if unknown. */
  getConversation(id: string): StoredConversation | null;

  /** The user's own name; from then on setAutoTitle leaves it alone. Does not move it in the list. Null if unknown. */
  renameConversation(id: string, title: string): ConversationSummary | null;

  /** Title from the first message, only while the user has not renamed it. */
  setAutoTitle(id: string, title: string): void;

  /** Which server the conversation was held with. */
  setEndpoint(id: string, endpoint: string | null): void;

  /** Soft delete: hidden from list and search, kept (with its recordings) until purgeDeleted. */
  deleteConversation(id: string): void;

  /** Brings a soft-deleted conversation back, where it was in the list. */
  restoreConversation(id: string): void;

  /** Really removes soft-deleted conversations: turns, messages, responses, recordings and images. */
  purgeDeleted(): void;

  /**
   * Upserts the turn, its messages and the given responses, all or nothing; bumps the conversation's updatedAt
   * and turnCount. Idempotent. Throws if the conversation does not exist.
   */
  saveTurn(view: TurnView, responses?: ResponseRecord[]): void;

  /** Removes a turn with its messages, responses and recording. */
  removeTurn(turnId: string): void;

  /**
   * The usage of every turn started in [from, to) (ms since epoch), in every conversation, deleted ones too
   * (their tokens were paid for): what a monthly budget adds up. Turns without usage are left out.
   */
  usageBetween(from: number, to: number): TurnUsage[];

  /** The responses recorded for a turn, in the order they were requested. */
  responses(turnId: string): ResponseRecord[];

  /** Keeps the recorded PCM of a voice turn not yet answered. */
  saveAudio(turnId: string, pcm: Buffer): void;

  /** The recording saved for a turn, or null. */
  loadAudio(turnId: string): Buffer | null;

  /** Drops a turn's recording (after it was sent, or the turn discarded). */
  deleteAudio(turnId: string): void;

  /** Keeps an attached image (already fitted) under its id: a file beside the database, or memory. */
  saveImage(id: string, bytes: Buffer, mime: 'image/png' | 'image/jpeg'): void;

  /** An image kept by saveImage, or null. */
  loadImage(id: string): { bytes: Buffer; mime: 'image/png' | 'image/jpeg' } | null;

  /** Drops an image (taken off before it was sent, or its conversation purged). */
  deleteImage(id: string): void;

  /** Keeps the list of images attached to the next turn, so a restart shows them again. */
  savePendingImages(images: readonly ImageRef[]): void;

  /** The images attached to the next turn when Talkie last ran (those whose file is still kept). */
  loadPendingImages(): ImageRef[];

  /** Releases the store (the SQLite one checkpoints and closes its file). */
  close(): void;
}
