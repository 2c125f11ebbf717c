/**
 * The app's settings through `electron-store` (same file, schema version and migrations as browser
 * mode). electron-store imports `electron`, which throws in plain Node: only src/main/index.ts may
 * import this module.
 */
import ElectronStore from 'electron-store';
import { settingsConfOptions, type ConfLike, type OpenedSettingsStore } from '../../core/settings/store';
import { openRecovering, settingsFile } from './open-recovering';

/** Opens (creating if needed) the settings stored under `dataDir`. Never throws on a bad file. */
export function openElectronSettings(dataDir: string): OpenedSettingsStore {
  const { configName, ...rest } = settingsConfOptions();
  return openRecovering(settingsFile(dataDir), (): ConfLike => {
    // electron-store's types omit projectVersion (it defaults to the app version); ours is the
    // settings schema version, which electron-store passes through to conf unchanged.
    const options = { ...rest, name: configName, cwd: dataDir } as ConstructorParameters<
      typeof ElectronStore
    >[0];
    return new ElectronStore<Record<string, unknown>>(options);
  });
}
