/**
 * The one model of the conversation: every conversation, its turns and their responses, kept in the store
 * as they complete, and the one that is open in the window. The turn machine knows only what is in flight;
 * this is where a turn lives before and after. It decides what a new session may be told (the history of
 * the open conversation, and only on the server it was held with) and what a Retry needs.
 */
import type {
  ConversationHit,
  ConversationSummary,
  ImageRef,
  OpenConversation,
  TurnView,
} from '../../../shared/types';
import type { CarryImages } from '../../../shared/settings';
import type { ConversationStorePort, ResponseRecord } from '../store/port';
import { canRetry } from '../turn/machine';
import type { CarriedTurn, RetryTurn, TurnIdentity } from '../turn/types';
import { toMarkdown } from './markdown';
import { errorMessage } from '../../../shared/error-message';
import { ZERO_TOKENS, addTokens, tokensFromUsage, type TurnUsage } from '../../../shared/usage';

/** A title from the first message: its first line, cut at a word near this length. */
export const TITLE_LENGTH = 60;
/** What an empty conversation is called until its first message names it. */
export const UNTITLED = 'New conversation';
/** Retry details kept for this many finished turns (older ones are retried as if in a new session). */
const KEPT_RETRY_DETAILS = 200;

const TERMINAL = new Set<TurnView['phase']>(['done', 'failed', 'cancelled']);
/** Phases worth a write: the message is complete, a reply started, or the turn ended. */
const DURABLE = new Set<TurnView['phase']>(['queued', 'waiting', 'replying', 'unsent', ...TERMINAL]);
const ANSWERED = new Set(['completed', 'interrupted', 'no-audio']);

/** What Conversations needs from the app. */
export interface ConversationsDeps {
  store: ConversationStorePort;
  now: () => number;
  /** A new unique id with this prefix (unique across restarts). */
  newId: (prefix: string) => string;
  /** The open conversation changed (new, switched): all its turns. */
  onOpened: (open: OpenConversation) => void;
  /** The list changed. */
  onList: (list: ConversationSummary[]) => void;
  /** A write failed (disk full, file gone): said once per distinct problem; nothing on screen is lost. */
  onStoreError?: (message: string) => void;
}

interface Open {
  id: string;
  title: string;
  createdAt: number;
  /** Where this conversation was held (provider and URL); null until its first session. */
  endpoint: string | null;
  /** In the store yet (a new conversation is written with its first turn). */
  saved: boolean;
  turns: Map<string, TurnView>;
  /** Last phase written per turn: writes happen when a turn reaches a new durable phase. */
  written: Map<string, TurnView['phase']>;
  nextIndex: number;
}

/** Conversations, as the app keeps them. */
export class Conversations {
  private open: Open;
  private readonly retryDetails = new Map<string, RetryTurn>();
  private readonly responses = new Map<string, ResponseRecord>();
  private lastStoreError: string | null = null;

  constructor(private readonly deps: ConversationsDeps) {
    // Deleting can be undone until Talkie quits; at the next start it is for good.
    this.guard(() => deps.store.purgeDeleted());
    // Start where the user left off: the most recent conversation, or a new one.
    const latest = deps.store.listConversations()[0];
    this.open = (latest && this.load(latest.id)) || this.fresh(null);
  }

  /** The open conversation with its turns, ordered. */
  current(): OpenConversation {
    return { id: this.open.id, title: this.open.title, turns: this.turnsOf(this.open) };
  }

  /** Where the open conversation was held (null: not yet). */
  get endpoint(): string | null {
    return this.open.endpoint;
  }

  /** Whether the open conversation has any turn. */
  get isEmpty(): boolean {
    return this.open.turns.size === 0;
  }

  /** The list, newest first; the open conversation is in it even before its first message. */
  list(): ConversationSummary[] {
    const stored = this.deps.store.listConversations();
    if (this.open.saved) return stored;
    return [this.summaryOfOpen(), ...stored];
  }

  search(query: string): ConversationHit[] {
    return this.deps.store.search(query);
  }

  /** The identity of a new turn in the open conversation. */
  mint(): TurnIdentity {
    const index = this.open.nextIndex;
    this.open.nextIndex += 1;
    return { id: this.deps.newId('t'), conversationId: this.open.id, index };
  }

