import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionSecrets } from '../../../../src/main/adapters/secrets/session-secrets';
import { KEY, filesContaining, settingsIn } from './helpers';

let dir: string;
const keyFile = (): string => join(dir, 'api-key.json');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'talkie-session-secrets-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode API key', () => {
  it('keeps the key in memory for this run only by default', () => {
    const secrets = createSessionSecrets(keyFile(), settingsIn(dir));
    expect(secrets.setApiKey(KEY)).toEqual({ saved: true, storage: 'session', encryptionAvailable: false });
    expect(secrets.getApiKey()).toBe(KEY);
    expect(filesContaining(dir, KEY)).toEqual([]);
    expect(createSessionSecrets(keyFile(), settingsIn(dir)).getApiKey()).toBeNull();
  });

  it('writes an owner-only file only after the user accepts plain-text storage', () => {
    const secrets = createSessionSecrets(keyFile(), settingsIn(dir));
    expect(secrets.setApiKey(KEY, { acceptPlaintext: true }).storage).toBe('plaintext');
    if (process.platform !== 'win32') expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(createSessionSecrets(keyFile(), settingsIn(dir)).getApiKey()).toBe(KEY);
  });

  it('removes the stored key on clear', () => {
    const secrets = createSessionSecrets(keyFile(), settingsIn(dir));
    secrets.setApiKey(KEY, { acceptPlaintext: true });
    expect(secrets.clear()).toEqual({ saved: false, storage: 'none', encryptionAvailable: false });
    expect(existsSync(keyFile())).toBe(false);
  });

  it('refuses an empty key with a plain message that quotes nothing', () => {
    const secrets = createSessionSecrets(keyFile(), settingsIn(dir));
    expect(() => secrets.setApiKey('   ')).toThrow('The API key is empty.');
    expect(secrets.status().saved).toBe(false);
  });

  it('never writes the key to the console', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    const secrets = createSessionSecrets(keyFile(), settingsIn(dir));
    secrets.setApiKey(KEY, { acceptPlaintext: true });
    secrets.getApiKey();
    createSessionSecrets(keyFile(), settingsIn(dir)).getApiKey();
    const printed = spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
    expect(printed).not.toContain(KEY);
  });
});
