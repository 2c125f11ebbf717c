/**
 * Opening a settings file that cannot be read (malformed JSON, a failed migration) must neither crash
 * the app nor wipe the user's file: the file is set aside next to itself and the app starts on
 * defaults, with a notice saying where the old file went.
 */
import { existsSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createSettingsStore, type ConfLike, type OpenedSettingsStore } from '../../core/settings/store';
import { errorMessage } from '../../../shared/error-message';

/** Runs `open`; if it throws, moves `file` aside and opens again once. */
export function openRecovering(
  file: string,
  open: () => ConfLike,
  now: () => number = Date.now,
): OpenedSettingsStore {
  try {
    return createSettingsStore(open());
  } catch (error) {
    if (!existsSync(file)) throw error;
    const aside = `${file}.unreadable-${now()}`;
    renameSync(file, aside);
    const why = errorMessage(error).split('\n')[0];
    const notice = `Your settings file could not be read (${why}). It was kept as ${basename(aside)} and default settings are in use.`;
    return createSettingsStore(open(), [notice]);
  }
}

/** The settings file both shells use under a data directory. */
export const settingsFile = (dataDir: string): string => join(dataDir, 'settings.json');