  /**
   * A turn changed (from the machine): kept, and written when it reaches a durable point. Returns the turn as
   * the window should show it (the machine's view plus the usage counted here).
   */
  turnChanged(incoming: TurnView, recordedAudio: () => Buffer | null): TurnView {
    const open = this.open;
    if (incoming.conversationId !== open.id) {
      // A turn of a conversation the user has left (its end arrived late): written there, not shown here.
      if (TERMINAL.has(incoming.phase))
        this.guard(() => this.deps.store.saveTurn(incoming, this.responsesOf(incoming.id)));
      return incoming;
    }
    // Usage is counted here from response records; the machine's views do not carry it.
    const usage = open.turns.get(incoming.id)?.usage;
    const view = usage && !incoming.usage ? { ...incoming, usage } : incoming;
    open.turns.set(view.id, view);
    if (!DURABLE.has(view.phase) || open.written.get(view.id) === view.phase) return view;
    this.guard(() => {
      this.write(view);
      if (view.input === 'voice' && view.phase === 'queued' && !open.written.has(`${view.id}:audio`)) {
        // Kept until answered, so a voice turn not sent before a quit can still be sent after it.
        const pcm = recordedAudio();
        if (pcm) this.deps.store.saveAudio(view.id, pcm);
        open.written.set(`${view.id}:audio`, 'queued');
      }
      if (view.outcome && ANSWERED.has(view.outcome.kind)) this.deps.store.deleteAudio(view.id);
    });
    return view;
  }

  /**
   * The user's words for a turn that already left the machine (transcription can finish after the reply):
   * returns the updated turn to show, or null when the item is not one of the open conversation's.
   */
  lateTranscript(itemId: string, text: string, complete: boolean): TurnView | null {
    let turnId: string | undefined;
    for (const [id, details] of this.retryDetails) if (details.userItemId === itemId) turnId = id;
    const view = turnId ? this.open.turns.get(turnId) : undefined;
    if (!view) return null;
    const updated: TurnView = { ...view, userText: complete ? text : (view.userText ?? '') + text };
    this.open.turns.set(updated.id, updated);
    if (complete) this.guard(() => this.write(updated));
    return updated;
  }

  /**
   * A response started or ended (keyed by response id). Its usage (response.done) is added to its turn's, once
   * per response, whatever the response's status: a cancelled or failed response was billed too. Returns the
   * turn with its new usage to show, or null when nothing the window shows changed.
   */
  responseChanged(record: {
    turnId: string;
    responseId: string;
    status: string;
    reason?: string;
    usage?: unknown;
    /** The model the response ran on (its price row). */
    model?: string;
  }): TurnView | null {
    const prev = this.responses.get(record.responseId);
    const view = this.open.turns.get(record.turnId);
    this.responses.set(record.responseId, {
      id: record.responseId,
      turnId: record.turnId,
      status: record.status,
      ...(record.reason ? { reason: record.reason } : {}),
      ...(record.usage ? { usage: record.usage } : {}),
      ...(view ? { timings: { ...view.timings } } : {}),
      attempt: prev?.attempt ?? view?.attempts ?? 1,
      createdAt: prev?.createdAt ?? this.deps.now(),
    });
    const tokens = prev?.usage === undefined ? tokensFromUsage(record.usage) : null;
    if (!tokens || !view) return null;
    const updated: TurnView = {
      ...view,
      usage: {
        model: record.model ?? view.usage?.model ?? 'unknown',
        tokens: addTokens(view.usage?.tokens ?? ZERO_TOKENS, tokens),
        responses: (view.usage?.responses ?? 0) + 1,
      },
    };
    this.open.turns.set(view.id, updated);
    // A response that ends after its turn was written as finished (a barge-in's cancelled reply): write again.
    if (TERMINAL.has(view.phase) && this.open.written.get(view.id) === view.phase)
      this.guard(() => this.write(updated));
    return updated;
  }

  /**
   * Whether the open conversation's title is still Talkie's own (untitled, or its first message), so a title from
   * the model may replace it. The user's rename always wins (the store keeps it too).
   */
  hasAutomaticTitle(id: string): boolean {
    if (id !== this.open.id) return false;
    const first = this.turnsOf(this.open)[0];
    return this.open.title === UNTITLED || (first !== undefined && this.open.title === titleFrom(first));
  }

  /** A title from the model (out of band): kept unless the user has named the conversation meanwhile. */
  autoTitle(id: string, title: string): void {
    if (id === this.open.id && !this.open.saved) return;
    this.guard(() => this.deps.store.setAutoTitle(id, title));
    const listed = this.list();
    const now = listed.find((c) => c.id === id);
    if (id === this.open.id && now) this.open.title = now.title;
    this.deps.onList(listed);
  }

  /** The usage of every turn started in [from, to), all conversations (for the monthly budget); [] if unreadable. */
  usageBetween(from: number, to: number): TurnUsage[] {
    try {
      return this.deps.store.usageBetween(from, to);
    } catch (error) {
      this.deps.onStoreError?.(errorMessage(error));
      return [];
    }
  }

  /** A turn left the machine: what a Retry needs is kept (bounded). */
  turnSettled(turn: RetryTurn): void {
    this.retryDetails.delete(turn.view.id);
    this.retryDetails.set(turn.view.id, turn);
    while (this.retryDetails.size > KEPT_RETRY_DETAILS) {
      const oldest = this.retryDetails.keys().next().value;
      if (oldest === undefined) break;
      this.retryDetails.delete(oldest);
    }
  }

