/**
 * Fault plans: the ways real Realtime servers misbehave (FIELD-REPORTS rows 3, 4, 6, 11), switched on per test
 * with `handle.setFaults(plan)` or per connection with the URL query (`?fault=stall`), so an app pointed at the
 * URL gets them too.
 *
 * URL form: `fault=<kind>[*<times>|*always][@<ms>]`, comma-separated or repeated, e.g.
 * `?fault=text-instead-of-audio*2`, `?fault=slow-first-delta@5000`, `?fault=drop*always,session-expired@500`.
 * `text-instead-of-audio-always` is short for `text-instead-of-audio*always`.
 *
 * Responses that make tool calls take `server-error`, `stall` (they stop after the first arguments delta),
 * `drop` (arguments deltas count), `slow-first-delta`, `tool-call-then-fail` and `tool-call-stall`, but never
 * `text-instead-of-audio`; message responses never take the two `tool-call-*` faults.
 */

/** What goes wrong. */
export type FaultKind =
  /**
   * The response stops after `response.content_part.added` (a tool-call response: after its first arguments
   * delta) and never finishes (until cancelled).
   */
  | 'stall'
  /** An audio-requested response streams a text part and `response.output_text.delta`s instead. */
  | 'text-instead-of-audio'
  /** `response.done` with status `failed` and a `server_error`. */
  | 'server-error'
  /** The socket is cut (no close frame) mid-response, after `afterDeltas` deltas. */
  | 'drop'
  /** The first delta comes `ms` late (default 3000). */
  | 'slow-first-delta'
  /** `ms` after the session starts (default 1500): error `session_expired`, then close 1001. */
  | 'session-expired'
  /**
   * A response that makes tool calls streams them in full (`response.output_item.done`, status completed), then
   * ends `failed` with a `server_error`: a client must not run calls from a failed response. Only responses that
   * make calls count.
   */
  | 'tool-call-then-fail'
  /**
   * A response that makes tool calls stops after its first arguments delta and never finishes until cancelled;
   * cancelled, it closes the call as `incomplete` and ends `cancelled`. Only responses that make calls count.
   */
  | 'tool-call-stall';

/** One fault and how often it fires. */
export interface FaultRule {
  kind: FaultKind;
  /**
   * How many times it fires before it is used up: responses for the response faults (for
   * `text-instead-of-audio` only audio-requested ones count), sessions for `session-expired`.
   * Default 1; `'always'` never runs out.
   */
  times?: number | 'always';
  /** Delay for `slow-first-delta` (default 3000) and `session-expired` (default 1500). */
  ms?: number;
  /** `drop`: deltas sent before the cut (default 3). */
  afterDeltas?: number;
  /** `server-error`: error code in `status_details.error.code` (default none). */
  code?: string;
  /** `server-error`: error type (default `server_error`). */
  errorType?: string;
  /** `server-error`: message (default "The server had an error while processing your request."). */
  message?: string;
}

/** A fault plan: kinds (fire once) or rules. An empty plan means a well-behaved server. */
export type FaultPlan = ReadonlyArray<FaultKind | FaultRule>;

export const FAULT_KINDS: readonly FaultKind[] = [
  'stall',
  'text-instead-of-audio',
  'server-error',
  'drop',
  'slow-first-delta',
  'session-expired',
  'tool-call-then-fail',
  'tool-call-stall',
];

/** Default delays and counts, exported so tests and docs agree with the simulator. */
export const FAULT_DEFAULTS = { slowFirstDeltaMs: 3000, sessionExpiredMs: 1500, dropAfterDeltas: 3 } as const;

function isKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/**
 * Parses the `fault` query values of a connection URL. Unknown kinds are reported, not ignored silently.
 */
export function parseFaultQuery(values: readonly string[]): { plan: FaultRule[]; problems: string[] } {
  const plan: FaultRule[] = [];
  const problems: string[] = [];
  for (const item of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+?)(-always)?(?:\*(\d+|always))?(?:@(\d+))?$/.exec(item);
    const kind = match?.[1];
    if (!match || kind === undefined || !isKind(kind)) {
      problems.push(`Unknown fault '${item}'. Known faults: ${FAULT_KINDS.join(', ')}.`);
      continue;
    }
    const rule: FaultRule = { kind };
    if (match[2] || match[3] === 'always') rule.times = 'always';
    else if (match[3] !== undefined) rule.times = Number(match[3]);
    if (match[4] !== undefined) rule.ms = Number(match[4]);
    plan.push(rule);
  }
  return { plan, problems };
}

/** A plan with counters: each rule fires until its `times` are used up. */
export class FaultBook {
  private readonly rules: Array<{ rule: FaultRule; left: number }>;

  constructor(plan: FaultPlan = []) {
    this.rules = plan.map((p) => {
      const rule = typeof p === 'string' ? { kind: p } : { ...p };
      const times = rule.times ?? 1;
      return { rule, left: times === 'always' ? Number.POSITIVE_INFINITY : Math.max(0, times) };
    });
  }

  /** Takes one use of the first live rule of `kind`, if any. */
  take(kind: FaultKind): FaultRule | undefined {
    const entry = this.rules.find((r) => r.rule.kind === kind && r.left > 0);
    if (!entry) return undefined;
    entry.left -= 1;
    return entry.rule;
  }

  /** Whether a rule of `kind` still has uses left (without taking one). */
  has(kind: FaultKind): boolean {
    return this.rules.some((r) => r.rule.kind === kind && r.left > 0);
  }
}
