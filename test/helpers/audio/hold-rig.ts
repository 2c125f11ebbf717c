import { afterAll, beforeAll } from 'vitest';
import { acquireRigLock } from './rig';

/**
 * Holds the rig's cross-process lock for the whole of the calling describe block (vitest only: the Playwright
 * specs take the lock themselves). Call it first in the block, so the lock is held before any device opens.
 */
export function holdRigLock(): void {
  let release: () => void = () => undefined;
  beforeAll(async () => {
    release = await acquireRigLock();
  }, 200_000);
  afterAll(() => release());
}