  /** A turn of the open conversation as Retry or Send hand it back to the machine, or null. */
  retryable(turnId: string): RetryTurn | null {
    const view = this.open.turns.get(turnId);
    if (!view || !canRetry(view)) return null;
    const kept = this.retryDetails.get(turnId);
    return kept ? { ...kept, view } : { view, userItemId: null, inputSentInSession: null }; // from an earlier run: sent again in full
  }

  /** Recorded audio of an unsent voice turn from an earlier run. */
  savedAudio(turnId: string): Buffer | null {
    return this.deps.store.loadAudio(turnId);
  }

  /** Removes an unsent turn (Discard). */
  discard(turnId: string): boolean {
    const view = this.open.turns.get(turnId);
    if (!view || view.phase !== 'unsent') return false;
    this.open.turns.delete(turnId);
    this.deps.store.removeTurn(turnId);
    this.deps.store.deleteAudio(turnId);
    for (const image of view.images ?? []) this.deps.store.deleteImage(image.id);
    this.deps.onList(this.list());
    return true;
  }

  /**
   * What a new session of this conversation is told: its answered turns, as text, oldest first (row 11).
   * `inFlight` turns are not history: they are sent again as themselves.
   */
  history(inFlight: ReadonlySet<string>, images: CarryImages = 'as-sent'): CarriedTurn[] {
    const out: CarriedTurn[] = [];
    for (const view of this.turnsOf(this.open)) {
      if (inFlight.has(view.id) || !view.outcome || !ANSWERED.has(view.outcome.kind)) continue;
      const user = view.userText ?? '';
      const sent = view.images ?? [];
      if (sent.length > 0 && images === 'placeholder') {
        // The user chose not to send pictures again: the model is told one was there, and what it was.
        const notes = sent.map(imagePlaceholder).join(' ');
        out.push({
          turnId: view.id,
          user: user.trim() ? `${notes}\n${user}` : notes,
          assistant: view.assistantText,
        });
        continue;
      }
      out.push({
        turnId: view.id,
        user,
        assistant: view.assistantText,
        ...(sent.length ? { images: sent } : {}),
      });
    }
    return out;
  }

  /** Records where the open conversation is held. */
  setEndpoint(endpoint: string): void {
    this.open.endpoint = endpoint;
    if (this.open.saved) this.deps.store.setEndpoint(this.open.id, endpoint);
  }

  /** Starts a new, empty conversation and opens it. */
  startNew(endpoint: string | null): OpenConversation {
    this.open = this.fresh(endpoint);
    return this.announce();
  }

  /** Opens a stored conversation; null when it does not exist. */
  switchTo(id: string): OpenConversation | null {
    if (id === this.open.id) return this.current();
    const loaded = this.load(id);
    if (!loaded) return null;
    this.open = loaded;
    return this.announce();
  }

  rename(id: string, title: string): ConversationSummary | null {
    if (id === this.open.id && !this.open.saved) {
      this.open.title = title;
      this.persistOpen(); // the rename below then marks the title as the user's
    }
    const summary = this.deps.store.renameConversation(id, title);
    if (summary && id === this.open.id) this.open.title = summary.title;
    this.deps.onList(this.list());
    return summary;
  }

  /** Soft delete (restorable); deleting the open one opens a new, empty conversation. */
  delete(id: string): void {
    if (id === this.open.id && !this.open.saved) {
      this.startNew(this.open.endpoint);
      return;
    }
    this.deps.store.deleteConversation(id);
    if (id === this.open.id) this.startNew(this.open.endpoint);
    else this.deps.onList(this.list());
  }

  restore(id: string): void {
    this.deps.store.restoreConversation(id);
    this.deps.onList(this.list());
  }

