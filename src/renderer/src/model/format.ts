/**
 * Words the window shows for states, durations and outcomes. Pure, so the wording is unit-tested and
 * the same everywhere it appears.
 */
import type { ConnectionView, KeyStorage, TurnView } from '../../../shared/types';

/** "320 ms" under a second, "1.8 s" under a minute, "2 min 5 s" beyond. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** Log time column: seconds with millisecond precision, e.g. "12.345". */
export function formatLogTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The connection in plain words; `now` drives the reconnect countdown. */
export function connectionLabel(connection: ConnectionView, now: number): string {
  switch (connection.state) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting': {
      if (connection.retryAt === undefined) return 'Reconnecting…';
      const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
      return seconds > 0 ? `Reconnecting… (retry in ${seconds} s)` : 'Reconnecting…';
    }
    case 'closed':
      return connection.reason ? `Disconnected: ${connection.reason}` : 'Disconnected';
    case 'failed':
      return connection.reason ?? 'Connection failed';
  }
}

/** What the user's side of a turn says: the text or transcript, else "Voice message, 2.4 s". */
export function userLine(turn: TurnView): string {
  if (turn.userText) return turn.userText;
  if (turn.input === 'voice') {
    return turn.recordedMs !== undefined
      ? `Voice message, ${(turn.recordedMs / 1000).toFixed(1)} s`
      : 'Voice message';
  }
  return '';
}

/**
 * Timings worth reading, in the order they happen. Only a completed reply is "done in"; a failed one says when
 * it failed, and one that was cancelled or interrupted shows no end time (the status says how it ended).
 */
export function timingParts(turn: TurnView): string[] {
  const parts: string[] = [];
  const { toFirstAudioMs, toFirstDeltaMs, toDoneMs } = turn.timings;
  if (toFirstAudioMs !== undefined) parts.push(`first audio after ${formatDuration(toFirstAudioMs)}`);
  else if (toFirstDeltaMs !== undefined) parts.push(`first reply after ${formatDuration(toFirstDeltaMs)}`);
  if (toDoneMs !== undefined) {
    const kind = turn.outcome?.kind ?? (turn.phase === 'done' ? 'completed' : undefined);
    if (kind === 'completed' || kind === 'no-audio') parts.push(`done in ${formatDuration(toDoneMs)}`);
    else if (kind === 'failed' || turn.phase === 'failed')
      parts.push(`failed after ${formatDuration(toDoneMs)}`);
  }
  return parts;
}

/** "attempt 2 (the connection dropped; asked again)": which request this is, and why there was more than one. */
export function attemptLabel(turn: TurnView): string | null {
  if (turn.attempts <= 1) return null;
  // Main says why; a turn saved before it did (or reloaded from the store) gets the window's best guess.
  const why = turn.attemptReason ?? attemptGuess(turn);
  return `attempt ${turn.attempts} (${why})`;
}

/** Without main's reason: what the turn itself shows about why it was asked again. */
function attemptGuess(turn: TurnView): string {
  if (turn.replyAs === 'voice' && turn.hasAudio && turn.outcome?.kind === 'completed')
    return 'asked again after a reply without audio';
  return 'asked again';
}

/** What the window knows beside the turn: whether main and the server can be reached right now. */
export interface TurnContext {
  /** The page cannot reach Talkie itself (browser mode's server is gone): nothing in flight is known. */
  lost?: boolean;
  /** The server connection is down: queued turns wait for it. */
  offline?: boolean;
}

/** A short status for a turn still in flight, or for how it ended. */
export function turnStatus(turn: TurnView, context: TurnContext = {}): string {
  // Unsent wins over an outcome from before Talkie closed: what matters now is that it awaits Send.
  if (turn.phase === 'unsent') return 'Not sent';
  const outcome = turn.outcome;
  if (outcome) {
    switch (outcome.kind) {
      case 'completed':
        return 'Completed';
      case 'no-audio':
        return 'No audio returned';
      case 'interrupted':
        return 'Interrupted';
      case 'cancelled':
        return 'Cancelled';
      case 'failed':
        return 'Failed';
      case 'ignored':
        return 'Too short';
    }
  }
  if (context.lost && IN_FLIGHT_PHASES.has(turn.phase)) return 'Unknown — lost connection to Talkie';
  switch (turn.phase) {
    case 'listening':
      return 'Listening…';
    case 'committing':
      return 'Sending…';
    case 'queued':
      return context.offline ? 'Waiting for the connection' : 'Queued';
    case 'waiting':
      return 'Waiting for reply…';
    case 'replying':
      return 'Replying…';
    case 'done':
      return 'Completed';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
  }
}

const IN_FLIGHT_PHASES = new Set<TurnView['phase']>([
  'listening',
  'committing',
  'queued',
  'waiting',
  'replying',
]);

/** Under an unsent turn: why it has no reply, in plain words. */
export const UNSENT_NOTE = 'Not sent — Talkie closed before this was answered';

/**
 * When a conversation last changed, short enough for the list: the time today, "Yesterday", the day
 * within a week, else the date. `locale` is left to the system unless a test pins it.
 */
export function conversationTime(at: number, now: number, locale?: string): string {
  const then = new Date(at);
  const today = new Date(now);
  const startOfDay = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOfDay(today) - startOfDay(then)) / 86_400_000);
  if (days <= 0) return then.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
  if (days === 1) return 'Yesterday';
  if (days < 7) return then.toLocaleDateString(locale, { weekday: 'long' });
  return then.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(then.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** A conversation's name as shown; main may leave it empty until the first message gives it one. */
export function conversationTitle(title: string): string {
  return title.trim() || 'Untitled conversation';
}

/** "3 turns", "1 turn", "Empty". */
export function turnCountLabel(count: number): string {
  if (count === 0) return 'Empty';
  return count === 1 ? '1 turn' : `${count} turns`;
}

/** How the saved key is kept, as shown under the API key field. */
export function keyStorageLabel(storage: KeyStorage, saved: boolean): string {
  if (!saved && storage !== 'env') return 'No key saved';
  switch (storage) {
    case 'encrypted':
      return 'Saved (encrypted)';
    case 'plaintext':
      return 'Saved (not encrypted)';
    case 'session':
      return 'Saved for this session only';
    case 'env':
      return 'Set by the OPENAI_API_KEY environment variable';
    case 'none':
      return 'No key saved';
  }
}

/** dBFS → 0..1 for a meter: -60 dB and below is empty, 0 dB full. */
export function levelFraction(db: number | null): number {
  if (db === null || !Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
