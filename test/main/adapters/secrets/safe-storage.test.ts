import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSafeStorageSecrets,
  type SafeStorageLike,
} from '../../../../src/main/adapters/secrets/safe-storage';
import { KEY, filesContaining, settingsIn } from './helpers';

/**
 * Stands in for Electron's safeStorage (no binary here): a reversible byte scramble with a marker,
 * so a test can tell ciphertext from plaintext and a wrong "keyring" fails to decrypt.
 */
function fakeSafeStorage(
  opts: { available?: boolean; backend?: string; secret?: number } = {},
): SafeStorageLike & {
  encryptString: ReturnType<typeof vi.fn>;
} {
  const secret = opts.secret ?? 0x5a;
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: vi.fn((plain: string) =>
      Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ secret)]),
    ),
    decryptString: (enc: Buffer) => {
      if (enc.subarray(0, 3).toString() !== 'v10')
        throw new Error('Error while decrypting the ciphertext provided');
      const plain = Buffer.from(enc.subarray(3).map((b) => b ^ secret)).toString();
      if (!/^[\x20-\x7e]+$/.test(plain)) throw new Error('Error while decrypting the ciphertext provided');
      return plain;
    },
  };
}

let dir: string;
const keyFile = (): string => join(dir, 'api-key.json');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'talkie-secrets-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('API key with an OS keyring', () => {
  it('encrypts the key through safeStorage and never writes it in plain text', () => {
    const safe = fakeSafeStorage();
    const secrets = createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux');
    const status = secrets.setApiKey(KEY);
    expect(safe.encryptString).toHaveBeenCalledWith(KEY);
    expect(status).toEqual({ saved: true, storage: 'encrypted', encryptionAvailable: true });
    expect(existsSync(keyFile())).toBe(true);
    expect(filesContaining(dir, KEY)).toEqual([]);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('sk-');
    if (process.platform !== 'win32') expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
  });

  it('gives the key back after a restart', () => {
    const safe = fakeSafeStorage();
    createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux').setApiKey(`  ${KEY}\n`);
    const reopened = createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux');
    expect(reopened.getApiKey()).toBe(KEY);
    expect(reopened.status()).toEqual({ saved: true, storage: 'encrypted', encryptionAvailable: true });
  });

  it('keeps only status (never the key) in what it reports to the window', () => {
    const secrets = createSafeStorageSecrets(fakeSafeStorage(), keyFile(), settingsIn(dir), 'linux');
    const reported = [secrets.setApiKey(KEY), secrets.status(), secrets.notices];
    expect(JSON.stringify(reported)).not.toContain(KEY);
  });

  it('says so and keeps the file when the key cannot be decrypted any more', () => {
    createSafeStorageSecrets(fakeSafeStorage({ secret: 1 }), keyFile(), settingsIn(dir), 'linux').setApiKey(
      KEY,
    );
    const before = readFileSync(keyFile(), 'utf8');
    const reopened = createSafeStorageSecrets(
      fakeSafeStorage({ secret: 0x80 }),
      keyFile(),
      settingsIn(dir),
      'linux',
    );
    expect(reopened.getApiKey()).toBeNull();
    expect(reopened.status().saved).toBe(false);
    expect(reopened.notices[0]).toMatch(/could not be decrypted/);
    expect(readFileSync(keyFile(), 'utf8')).toBe(before);
  });

  it('reports an unreadable key file without crashing', () => {
    writeFileSync(keyFile(), 'garbage');
    const secrets = createSafeStorageSecrets(fakeSafeStorage(), keyFile(), settingsIn(dir), 'linux');
    expect(secrets.getApiKey()).toBeNull();
    expect(secrets.notices[0]).toMatch(/could not be read/);
  });

  it('forgets the key and deletes its file on clear', () => {
    const secrets = createSafeStorageSecrets(fakeSafeStorage(), keyFile(), settingsIn(dir), 'linux');
    secrets.setApiKey(KEY);
    expect(secrets.clear()).toEqual({ saved: false, storage: 'none', encryptionAvailable: true });
    expect(secrets.getApiKey()).toBeNull();
    expect(existsSync(keyFile())).toBe(false);
  });
});

describe('API key without a usable keyring', () => {
  it.each([
    ['no encryption at all', { available: false }],
    ["Linux's basic_text backend (a hard-coded password)", { backend: 'basic_text' }],
  ])('keeps the key for this session only with %s', (_label, opts) => {
    const safe = fakeSafeStorage(opts);
    const secrets = createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux');
    expect(secrets.status().encryptionAvailable).toBe(false);
    expect(secrets.setApiKey(KEY)).toEqual({ saved: true, storage: 'session', encryptionAvailable: false });
    expect(secrets.getApiKey()).toBe(KEY);
    expect(safe.encryptString).not.toHaveBeenCalled();
    expect(filesContaining(dir, KEY)).toEqual([]);
    // Next launch: gone.
    expect(createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux').getApiKey()).toBeNull();
  });

  it('stores it in an owner-only plain file after explicit consent, and remembers the consent', () => {
    const safe = fakeSafeStorage({ available: false });
    const settings = settingsIn(dir);
    const secrets = createSafeStorageSecrets(safe, keyFile(), settings, 'linux');
    expect(secrets.setApiKey(KEY, { acceptPlaintext: true })).toEqual({
      saved: true,
      storage: 'plaintext',
      encryptionAvailable: false,
    });
    expect(settings.get().allowPlaintextKey).toBe(true);
    expect(filesContaining(dir, KEY)).toEqual(['api-key.json']);
    if (process.platform !== 'win32') expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const reopened = createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux');
    expect(reopened.getApiKey()).toBe(KEY);
    expect(reopened.status().storage).toBe('plaintext');
    // The remembered consent covers the next key too.
    expect(reopened.setApiKey(`${KEY}-2`).storage).toBe('plaintext');
  });

  it('keeps the key for this session when the keyring refuses to encrypt (e.g. locked)', () => {
    const safe = fakeSafeStorage();
    safe.encryptString.mockImplementation(() => {
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString.');
    });
    const secrets = createSafeStorageSecrets(safe, keyFile(), settingsIn(dir), 'linux');
    expect(secrets.setApiKey(KEY).storage).toBe('session');
    expect(secrets.getApiKey()).toBe(KEY);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('does not treat basic_text as a problem on other platforms', () => {
    const secrets = createSafeStorageSecrets(
      fakeSafeStorage({ backend: 'basic_text' }),
      keyFile(),
      settingsIn(dir),
      'darwin',
    );
    expect(secrets.setApiKey(KEY).storage).toBe('encrypted');
  });
});

describe('logging', () => {
  it('never writes the key to the console while storing, reading or failing', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    const secrets = createSafeStorageSecrets(fakeSafeStorage(), keyFile(), settingsIn(dir), 'linux');
    secrets.setApiKey(KEY);
    secrets.getApiKey();
    createSafeStorageSecrets(fakeSafeStorage({ secret: 3 }), keyFile(), settingsIn(dir), 'linux');
    createSafeStorageSecrets(
      fakeSafeStorage({ available: false }),
      keyFile(),
      settingsIn(dir),
      'linux',
    ).setApiKey(KEY);
    const printed = spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
    expect(printed).not.toContain(KEY);
    expect(printed).not.toContain(KEY.slice(3, 20));
  });
});
