/**
 * Live input/output levels (≤ 30 a second), kept out of the app state so only the meters re-render.
 */
import { useEffect, useState } from 'react';
import type { Levels } from '../../../shared/types';
import { getBridge } from '../bridge';

const SILENT: Levels = { input: null, output: null };

/** The latest levels from main. */
export function useLevels(): Levels {
  const [levels, setLevels] = useState<Levels>(SILENT);
  useEffect(() => getBridge().on('levels', setLevels), []);
  return levels;
}
