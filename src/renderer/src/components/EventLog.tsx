/**
 * The event inspector: every client and server event, filterable, foldable, exportable, virtualised
 * so ten thousand rows scroll smoothly.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { getBridge } from '../bridge';
import { download } from '../dom/download';
import { countLabel, eventCount, filterLog, type DirectionFilter, type LogRow } from '../model/log';
import { CloseIcon, DownloadIcon } from './icons';
import { LogRowView } from './LogRowView';

export interface EventLogProps {
  rows: readonly LogRow[];
  onCleared(): void;
  onClose(): void;
  /** The panel's width in pixels, and a new width from the resize handle (drag or arrow keys). */
  width: number;
  onResize(width: number): void;
}

/** The panel's width stays within these (and within most of the window). */
export const LOG_MIN_WIDTH = 300;
export const LOG_MAX_WIDTH = 960;
const KEY_STEP_PX = 24;

/** Clamps a wished width to the bounds and to 70 % of the window. */
export function clampLogWidth(width: number, windowWidth: number): number {
  const max = Math.max(LOG_MIN_WIDTH, Math.min(LOG_MAX_WIDTH, Math.round(windowWidth * 0.7)));
  return Math.round(Math.min(max, Math.max(LOG_MIN_WIDTH, width)));
}

/** The handle on the panel's left edge: drag it, or focus it and use the arrow keys (Home/End for the bounds). */
function ResizeHandle({ width, onResize }: { width: number; onResize(width: number): void }): ReactElement {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const resize = (next: number): void => onResize(clampLogWidth(next, window.innerWidth));
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize event log"
      aria-controls="event-log"
      aria-valuemin={LOG_MIN_WIDTH}
      aria-valuemax={clampLogWidth(Infinity, window.innerWidth)}
      aria-valuenow={width}
      aria-valuetext={`${width} pixels wide`}
      tabIndex={0}
      className="log-resize"
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { startX: e.clientX, startWidth: width };
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        // The panel sits on the right: moving the handle left widens it.
        resize(drag.current.startWidth + (drag.current.startX - e.clientX));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? KEY_STEP_PX * 4 : KEY_STEP_PX;
        const next =
          e.key === 'ArrowLeft'
            ? width + step
            : e.key === 'ArrowRight'
              ? width - step
              : e.key === 'Home'
                ? LOG_MIN_WIDTH
                : e.key === 'End'
                  ? Infinity
                  : null;
        if (next === null) return;
        e.preventDefault();
        resize(next);
      }}
    />
  );
}

const ROW_ESTIMATE_PX = 30;

/** The right-hand panel (region "Event log"). */
export function EventLog({ rows, onCleared, onClose, width, onResize }: EventLogProps): ReactElement {
  const [text, setText] = useState('');
  const [dir, setDir] = useState<DirectionFilter>('all');
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [status, setStatus] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const visible = useMemo(() => filterLog(rows, { text, dir }), [rows, text, dir]);
  const total = useMemo(() => eventCount(rows), [rows]);
  const shown = useMemo(() => (visible === rows ? total : eventCount(visible)), [visible, rows, total]);

  // The virtualizer hands back functions React Compiler cannot memoise; this component does not rely on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: (index) => visible[index]?.key ?? index,
    overscan: 12,
  });

  useEffect(() => {
    if (following.current && visible.length > 0)
      virtualizer.scrollToIndex(visible.length - 1, { align: 'end' });
  }, [visible.length, virtualizer]);

  const toggle = useCallback((key: number) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const exportLog = async (): Promise<void> => {
    try {
      const { filename, jsonl } = await getBridge()['log.export']({});
      download(filename, jsonl, 'application/x-ndjson');
      setStatus(`Saved ${filename}`);
    } catch (e) {
      setStatus(`Could not export the log: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const clear = async (): Promise<void> => {
    try {
      await getBridge()['log.clear']({});
      setExpanded(new Set());
      onCleared();
      setStatus('Log cleared');
    } catch (e) {
      setStatus(`Could not clear the log: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  /** Up/Down/Home/End move between rows; the target is scrolled into the DOM first (virtualised). */
  const onListKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!current) return;
    const index = Number(current.dataset.index);
    const target =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? visible.length - 1
              : null;
    if (target === null || target < 0 || target >= visible.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(target);
    const focus = (): void =>
      scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"] .log-row-summary`)?.focus();
    focus();
    // A row far away is rendered only after the scroll: focus it on the next frames.
    window.requestAnimationFrame(() => window.requestAnimationFrame(focus));
  };

  const items = virtualizer.getVirtualItems();
  return (
    <section className="log-panel" aria-label="Event log" id="event-log">
      <ResizeHandle width={width} onResize={onResize} />
      <header className="panel-header">
        <h2 className="panel-title">Event log</h2>
        <span className="log-count">{countLabel(shown, total)}</span>
        <button type="button" className="icon-button" aria-label="Close event log" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="log-toolbar">
        <input
          type="search"
          className="input input-small"
          aria-label="Filter by type"
          placeholder="Filter by type…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select
          className="input input-small"
          aria-label="Direction"
          value={dir}
          onChange={(e) => setDir(e.target.value as DirectionFilter)}
        >
          <option value="all">All directions</option>
          <option value="out">↑ Sent</option>
          <option value="in">↓ Received</option>
          <option value="local">• Local</option>
        </select>
      </div>
      <div className="log-toolbar">
        <button type="button" className="button button-small" onClick={() => void exportLog()}>
          <DownloadIcon /> Export log
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => void clear()}>
          Clear
        </button>
      </div>
      {/* Its own line, wrapping: a saved file's whole name stays readable. */}
      <p className="log-status" role="status">
        {status}
      </p>
      <div className="log-columns" aria-hidden="true">
        <span />
        <span title="Seconds since the connection opened">Time</span>
        <span title="Seconds since the turn began">Turn</span>
        <span />
        <span>Type</span>
      </div>
      <div
        ref={scroller}
        className="log-scroll"
        onScroll={(e) => {
          const el = e.currentTarget;
          following.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_ESTIMATE_PX * 2;
        }}
      >
        {visible.length === 0 ? (
          <p className="log-empty">{rows.length === 0 ? 'No events yet.' : 'No events match the filter.'}</p>
        ) : (
          <div
            role="list"
            aria-label="Events"
            className="log-list"
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onListKey}
          >
            {items.map((item) => {
              const row = visible[item.index]!;
              const previous = visible[item.index - 1];
              // A faint rule where a new turn's events begin makes turns easy to tell apart.
              const turnStart =
                previous !== undefined && row.entries[0]?.turnId !== previous.entries[0]?.turnId;
              return (
                <div
                  key={item.key}
                  role="listitem"
                  aria-setsize={visible.length}
                  aria-posinset={item.index + 1}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className={`log-row ${turnStart ? 'log-row-turn-start' : ''}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <LogRowView row={row} expanded={expanded.has(row.key)} onToggle={toggle} />
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
