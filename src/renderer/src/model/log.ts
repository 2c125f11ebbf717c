/**
 * Event-log rows as the inspector shows them: consecutive deltas of one type folded into one row,
 * filtered by type text and direction. Pure, so it is unit-tested without a DOM.
 */
import type { Direction, LogEntry } from '../../../shared/types';

/** One visible row: a single event, or a run of consecutive same-type streaming events. */
export interface LogRow {
  /** Stable React key: the seq of the first entry in the row. */
  key: number;
  type: string;
  dir: Direction;
  /** The row's first entry gives its times; `entries.length` is the fold count. */
  entries: LogEntry[];
}

/** Direction filter: every row, or one direction. */
export type DirectionFilter = 'all' | Direction;

export interface LogFilter {
  text: string;
  dir: DirectionFilter;
}

/** Rows kept at most; the core keeps the full log for export. */
export const MAX_LOG_ROWS = 20000;

/**
 * Streaming events that arrive in bursts of dozens per second. Audio appends are folded too: they are
 * the client-side twin of the server's audio deltas and would otherwise drown every other row.
 */
export function isFoldable(type: string): boolean {
  return type.endsWith('.delta') || type === 'input_audio_buffer.append';
}

/**
 * Appends entries to rows, folding a foldable entry into the last row when type and direction match.
 * Returns a new array; the rows given are not mutated. Entries at or below `afterSeq` are skipped
 * (the initial `log.entries` load and live batches may overlap).
 */
export function appendLog(rows: readonly LogRow[], entries: readonly LogEntry[], afterSeq = -1): LogRow[] {
  const out = rows.slice();
  for (const entry of entries) {
    if (entry.seq <= afterSeq) continue;
    const last = out[out.length - 1];
    if (last && isFoldable(entry.type) && last.type === entry.type && last.dir === entry.dir) {
      out[out.length - 1] = { ...last, entries: [...last.entries, entry] };
    } else {
      out.push({ key: entry.seq, type: entry.type, dir: entry.dir, entries: [entry] });
    }
  }
  return out.length > MAX_LOG_ROWS ? out.slice(out.length - MAX_LOG_ROWS) : out;
}

/** Rows matching the type text (case-insensitive substring) and the direction. */
export function filterLog(rows: readonly LogRow[], filter: LogFilter): readonly LogRow[] {
  const text = filter.text.trim().toLowerCase();
  if (!text && filter.dir === 'all') return rows;
  return rows.filter(
    (row) =>
      (filter.dir === 'all' || row.dir === filter.dir) && (!text || row.type.toLowerCase().includes(text)),
  );
}

/** The label a row shows: the type, with the fold count when more than one event is folded. */
export function rowLabel(row: LogRow): string {
  return row.entries.length > 1 ? `${row.type} ×${row.entries.length}` : row.type;
}

/** The highest seq in the rows, or -1 when empty. */
export function lastSeq(rows: readonly LogRow[]): number {
  const last = rows[rows.length - 1];
  const entry = last?.entries[last.entries.length - 1];
  return entry ? entry.seq : -1;
}

/** JSON shown for one row at most; the export has all of it. */
export const MAX_ROW_JSON_CHARS = 100_000;

/** Pretty JSON of a row's payloads: one object, or an array for a folded row; cut (and said so) when huge. */
export function rowJson(row: LogRow): string {
  const payloads = row.entries.map((entry) => entry.payload);
  const json = JSON.stringify(payloads.length === 1 ? payloads[0] : payloads, null, 2) ?? 'undefined';
  if (json.length <= MAX_ROW_JSON_CHARS) return json;
  const more = (json.length - MAX_ROW_JSON_CHARS).toLocaleString('en-US');
  return `${json.slice(0, MAX_ROW_JSON_CHARS)}\n… ${more} more characters (Export log has all of it)`;
}

/** How many events the rows hold (a folded row holds several). */
export function eventCount(rows: readonly LogRow[]): number {
  let sum = 0;
  for (const row of rows) sum += row.entries.length;
  return sum;
}

/** "116 events", or "12 of 116 events" while a filter hides some: one wording, always counting events. */
export function countLabel(shown: number, total: number): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const noun = total === 1 ? 'event' : 'events';
  return shown === total ? `${n(total)} ${noun}` : `${n(shown)} of ${n(total)} ${noun}`;
}

/** Arrow + words for a direction: the glyph for the eye, the word for screen readers and filters. */
export const DIRECTION_LABEL: Readonly<Record<Direction, { glyph: string; word: string }>> = {
  out: { glyph: '↑', word: 'sent' },
  in: { glyph: '↓', word: 'received' },
  local: { glyph: '•', word: 'local' },
};
