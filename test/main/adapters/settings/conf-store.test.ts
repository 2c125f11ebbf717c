import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings';
import { openConfSettings } from '../../../../src/main/adapters/settings/conf-store';
import { openRecovering } from '../../../../src/main/adapters/settings/open-recovering';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'talkie-conf-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode settings file', () => {
  it('lives in settings.json under the data directory', () => {
    const store = openConfSettings(dir);
    store.update({ provider: 'openai' });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      provider: 'openai',
    });
  });

  it('keeps a malformed settings file aside and starts on defaults with a notice', () => {
    writeFileSync(join(dir, 'settings.json'), '{"voice": "ash",');
    const store = openConfSettings(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatch(/could not be read .*kept as settings\.json\.unreadable-\d+/);
    const aside = readdirSync(dir).find((f) => f.startsWith('settings.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside ?? ''), 'utf8')).toBe('{"voice": "ash",');
  });

  it('keeps the file aside when a migration fails, too', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{}');
    let calls = 0;
    const store = openRecovering(
      path,
      () => {
        calls += 1;
        if (calls === 1) throw new Error('Something went wrong during the migration!');
        return {
          store: {},
          path,
          set: () => undefined,
          onDidAnyChange: () => () => undefined,
        };
      },
      () => 42,
    );
    expect(store.notices[0]).toContain('settings.json.unreadable-42');
    expect(readdirSync(dir)).toContain('settings.json.unreadable-42');
  });
});
