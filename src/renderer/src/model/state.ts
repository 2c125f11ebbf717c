/**
 * The window's state and the one reducer that applies the snapshot and main's events to it.
 * Pure: no bridge, no DOM, so every rule here is unit-tested in plain Node.
 */
import type { EventPayload } from '../../../shared/contract';
import type {
  AppSnapshot,
  ConnectionView,
  ConversationSummary,
  HotkeyStatus,
  LogEntry,
  NextTurnOptions,
  Notice,
  NoticeAction,
  SettingsView,
  TurnView,
} from '../../../shared/types';
import { appendLog, lastSeq, type LogRow } from './log';
import { DEFAULT_NEXT_TURN } from '../../../shared/next-turn';

/** Notices kept on screen at most (the newest). */
export const MAX_NOTICES = 5;

/** The window's own notice button: Undo after deleting a conversation (main's buttons are NoticeAction). */
export interface UndoDeleteAction {
  label: 'Undo';
  command: 'conversation.restore';
  conversationId: string;
  /** It was the open conversation: open it again once restored. */
  reopen: boolean;
}

/** A notice on screen: one of main's, or one the window raised itself (with its own closed list of buttons). */
export type UiNotice = Omit<Notice, 'action'> & { action?: NoticeAction | UndoDeleteAction };

/** The open conversation, as the header shows it. */
export interface OpenConversationRef {
  id: string;
  title: string;
}

export interface UiState {
  /** False until the first snapshot arrives. */
  loaded: boolean;
  /** Why the window could not load its state from main (it keeps retrying), in plain words. */
  loadError: string | null;
  connection: ConnectionView | null;
  /** The open conversation; null until the first snapshot. */
  conversation: OpenConversationRef | null;
  /** Every conversation, newest first (the Conversations list). */
  conversations: ConversationSummary[];
  /** The open conversation's turns, ordered by turn index. */
  turns: TurnView[];
  next: NextTurnOptions;
  settings: SettingsView | null;
  hotkey: HotkeyStatus | null;
  notices: UiNotice[];
  logRows: LogRow[];
  /** Highest log seq applied, so overlapping loads and batches never duplicate a row. */
  logSeq: number;
  shell: AppSnapshot['shell'];
  platform: string;
}

export type UiAction =
  | { type: 'snapshot'; snapshot: AppSnapshot }
  | { type: 'load.failed'; reason: string }
  | { type: 'connection'; payload: EventPayload<'connection'> }
  | { type: 'turn'; payload: EventPayload<'turn'> }
  | { type: 'turn.removed'; payload: EventPayload<'turn.removed'> }
  /** The `conversation` event, or the answer of conversation.new / open / continueHere. */
  | { type: 'conversation'; payload: EventPayload<'conversation'> }
  | { type: 'conversations'; payload: EventPayload<'conversations'> }
  /** The answer of conversation.rename, applied before main's `conversations` event arrives. */
  | { type: 'conversation.renamed'; summary: ConversationSummary }
  | { type: 'next'; payload: EventPayload<'next'> }
  | { type: 'settings'; payload: EventPayload<'settings'> }
  | { type: 'hotkey'; payload: EventPayload<'hotkey'> }
  | { type: 'notice'; payload: UiNotice }
  | { type: 'notice.dismiss'; id: string }
  /** A `log` batch or the `log.entries` answer: both go through the same seq filter. */
  | { type: 'log'; entries: readonly LogEntry[] }
  | { type: 'log.cleared' };

export const initialState: UiState = {
  loaded: false,
  loadError: null,
  connection: null,
  conversation: null,
  conversations: [],
  turns: [],
  next: { ...DEFAULT_NEXT_TURN },
  settings: null,
  hotkey: null,
  notices: [],
  logRows: [],
  logSeq: -1,
  shell: 'browser',
  platform: '',
};

/** Inserts or replaces a turn by id, keeping the list ordered by index. */
export function upsertTurn(turns: readonly TurnView[], turn: TurnView): TurnView[] {
  const at = turns.findIndex((t) => t.id === turn.id);
  if (at >= 0) {
    const out = turns.slice();
    out[at] = turn;
    return out;
  }
  const out = [...turns, turn];
  // Upserts nearly always arrive in order; sort only when one did not.
  const prev = turns[turns.length - 1];
  if (prev && prev.index > turn.index) out.sort((a, b) => a.index - b.index);
  return out;
}

const byIndex = (turns: readonly TurnView[]): TurnView[] => turns.slice().sort((a, b) => a.index - b.index);

/** The open conversation's title follows the list (a title is made from the first message, or renamed). */
function titleFromList(
  open: OpenConversationRef | null,
  list: readonly ConversationSummary[],
): OpenConversationRef | null {
  const entry = open && list.find((c) => c.id === open.id);
  return entry && entry.title !== open.title ? { id: open.id, title: entry.title } : open;
}

