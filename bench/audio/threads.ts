/**
 * Per-thread CPU time of this process (Linux /proc/self/task), so the benchmark can say where its CPU goes: the
 * JavaScript thread, libuv's pool, PortAudio's callback threads, libpulse's threads.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build Node supports

export type ThreadTimes = Map<string, { name: string; ms: number; switches: number }>;

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
      // Context switches say how often the thread woke: on a VM each wake-up is most of the cost.
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      const switches = [...status.matchAll(/ctxt_switches:\s+(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      out.set(tid, { name: `${label}#${tid}`, ms: (ticks * 1000) / TICKS_PER_SECOND, switches });
    } catch {
      // the thread ended between readdir and read
    }
  }
  return out;
}

/** Per thread between two snapshots, largest CPU first: CPU % of one core and wake-ups (context switches) per second. */
export function threadBreakdown(
  before: ThreadTimes,
  after: ThreadTimes,
  wallMs: number,
): { name: string; pct: number; wakeups: number }[] {
  const out: { name: string; pct: number; wakeups: number }[] = [];
  for (const [tid, a] of after) {
    const b = before.get(tid);
    const ms = a.ms - (b?.ms ?? 0);
    const switches = a.switches - (b?.switches ?? 0);
    if (ms > 0 || switches > 0)
      out.push({ name: a.name, pct: (ms / wallMs) * 100, wakeups: (switches * 1000) / wallMs });
  }
  return out.sort((x, y) => y.pct - x.pct);
}
