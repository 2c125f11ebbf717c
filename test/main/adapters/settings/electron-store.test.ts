import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Adapter from '../../../../src/main/adapters/settings/electron-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA_VERSION } from '../../../../src/main/core/settings/migrations';

// electron-store imports `electron`. In plain Node that package only exports the binary's path and
// throws when no binary was downloaded, unless ELECTRON_OVERRIDE_DIST_PATH names one. With it set,
// the real electron-store loads here; our adapter passes cwd and version itself, so it needs
// nothing else from Electron (electron-store is external to vitest, so vi.mock cannot reach it).
async function importAdapter(): Promise<typeof Adapter> {
  const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  process.env.ELECTRON_OVERRIDE_DIST_PATH = join(tmpdir(), 'no-electron-here');
  try {
    return await import('../../../../src/main/adapters/settings/electron-store');
  } finally {
    if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'talkie-estore-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('app settings through electron-store', () => {
  it('uses the same file and schema version as browser mode, not the app version', async () => {
    const { openElectronSettings } = await importAdapter();
    const { openConfSettings } = await import('../../../../src/main/adapters/settings/conf-store');
    const store = openElectronSettings(dir);
    expect(store.update({ voice: 'echo' }).ok).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({
      voice: 'echo',
      __internal__: { migrations: { version: SETTINGS_SCHEMA_VERSION } },
    });
    // Browser mode opens what the app wrote.
    expect(openConfSettings(dir).get().voice).toBe('echo');
  });
});
