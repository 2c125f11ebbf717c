/**
 * Settings and secrets seams. One settings module serves both shells: `conf` (plain Node, browser
 * mode) and `electron-store` (the app) share the same API, so the same code runs over either.
 */
import type { FieldErrors, Settings, SettingsPatch } from '../../../shared/settings';
import type { KeyStorage } from '../../../shared/types';

/** The outcome of `SettingsStore.update`: the new settings, or a message per invalid field. */
export type UpdateResult = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

/** The user's settings, validated and persisted (conf in browser mode, electron-store in the app). */
export interface SettingsStore {
  get(): Settings;
  /** Validates the patch (messages per field); nothing is written when any field is invalid. */
  update(patch: SettingsPatch): UpdateResult;
  onChange(listener: (settings: Settings) => void): () => void;
}

/** How the API key is kept, as shown to the user (never the key itself). */
export interface KeyStatus {
  saved: boolean;
  storage: KeyStorage;
  /** False where the OS offers no encryption (no keyring, browser mode). */
  encryptionAvailable: boolean;
}

/** The API key lives here and in the socket's headers; never in the renderer, never in logs. */
export interface SecretStore {
  getApiKey(): string | null;
  /**
   * Stores the key encrypted where the OS can; otherwise keeps it for this session only, unless
   * `acceptPlaintext` is true (explicit user consent to weaker storage).
   */
  setApiKey(key: string, options?: { acceptPlaintext?: boolean }): KeyStatus;
  clear(): KeyStatus;
  status(): KeyStatus;
}