function addNotice(notices: readonly UiNotice[], notice: UiNotice): UiNotice[] {
  const rest = notices.filter((n) => n.id !== notice.id);
  return [...rest, notice].slice(-MAX_NOTICES);
}

/** Applies one action. Returns the same object when nothing changed. */
export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'snapshot': {
      const s = action.snapshot;
      return {
        ...state,
        loaded: true,
        loadError: null,
        connection: s.connection,
        // `??`: a main from before conversations existed leaves the list empty instead of breaking the window.
        conversation: s.conversation ?? null,
        conversations: s.conversations ?? [],
        turns: byIndex(s.turns),
        next: s.next,
        settings: s.settings,
        hotkey: s.hotkey,
        notices: s.notices.slice(-MAX_NOTICES),
        shell: s.shell,
        platform: s.platform,
      };
    }
    case 'load.failed':
      return { ...state, loadError: action.reason };
    case 'connection':
      return { ...state, connection: action.payload };
    case 'turn':
      // Only the open conversation is shown: a reply still finishing in the one just left is not drawn
      // into this one. Before the first snapshot nothing is open yet, and the snapshot replaces turns anyway.
      if (state.conversation && action.payload.conversationId !== state.conversation.id) return state;
      return { ...state, turns: upsertTurn(state.turns, action.payload) };
    case 'turn.removed': {
      const turns = state.turns.filter((t) => t.id !== action.payload.id);
      return turns.length === state.turns.length ? state : { ...state, turns };
    }
    case 'conversation': {
      const { id, title, turns } = action.payload;
      return { ...state, conversation: { id, title }, turns: byIndex(turns) };
    }
    case 'conversations':
      return {
        ...state,
        conversations: action.payload,
        conversation: titleFromList(state.conversation, action.payload),
      };
    case 'conversation.renamed': {
      const { summary } = action;
      const conversations = state.conversations.map((c) => (c.id === summary.id ? summary : c));
      const conversation =
        state.conversation?.id === summary.id ? { id: summary.id, title: summary.title } : state.conversation;
      return { ...state, conversations, conversation };
    }
    case 'next':
      return { ...state, next: action.payload };
    case 'settings':
      return { ...state, settings: action.payload };
    case 'hotkey':
      return { ...state, hotkey: action.payload };
    case 'notice':
      return { ...state, notices: addNotice(state.notices, action.payload) };
    case 'notice.dismiss': {
      const notices = state.notices.filter((n) => n.id !== action.id);
      return notices.length === state.notices.length ? state : { ...state, notices };
    }
    case 'log': {
      if (!action.entries.some((e) => e.seq > state.logSeq)) return state;
      const logRows = appendLog(state.logRows, action.entries, state.logSeq);
      return { ...state, logRows, logSeq: Math.max(state.logSeq, lastSeq(logRows)) };
    }
    case 'log.cleared':
      // Keep logSeq: the core keeps numbering after a clear, and old batches must not come back.
      return { ...state, logRows: [] };
  }
}

/** What the push-to-talk button shows. */
export type TalkState = 'idle' | 'listening' | 'sending' | 'waiting' | 'replying' | 'failed';

const ACTIVE: Readonly<Record<TurnView['phase'], TalkState | null>> = {
  listening: 'listening',
  committing: 'sending',
  queued: 'sending',
  waiting: 'waiting',
  replying: 'replying',
  done: null,
  failed: null,
  cancelled: null,
  unsent: null,
};

/**
 * The button's state from the turns: the newest turn still in flight wins (a new press may overlap
 * a reply still playing); otherwise "failed" when the newest counted turn failed, else idle.
 */
export function talkState(turns: readonly TurnView[]): TalkState {
  for (let i = turns.length - 1; i >= 0; i--) {
    const state = ACTIVE[turns[i]!.phase];
    if (state) return state;
  }
  const last = latestShownTurn(turns);
  return last?.phase === 'failed' || last?.outcome?.kind === 'failed' ? 'failed' : 'idle';
}

/** An entry in the Conversations list; `updatedAt` is unknown for one main has not listed yet. */
export type ListedConversation = Omit<ConversationSummary, 'createdAt' | 'updatedAt'> & {
  updatedAt?: number;
};

/**
 * The list as drawn: main's, plus the open conversation at the top when main does not list it yet (a new
 * one is only kept once it has a message), so the conversation being shown is always the current entry.
 */
export function listedConversations(
  list: readonly ConversationSummary[],
  open: OpenConversationRef | null,
  openTurnCount: number,
): readonly ListedConversation[] {
  if (!open || list.some((c) => c.id === open.id)) return list;
  return [{ id: open.id, title: open.title, turnCount: openTurnCount }, ...list];
}

/** Ignored presses (under 100 ms) leave no entry in the conversation; they only show a hint. */
export function shownTurns(turns: readonly TurnView[]): TurnView[] {
  return turns.filter((t) => t.outcome?.kind !== 'ignored');
}

function latestShownTurn(turns: readonly TurnView[]): TurnView | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.outcome?.kind !== 'ignored') return turns[i];
  return undefined;
}
