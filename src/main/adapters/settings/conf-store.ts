/** Browser mode (plain Node): settings in `<dataDir>/settings.json` through `conf`. */
import Conf from 'conf';
import { settingsConfOptions, type ConfLike, type OpenedSettingsStore } from '../../core/settings/store';
import { openRecovering, settingsFile } from './open-recovering';

/** Opens (creating if needed) the settings stored under `dataDir`. Never throws on a bad file. */
export function openConfSettings(dataDir: string): OpenedSettingsStore {
  return openRecovering(
    settingsFile(dataDir),
    (): ConfLike => new Conf<Record<string, unknown>>({ ...settingsConfOptions(), cwd: dataDir }),
  );
}
