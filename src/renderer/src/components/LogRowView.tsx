/** One event-log row: times, direction, type (×N when folded); expands to pretty JSON. */
import { memo, type ReactElement } from 'react';
import { formatLogTime } from '../model/format';
import { DIRECTION_LABEL, rowJson, rowLabel, type LogRow } from '../model/log';
import { ChevronIcon } from './icons';

export interface LogRowViewProps {
  row: LogRow;
  expanded: boolean;
  onToggle(key: number): void;
}

/** Memoised: with thousands of rows only the ones whose data changed re-render. */
export const LogRowView = memo(function LogRowView({
  row,
  expanded,
  onToggle,
}: LogRowViewProps): ReactElement {
  const first = row.entries[0]!;
  const dir = DIRECTION_LABEL[row.dir];
  const detailId = `log-detail-${row.key}`;
  return (
    <>
      <button
        type="button"
        className={`log-row-summary log-dir-${row.dir}`}
        aria-expanded={expanded}
        aria-controls={expanded ? detailId : undefined}
        onClick={() => onToggle(row.key)}
      >
        <span className="log-chevron" aria-hidden="true">
          <ChevronIcon />
        </span>
        <span className="log-time">{formatLogTime(first.t)}</span>
        <span className="log-turn-time">
          {first.turnT !== undefined ? `+${formatLogTime(first.turnT)}` : ''}
        </span>
        <span className="log-dir" title={dir.word}>
          <span aria-hidden="true">{dir.glyph}</span>
          <span className="visually-hidden">{dir.word}</span>
        </span>
        {/* The type may be cut to fit: its full name is the tooltip, and the fold count stays in view. */}
        <span className="log-type" title={row.type}>
          <span className="log-type-name">{row.type}</span>
          {row.entries.length > 1 && <span className="log-type-count">×{row.entries.length}</span>}
        </span>
      </button>
      {expanded && (
        <pre id={detailId} className="log-json" tabIndex={0} aria-label={`${rowLabel(row)} JSON`}>
          {rowJson(row)}
        </pre>
      )}
    </>
  );
});
