/**
 * Browser mode's key store (plain Node, no OS keyring): the key stays in memory for this run unless
 * the user explicitly accepts plain-text storage, then it goes to a file readable by its owner only.
 */
import type { SettingsStore } from '../../core/settings/types';
import { createFileSecrets, type OpenedSecretStore } from './file-secrets';

/** Opens the browser-mode key store; `file` is used only after the user consents to plain text. */
export function createSessionSecrets(file: string, settings: SettingsStore): OpenedSecretStore {
  return createFileSecrets({ file, settings, cipher: null });
}