  /** The conversation as Markdown, with a file name from its title. */
  exportMarkdown(id: string): { filename: string; markdown: string } | null {
    const conv =
      id === this.open.id
        ? { summary: this.summaryOfOpen(), turns: this.turnsOf(this.open) }
        : this.deps.store.getConversation(id);
    if (!conv) return null;
    const slug =
      conv.summary.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 50) || 'conversation';
    return {
      filename: `talkie-${slug}.md`,
      markdown: toMarkdown(conv.summary, conv.turns, new Date(this.deps.now()), (image) =>
        this.imageUrl(image.id),
      ),
    };
  }

  /** A new image id (unique across restarts; names its file). */
  newImageId(): string {
    return this.deps.newId('img');
  }

  /** Keeps a fitted image (an attachment of the next turn) beside the conversations. */
  saveImage(id: string, bytes: Buffer, mime: 'image/png' | 'image/jpeg'): void {
    this.deps.store.saveImage(id, bytes, mime);
  }

  /** Drops an attachment taken off before it was sent. */
  deleteImage(id: string): void {
    this.guard(() => this.deps.store.deleteImage(id));
  }

  /** The images attached to the next turn when Talkie last ran (their files still kept). */
  pendingImages(): ImageRef[] {
    try {
      return this.deps.store.loadPendingImages();
    } catch {
      return [];
    }
  }

  /** Keeps the images attached to the next turn, so a restart shows them again rather than losing them. */
  setPendingImages(images: readonly ImageRef[]): void {
    this.guard(() => this.deps.store.savePendingImages(images));
  }

  /** An image as a data: URL (to show, to send, to export), or null when its file is gone or unreadable. */
  imageUrl(id: string): string | null {
    try {
      const image = this.deps.store.loadImage(id);
      return image ? `data:${image.mime};base64,${image.bytes.toString('base64')}` : null;
    } catch {
      return null;
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  /** A store write that must never break a turn: a failure is reported and the next change tries again. */
  private guard(write: () => void): void {
    try {
      write();
      this.lastStoreError = null;
    } catch (error) {
      const message = errorMessage(error);
      if (message !== this.lastStoreError) this.deps.onStoreError?.(message);
      this.lastStoreError = message;
    }
  }

  private write(view: TurnView): void {
    const open = this.open;
    if (!open.saved) this.persistOpen();
    const firstWrite = !open.written.has(view.id);
    this.deps.store.saveTurn(view, this.responsesOf(view.id));
    open.written.set(view.id, view.phase);
    const title = titleFrom(view);
    if (title && open.title === UNTITLED) {
      open.title = title;
      this.deps.store.setAutoTitle(open.id, title);
      this.deps.onList(this.list());
    } else if (firstWrite || TERMINAL.has(view.phase)) {
      this.deps.onList(this.list());
    }
  }

  /** Writes the open conversation, which is in memory only until its first turn (or a rename). */
  private persistOpen(): void {
    const open = this.open;
    this.deps.store.createConversation({
      id: open.id,
      title: open.title,
      createdAt: open.createdAt,
      endpoint: open.endpoint,
    });
    open.saved = true;
  }

  private responsesOf(turnId: string): ResponseRecord[] {
    const out: ResponseRecord[] = [];
    for (const record of this.responses.values()) if (record.turnId === turnId) out.push(record);
    // Written once with their turn's end; memory holds only responses of turns still changing.
    const view = this.open.turns.get(turnId);
    if (!view || TERMINAL.has(view.phase)) for (const r of out) this.responses.delete(r.id);
    return out;
  }

  private announce(): OpenConversation {
    const open = this.current();
    this.deps.onOpened(open);
    this.deps.onList(this.list());
    return open;
  }

  private fresh(endpoint: string | null): Open {
    return {
      id: this.deps.newId('c'),
      title: UNTITLED,
      createdAt: this.deps.now(),
      endpoint,
      saved: false,
      turns: new Map(),
      written: new Map(),
      nextIndex: 1,
    };
  }

  private load(id: string): Open | null {
    const stored = this.deps.store.getConversation(id);
    if (!stored) return null;
    const turns = new Map(stored.turns.map((t) => [t.id, t]));
    return {
      id,
      title: stored.summary.title,
      createdAt: stored.summary.createdAt,
      endpoint: stored.endpoint,
      saved: true,
      turns,
      written: new Map(stored.turns.map((t) => [t.id, t.phase])),
      nextIndex: stored.turns.reduce((max, t) => Math.max(max, t.index), 0) + 1,
    };
  }

  private summaryOfOpen(): ConversationSummary {
    const turns = this.turnsOf(this.open);
    return {
      id: this.open.id,
      title: this.open.title,
      createdAt: this.open.createdAt,
      updatedAt: turns.at(-1)?.startedAt ?? this.open.createdAt,
      turnCount: turns.length,
    };
  }

  private turnsOf(open: Open): TurnView[] {
    return [...open.turns.values()].sort((a, b) => a.index - b.index);
  }
}

/** What a new session is told in place of an image when images are carried as placeholders. */
export function imagePlaceholder(image: Pick<ImageRef, 'width' | 'height' | 'mime'>): string {
  return `[image: ${image.width}×${image.height} ${image.mime === 'image/png' ? 'PNG' : 'JPEG'}]`;
}

/** A conversation title from a turn's user text: its first line, cut at a word. */
export function titleFrom(view: TurnView): string | null {
  return shortTitle(view.userText ?? '');
}

/** A title from any text: its first line, cut at a word near TITLE_LENGTH; null when empty. */
export function shortTitle(raw: string): string | null {
  const text = raw.split('\n')[0]?.trim();
  if (!text) return null;
  if (text.length <= TITLE_LENGTH) return text;
  const cut = text.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
