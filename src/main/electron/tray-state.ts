/**
 * What the tray shows, derived from the app's own events (pure, no Electron): one of six states,
 * a tooltip in words, and the current "Reply as" choice for the menu's radio items.
 */
import { isSameOrNewerTurn } from '../../shared/turn-order';
import type { EventName } from '../../shared/contract';
import type { ConnectionView, NextTurnOptions, ReplyAs, SettingsView, TurnView } from '../../shared/types';

/** Every state the tray icon can show (one PNG each in resources/tray). */
export const TRAY_STATES = ['idle', 'listening', 'waiting', 'replying', 'failed', 'offline'] as const;
/** One of TRAY_STATES. */
export type TrayState = (typeof TRAY_STATES)[number];

/** Everything the tray draws. */
export interface TrayView {
  state: TrayState;
  tooltip: string;
  replyAs: ReplyAs;
  /** The app is capturing: the menu offers "Send" instead of "Start talking". */
  listening: boolean;
  /** The modes to choose from, and the chosen one ('' before settings are known). */
  modes: ReadonlyArray<{ id: string; name: string }>;
  modeId: string;
}

/** The tray state for a connection and the latest turn. */
export function trayStateFrom(connection: ConnectionView | null, turn: TurnView | null): TrayState {
  if (connection?.state === 'failed') return 'failed';
  if (connection && connection.state !== 'connected') return 'offline';
  switch (turn?.phase) {
    case 'listening':
      return 'listening';
    case 'committing':
    case 'queued':
    case 'waiting':
      return 'waiting';
    case 'replying':
      return 'replying';
    case 'failed':
      return 'failed';
    default:
      return 'idle';
  }
}

const WORDS: Readonly<Record<TrayState, string>> = {
  idle: 'Ready',
  listening: 'Listening…',
  waiting: 'Waiting for the reply…',
  replying: 'Replying…',
  failed: 'Something went wrong',
  offline: 'Not connected',
};

/** "Talkie — Listening…", plus the connection's reason when offline or failed. */
export function trayTooltip(
  state: TrayState,
  connection: ConnectionView | null,
  turn: TurnView | null,
): string {
  let detail = '';
  if ((state === 'offline' || state === 'failed') && connection?.reason) detail = `: ${connection.reason}`;
  else if (state === 'failed' && turn?.outcome && 'reason' in turn.outcome)
    detail = `: ${turn.outcome.reason}`;
  const demo = connection?.demoMode ? ' (Demo mode)' : '';
  return `Talkie — ${WORDS[state]}${detail}${demo}`;
}

/** Folds app events into the tray view; `apply` returns the new view when it changed, else null. */
export class TrayTracker {
  private connection: ConnectionView | null = null;
  private turn: TurnView | null = null;
  private next: NextTurnOptions | null = null;
  private settings: SettingsView['settings'] | null = null;
  private last: TrayView;

  constructor(initial?: {
    connection?: ConnectionView;
    turns?: TurnView[];
    next?: NextTurnOptions;
    settings?: SettingsView;
  }) {
    this.settings = initial?.settings?.settings ?? null;
    this.connection = initial?.connection ?? null;
    this.turn =
      initial?.turns?.reduce<TurnView | null>(
        (a, t) => (a === null || isSameOrNewerTurn(t, a) ? t : a),
        null,
      ) ?? null;
    this.next = initial?.next ?? null;
    this.last = this.compute();
  }

  /** The current view. */
  view(): TrayView {
    return this.last;
  }

  /** The "Reply as" options in force, for the tray's radio items to change just one field. */
  nextOptions(): NextTurnOptions | null {
    return this.next;
  }

  apply(name: EventName, payload: unknown): TrayView | null {
    if (name === 'connection') this.connection = payload as ConnectionView;
    else if (name === 'next') this.next = payload as NextTurnOptions;
    else if (name === 'settings') this.settings = (payload as SettingsView).settings;
    else if (name === 'turn') {
      const turn = payload as TurnView;
      // Only the newest turn drives the icon; late updates of older turns do not.
      if (this.turn === null || isSameOrNewerTurn(turn, this.turn)) this.turn = turn;
    } else return null;
    const view = this.compute();
    if (JSON.stringify(view) === JSON.stringify(this.last)) return null;
    this.last = view;
    return view;
  }

  private compute(): TrayView {
    const state = trayStateFrom(this.connection, this.turn);
    return {
      state,
      tooltip: trayTooltip(state, this.connection, this.turn),
      replyAs: this.next?.replyAs ?? 'voice',
      listening: this.turn?.phase === 'listening',
      modes: (this.settings?.modes ?? []).map((mode) => ({ id: mode.id, name: mode.name })),
      modeId: this.settings?.modeId ?? '',
    };
  }
}
