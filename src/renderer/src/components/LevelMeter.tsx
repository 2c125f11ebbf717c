/** A horizontal level bar for a dBFS value (null = silent / not running). */
import type { ReactElement } from 'react';
import { levelFraction } from '../model/format';

export interface LevelMeterProps {
  label: string;
  db: number | null;
  className?: string;
}

/** Exposed as an ARIA meter; the bar width is set through CSSOM (allowed by the CSP). */
export function LevelMeter({ label, db, className }: LevelMeterProps): ReactElement {
  const fraction = levelFraction(db);
  return (
    <div
      className={`level-meter ${className ?? ''}`}
      role="meter"
      aria-label={label}
      aria-valuemin={-60}
      aria-valuemax={0}
      aria-valuenow={db === null ? -60 : Math.round(Math.max(-60, Math.min(0, db)))}
    >
      <div className="level-meter-fill" style={{ transform: `scaleX(${fraction})` }} />
    </div>
  );
}
