/**
 * Browser mode's settings and key stores: the same settings module as the app (over `conf` instead
 * of `electron-store`), and a key store that keeps the key for this run only unless the user
 * explicitly accepts plain-text storage (plain Node has no OS keyring).
 */
import { join } from 'node:path';
import { createSessionSecrets } from '../adapters/secrets/session-secrets';
import { openConfSettings } from '../adapters/settings/conf-store';
import type { SecretStore, SettingsStore } from '../core/settings/types';

export interface Stores {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Plain words about anything repaired while opening (shown as notices). */
  notices: string[];
}

export function openBrowserModeStores(dataDir: string): Stores {
  const settings = openConfSettings(dataDir);
  const secrets = createSessionSecrets(join(dataDir, 'browser-mode-key.txt'), settings);
  return { settings, secrets, notices: [...settings.notices, ...secrets.notices] };
}
