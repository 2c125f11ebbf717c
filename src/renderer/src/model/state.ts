/**
 * The window's state and the one reducer that applies the snapshot and main's events to it.
 * Pure: no bridge, no DOM, so every rule here is unit-tested in plain Node.
 */
import type { EventPayload } from '../../../shared/contract';
import type {
  AppSnapshot,
  ConnectionView,
  HotkeyStatus,
  LogEntry,
  NextTurnOptions,
  Notice,
  SettingsView,
  TurnView,
} from '../../../shared/types';
import { appendLog, lastSeq, type LogRow } from './log';
import { DEFAULT_NEXT_TURN } from '../../../shared/next-turn';

/** Notices kept on screen at most (the newest). */
export const MAX_NOTICES = 5;

export interface UiState {
  /** False until the first snapshot arrives. */
  loaded: boolean;
  /** Why the window could not load its state from main (it keeps retrying), in plain words. */
  loadError: string | null;
  connection: ConnectionView | null;
  /** Ordered by turn index. */
  turns: TurnView[];
  next: NextTurnOptions;
  settings: SettingsView | null;
  hotkey: HotkeyStatus | null;
  notices: Notice[];
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
  | { type: 'next'; payload: EventPayload<'next'> }
  | { type: 'settings'; payload: EventPayload<'settings'> }
  | { type: 'hotkey'; payload: EventPayload<'hotkey'> }
  | { type: 'notice'; payload: EventPayload<'notice'> }
  | { type: 'notice.dismiss'; id: string }
  /** A `log` batch or the `log.entries` answer: both go through the same seq filter. */
  | { type: 'log'; entries: readonly LogEntry[] }
  | { type: 'log.cleared' };

export const initialState: UiState = {
  loaded: false,
  loadError: null,
  connection: null,
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

function addNotice(notices: readonly Notice[], notice: Notice): Notice[] {
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
        turns: s.turns.slice().sort((a, b) => a.index - b.index),
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
      return { ...state, turns: upsertTurn(state.turns, action.payload) };
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

/** Ignored presses (under 100 ms) leave no entry in the conversation; they only show a hint. */
export function shownTurns(turns: readonly TurnView[]): TurnView[] {
  return turns.filter((t) => t.outcome?.kind !== 'ignored');
}

function latestShownTurn(turns: readonly TurnView[]): TurnView | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.outcome?.kind !== 'ignored') return turns[i];
  return undefined;
}
