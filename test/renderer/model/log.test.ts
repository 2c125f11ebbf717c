import { describe, expect, it } from 'vitest';
import type { Direction, LogEntry } from '../../../src/shared/types';
import {
  appendLog,
  filterLog,
  lastSeq,
  MAX_LOG_ROWS,
  rowJson,
  rowLabel,
} from '../../../src/renderer/src/model/log';

let seq = 0;
const entry = (type: string, dir: Direction = 'in', payload: unknown = { type }): LogEntry => ({
  seq: seq++,
  t: seq * 10,
  dir,
  type,
  payload,
});

describe('event log rows', () => {
  it('folds consecutive audio deltas into one row labelled with the count', () => {
    const deltas = Array.from({ length: 42 }, () => entry('response.output_audio.delta'));
    const rows = appendLog([], [entry('response.created'), ...deltas, entry('response.done')]);
    expect(rows.map(rowLabel)).toEqual([
      'response.created',
      'response.output_audio.delta ×42',
      'response.done',
    ]);
  });

  it('keeps folding across batches, so the row count does not depend on how events were batched', () => {
    const first = appendLog([], [entry('response.output_text.delta'), entry('response.output_text.delta')]);
    const second = appendLog(first, [entry('response.output_text.delta')]);
    expect(second.map(rowLabel)).toEqual(['response.output_text.delta ×3']);
    expect(first.map(rowLabel)).toEqual(['response.output_text.delta ×2']);
  });

  it('starts a new row when another event interrupts a run of deltas', () => {
    const rows = appendLog(
      [],
      [
        entry('response.output_audio.delta'),
        entry('response.output_audio_transcript.delta'),
        entry('response.output_audio.delta'),
      ],
    );
    expect(rows).toHaveLength(3);
  });

  it('does not fold identical non-streaming events such as two session.update', () => {
    const rows = appendLog([], [entry('session.update', 'out'), entry('session.update', 'out')]);
    expect(rows.map(rowLabel)).toEqual(['session.update', 'session.update']);
  });

  it('folds microphone appends sent by the client but never with events of another direction', () => {
    const rows = appendLog(
      [],
      [
        entry('input_audio_buffer.append', 'out'),
        entry('input_audio_buffer.append', 'out'),
        entry('response.output_audio.delta', 'in'),
      ],
    );
    expect(rows.map(rowLabel)).toEqual(['input_audio_buffer.append ×2', 'response.output_audio.delta']);
  });

  it('skips entries already shown when the initial load and a live batch overlap', () => {
    const a = entry('session.created');
    const b = entry('session.updated');
    const rows = appendLog(appendLog([], [a, b]), [a, b, entry('response.create', 'out')], b.seq);
    expect(rows.map((r) => r.type)).toEqual(['session.created', 'session.updated', 'response.create']);
    expect(lastSeq(rows)).toBe(b.seq + 1);
  });

  it('keeps only the newest rows beyond the cap', () => {
    const many = Array.from({ length: MAX_LOG_ROWS + 5 }, (_, i) => entry(i % 2 ? 'a' : 'b'));
    const rows = appendLog([], many);
    expect(rows).toHaveLength(MAX_LOG_ROWS);
    expect(rows[rows.length - 1]!.entries[0]).toBe(many[many.length - 1]);
  });

  it('filters by type text (any case) and by direction', () => {
    const rows = appendLog(
      [],
      [entry('session.update', 'out'), entry('session.updated', 'in'), entry('turn.started', 'local')],
    );
    expect(filterLog(rows, { text: 'SESSION', dir: 'all' }).map((r) => r.type)).toEqual([
      'session.update',
      'session.updated',
    ]);
    expect(filterLog(rows, { text: 'session', dir: 'in' }).map((r) => r.type)).toEqual(['session.updated']);
    expect(filterLog(rows, { text: '', dir: 'local' }).map((r) => r.type)).toEqual(['turn.started']);
    expect(filterLog(rows, { text: '  ', dir: 'all' })).toBe(rows);
  });

  it('pretty-prints one payload, or every payload of a folded row', () => {
    const [single] = appendLog([], [entry('response.done', 'in', { type: 'response.done', ok: 1 })]);
    expect(rowJson(single!)).toBe('{\n  "type": "response.done",\n  "ok": 1\n}');
    const [folded] = appendLog([], [entry('x.delta', 'in', { d: 1 }), entry('x.delta', 'in', { d: 2 })]);
    expect(JSON.parse(rowJson(folded!))).toEqual([{ d: 1 }, { d: 2 }]);
  });
});
