/** The current time, refreshed every `intervalMs` while `active` (for countdowns). */
import { useEffect, useState } from 'react';

/** Re-renders the caller on a timer only while it needs a ticking clock. */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = (): void => setNow(Date.now());
    // First tick right away (the value from mount may be stale), then every interval.
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, intervalMs);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [active, intervalMs]);
  return now;
}
