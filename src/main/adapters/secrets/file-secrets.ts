/**
 * The API key in its own small file under the data directory (never in settings.json): encrypted
 * when a cipher is available, plain text only with the user's explicit consent, otherwise kept in
 * memory for this session only. Nothing here logs, and errors never carry the key.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { SettingsStore, KeyStatus, SecretStore } from '../../core/settings/types';

/** Encrypts/decrypts the key (Electron's safeStorage, in the app). */
export interface KeyCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** What is written to the key file. */
type KeyFile = { v: 1; storage: 'encrypted'; data: string } | { v: 1; storage: 'plaintext'; key: string };

/** Where the key file lives, where consent is remembered, and how (if at all) to encrypt. */
export interface FileSecretsOptions {
  /** The key file (e.g. `<dataDir>/api-key.json`). */
  file: string;
  /** Where the consent to plain-text storage is remembered (`allowPlaintextKey`). */
  settings: SettingsStore;
  /** Null where the OS offers no encryption: then only session or (consented) plain-text storage. */
  cipher: KeyCipher | null;
}

/** A secret store plus plain-words notes from loading it (e.g. a key that could not be decrypted). */
export interface OpenedSecretStore extends SecretStore {
  readonly notices: readonly string[];
}

/** Writes the file readable by its owner only, atomically, so a crash never leaves half a key. */
function writePrivate(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
}

function parseKeyFile(text: string): KeyFile | null {
  try {
    const value = JSON.parse(text) as Partial<KeyFile> | null;
    if (value?.v !== 1) return null;
    if (value.storage === 'encrypted' && typeof value.data === 'string') return value as KeyFile;
    if (value.storage === 'plaintext' && typeof value.key === 'string') return value as KeyFile;
  } catch {
    // Not JSON: treated as unreadable below (the message must not quote the content).
  }
  return null;
}

/** Opens the key store over `file`. Never throws on a damaged file: it reports and keeps the file. */
export function createFileSecrets({ file, settings, cipher }: FileSecretsOptions): OpenedSecretStore {
  const notices: string[] = [];
  let key: string | null = null;
  let storage: KeyStatus['storage'] = 'none';

  if (existsSync(file)) {
    const saved = parseKeyFile(readFileSync(file, 'utf8'));
    if (!saved) {
      notices.push('The saved API key file could not be read. Paste your key again in Settings.');
    } else if (saved.storage === 'plaintext') {
      key = saved.key;
      storage = 'plaintext';
    } else if (!cipher) {
      notices.push(
        'The saved API key is encrypted, but the system keyring is not available now. Paste your key again or unlock the keyring.',
      );
    } else {
      try {
        key = cipher.decrypt(Buffer.from(saved.data, 'base64'));
        storage = 'encrypted';
      } catch {
        notices.push(
          'The saved API key could not be decrypted (the system keyring may have changed). Paste your key again in Settings.',
        );
      }
    }
  }

  const status = (): KeyStatus => ({
    saved: key !== null,
    storage: key === null ? 'none' : storage,
    encryptionAvailable: cipher !== null,
  });

  return {
    notices,
    getApiKey: () => key,
    status,
    setApiKey(next: string, options?: { acceptPlaintext?: boolean }): KeyStatus {
      const trimmed = next.trim();
      if (trimmed === '') throw new Error('The API key is empty.');
      let encrypted: string | null = null;
      try {
        encrypted = cipher ? cipher.encrypt(trimmed).toString('base64') : null;
      } catch {
        // The keyring refused (e.g. locked): fall through to the no-encryption rules below.
      }
      if (encrypted !== null) {
        writePrivate(file, JSON.stringify({ v: 1, storage: 'encrypted', data: encrypted } satisfies KeyFile));
        storage = 'encrypted';
      } else if (options?.acceptPlaintext === true || settings.get().allowPlaintextKey) {
        if (options?.acceptPlaintext === true && !settings.get().allowPlaintextKey) {
          settings.update({ allowPlaintextKey: true });
        }
        writePrivate(file, JSON.stringify({ v: 1, storage: 'plaintext', key: trimmed } satisfies KeyFile));
        storage = 'plaintext';
      } else {
        // No encryption and no consent: a key from an earlier session must not outlive this one.
        rmSync(file, { force: true });
        storage = 'session';
      }
      key = trimmed;
      return status();
    },
    clear(): KeyStatus {
      rmSync(file, { force: true });
      key = null;
      storage = 'none';
      return status();
    },
  };
}
