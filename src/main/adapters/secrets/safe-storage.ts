/**
 * The app's key store: the key encrypted with Electron's safeStorage (Keychain, DPAPI, or the Linux
 * secret service) in its own file. safeStorage is passed in, so this module never imports electron
 * at runtime and is tested in plain Node.
 */
import type { SettingsStore } from '../../core/settings/types';
import { createFileSecrets, type OpenedSecretStore } from './file-secrets';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded password, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

/** True when safeStorage really protects data (not Linux's hard-coded-password fallback). */
export function encryptionUsable(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

/**
 * Opens the key file. Call after `app.whenReady()`: before that safeStorage cannot tell whether a
 * keyring exists.
 */
export function createSafeStorageSecrets(
  safeStorage: SafeStorageLike,
  file: string,
  settings: SettingsStore,
  platform: NodeJS.Platform = process.platform,
): OpenedSecretStore {
  const cipher = encryptionUsable(safeStorage, platform)
    ? {
        encrypt: (plain: string): Buffer => safeStorage.encryptString(plain),
        decrypt: (encrypted: Buffer): string => safeStorage.decryptString(encrypted),
      }
    : null;
  return createFileSecrets({ file, settings, cipher });
}
