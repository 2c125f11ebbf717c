/**
 * Per-thread CPU time of this process (Linux /proc/self/task), so the benchmark can say where its CPU goes: the
 * JavaScript thread, libuv's pool, PortAudio's callback threads, libpulse's threads.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build Node supports

export type ThreadTimes = Map<string, { name: string; ms: number }>;

export function threadTimes(): ThreadTimes {
  const out: ThreadTimes = new Map();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out; // not Linux: no breakdown
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The name is in parentheses and may contain spaces; fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
      // The JavaScript thread is the one whose id is the process id; other threads inherit the name "node".
      const label = tid === String(process.pid) ? 'js-main' : name;
      out.set(tid, { name: `${label}#${tid}`, ms: (ticks * 1000) / TICKS_PER_SECOND });
    } catch {
      // the thread ended between readdir and read
    }
  }
  return out;
}

/** CPU % of one core per thread name between two snapshots, largest first (threads summed by name). */
export function threadBreakdown(before: ThreadTimes, after: ThreadTimes, wallMs: number): [string, number][] {
  const byName = new Map<string, number>();
  for (const [tid, a] of after) {
    const d = a.ms - (before.get(tid)?.ms ?? 0);
    if (d > 0) byName.set(a.name, (byName.get(a.name) ?? 0) + d);
  }
  return [...byName]
    .map(([name, ms]): [string, number] => [name, (ms / wallMs) * 100])
    .sort((x, y) => y[1] - x[1]);
}
