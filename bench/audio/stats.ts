/** Small statistics helpers for the audio benchmark. */

/** The q-quantile (0..1) by linear interpolation; NaN for no data. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (pos - lo);
}

/** One row of the result table. */
export interface Row {
  figure: string;
  p50: number;
  p95: number;
  n: number;
  target: string;
  ok: boolean;
  unit: string;
}

/** Prints rows as an aligned table. */
export function printTable(rows: Row[]): void {
  const fmt = (v: number): string => (Number.isNaN(v) ? '—' : v.toFixed(v < 10 ? 2 : 1));
  const lines = [['figure', 'p50', 'p95', 'n', 'target (p95)', 'ok']];
  for (const r of rows)
    lines.push([
      r.figure,
      `${fmt(r.p50)} ${r.unit}`,
      `${fmt(r.p95)} ${r.unit}`,
      String(r.n),
      r.target,
      r.ok ? 'yes' : 'NO',
    ]);
  const widths = (lines[0] ?? []).map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const [i, l] of lines.entries()) {
    console.log(l.map((c, j) => c.padEnd(widths[j] ?? 0)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
