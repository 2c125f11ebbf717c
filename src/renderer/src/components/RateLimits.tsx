/**
 * What is left of the server's rate limits (its latest `rate_limits.updated`): a small gauge per limit, and a
 * warning in words when one runs low, so a failing turn is no surprise.
 */
import type { ReactElement } from 'react';
import type { RateLimitView } from '../../../shared/types';

/** Below this share of a limit left, the gauge turns into a warning. */
export const LOW_SHARE = 0.2;

/** "900 of 50,000 tokens left" */
export function rateLimitWords(limit: RateLimitView): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${n(limit.remaining)} of ${n(limit.limit)} ${limit.name} left`;
}

/** Whether a limit is nearly used up. */
export const isLow = (limit: RateLimitView): boolean =>
  limit.limit > 0 && limit.remaining / limit.limit < LOW_SHARE;

export function RateLimits({
  limits,
}: {
  limits: readonly RateLimitView[] | undefined;
}): ReactElement | null {
  if (!limits || limits.length === 0) return null;
  const low = limits.filter(isLow);
  return (
    <div className="rate-limits">
      {limits.map((limit) => (
        <span key={limit.name} className="rate-limit" title={`Rate limit: ${rateLimitWords(limit)}`}>
          <meter
            aria-label={`Rate limit: ${limit.name}`}
            min={0}
            max={limit.limit}
            low={limit.limit * LOW_SHARE}
            optimum={limit.limit}
            value={limit.remaining}
          />
        </span>
      ))}
      {low.map((limit) => (
        <span key={`low-${limit.name}`} role="status" className="badge badge-warning">
          Rate limit low: {rateLimitWords(limit)}
          {limit.resetSeconds > 0 ? ` (resets in ${Math.ceil(limit.resetSeconds)} s)` : ''}
        </span>
      ))}
    </div>
  );
}
