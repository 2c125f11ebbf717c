/**
 * Settings file versioning. The version is the settings *schema* version, not the app's: both `conf`
 * and `electron-store` get it as `projectVersion`, so an app update that leaves the schema alone runs
 * no migration. Migrations see the raw stored object (no defaults filled in) and may rename or
 * reshape keys; the store repairs whatever is still invalid afterwards.
 */

import { DEFAULT_MODES } from '../../../shared/settings';

/** The schema version written next to the settings (conf keeps it under `__internal__`). */
export const SETTINGS_SCHEMA_VERSION = '0.2.0';

/** The part of conf/electron-store a migration may touch. */
export interface MigrationTarget {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  delete(key: string): void;
}

/** Reshapes the raw stored object from the previous schema version to its own. */
export type Migration = (store: MigrationTarget) => void;

/**
 * Version → migration. `0.1.0` is the baseline: files written before versioning existed are taken
 * as they are (the store repairs invalid fields), and the file is stamped so later migrations know
 * where they start from.
 */
export const SETTINGS_MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0.1.0': () => {
    // Baseline: nothing to reshape yet.
  },
  // Modes arrive: a file from before them keeps every setting and gets the example modes, "Default" chosen.
  '0.2.0': (store) => {
    if (!store.has('modes'))
      store.set(
        'modes',
        DEFAULT_MODES.map((mode) => ({ ...mode })),
      );
    if (!store.has('modeId')) store.set('modeId', DEFAULT_MODES[0]?.id ?? 'default');
  },
});
