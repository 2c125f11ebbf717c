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
  ImageRef,
  LogEntry,
  NextTurnOptions,
  Notice,
  NoticeAction,
  SettingsView,
  TurnView,
} from '../../../shared/types';
import { appendLog, lastSeq, type LogRow } from './log';
import { DEFAULT_NEXT_TURN } from '../../../shared/next-turn';
import { clearNoticeTopic, upsertNotice } from '../../../shared/notices';
import { dismissalKeys, isDismissed, forgetTopic } from './dismissals';

/** Notices kept on screen at most (the newest). */
export const MAX_NOTICES = 5;
/** Dismissals remembered at most (the newest). */
export const MAX_DISMISSALS = 100;

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

/** Whether the window can reach main: `lost` while browser mode's server is gone (the page keeps retrying). */
export type Transport = 'connecting' | 'open' | 'lost';

export interface UiState {
  /** False until the first snapshot arrives. */
  loaded: boolean;
  transport: Transport;
  /** Notices the user dismissed (by id, and by topic + words), kept across reloads by the window. */
  dismissed: readonly string[];
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
  /** Images attached to the next turn, in order. */
  attachments: ImageRef[];
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
  | { type: 'transport'; status: Transport }
  /** The log as main has it now (after the page got main back, which may have restarted and numbers anew). */
  | { type: 'log.reset'; entries: readonly LogEntry[] }
  | { type: 'notice.clear'; payload: EventPayload<'notice.clear'> }
  | { type: 'connection'; payload: EventPayload<'connection'> }
  | { type: 'turn'; payload: EventPayload<'turn'> }
  | { type: 'turn.removed'; payload: EventPayload<'turn.removed'> }
  /** The `conversation` event, or the answer of conversation.new / open / continueHere. */
  | { type: 'conversation'; payload: EventPayload<'conversation'> }
  | { type: 'conversations'; payload: EventPayload<'conversations'> }
  /** The answer of conversation.rename, applied before main's `conversations` event arrives. */
  | { type: 'conversation.renamed'; summary: ConversationSummary }
  | { type: 'next'; payload: EventPayload<'next'> }
  | { type: 'attachments'; payload: EventPayload<'attachments'> }
  | { type: 'settings'; payload: EventPayload<'settings'> }
  | { type: 'hotkey'; payload: EventPayload<'hotkey'> }
  | { type: 'notice'; payload: UiNotice }
  | { type: 'notice.dismiss'; id: string }
  /** A `log` batch or the `log.entries` answer: both go through the same seq filter. */
  | { type: 'log'; entries: readonly LogEntry[] }
  | { type: 'log.cleared' };

export const initialState: UiState = {
  loaded: false,
  transport: 'connecting',
  dismissed: [],
  loadError: null,
  connection: null,
  conversation: null,
  conversations: [],
  turns: [],
  next: { ...DEFAULT_NEXT_TURN },
  attachments: [],
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

/** The same rule as main's list (one per topic, the same words once), plus: a dismissed notice stays away. */
function addNotice(notices: readonly UiNotice[], notice: UiNotice, dismissed: readonly string[]): UiNotice[] {
  const rest = notices.filter((n) => n.id !== notice.id);
  if (isDismissed(dismissed, notice)) {
    // A newer notice of a topic still retracts the older one, even when the user dismissed the newer words.
    return notice.topic === undefined ? rest : clearNoticeTopic(rest, notice.topic);
  }
  return upsertNotice(rest, notice, MAX_NOTICES);
}

/** Main's notices after a (re)load, minus the ones the user dismissed, by the same rule. */
function loadNotices(list: readonly Notice[], dismissed: readonly string[]): UiNotice[] {
  let out: UiNotice[] = [];
  for (const notice of list) out = addNotice(out, notice, dismissed);
  return out;
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
        attachments: s.attachments ?? [],
        settings: s.settings,
        hotkey: s.hotkey,
        notices: loadNotices(s.notices, state.dismissed),
        shell: s.shell,
        platform: s.platform,
      };
    }
    case 'load.failed':
      return { ...state, loadError: action.reason };
    case 'transport':
      return action.status === state.transport ? state : { ...state, transport: action.status };
    case 'log.reset': {
      const logRows = appendLog([], action.entries);
      return { ...state, logRows, logSeq: lastSeq(logRows) };
    }
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
    case 'attachments':
      return { ...state, attachments: action.payload };
    case 'settings':
      return { ...state, settings: action.payload };
    case 'hotkey':
      return { ...state, hotkey: action.payload };
    case 'notice':
      return { ...state, notices: addNotice(state.notices, action.payload, state.dismissed) };
    case 'notice.clear': {
      const { topic } = action.payload;
      const notices = clearNoticeTopic(state.notices, topic);
      // What it said no longer holds: should it come to hold again, it is news again.
      const dismissed = forgetTopic(state.dismissed, topic);
      if (notices.length === state.notices.length && dismissed === state.dismissed) return state;
      return { ...state, notices, dismissed };
    }
    case 'notice.dismiss': {
      const gone = state.notices.find((n) => n.id === action.id);
      if (!gone) return state;
      return {
        ...state,
        notices: state.notices.filter((n) => n.id !== action.id),
        dismissed: [...state.dismissed, ...dismissalKeys(gone)].slice(-MAX_DISMISSALS),
      };
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

/** The newest press was too short (by when it started: a later turn, typed or spoken, means the hint is old news). */
export function lastPressIgnored(turns: readonly TurnView[]): boolean {
  let newest: TurnView | undefined;
  for (const t of turns) if (!newest || t.startedAt >= newest.startedAt) newest = t;
  return newest?.outcome?.kind === 'ignored';
}

/** Words under push to talk that say more than its state: the page lost Talkie, or a turn waits for the connection. */
export function talkNote(state: Pick<UiState, 'turns' | 'transport' | 'connection'>): string | null {
  if (state.transport === 'lost') return 'Lost connection to Talkie';
  const offline = state.connection !== null && state.connection.state !== 'connected';
  if (!offline) return null;
  for (let i = state.turns.length - 1; i >= 0; i--) {
    const t = state.turns[i]!;
    if (t.phase === 'queued' && !t.outcome) return 'Waiting for the connection';
  }
  return null;
}
