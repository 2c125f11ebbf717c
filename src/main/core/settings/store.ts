/**
 * The settings store, one code path over `conf` (browser mode, plain Node) and `electron-store` (the
 * app): both expose the same `store` / `set` / `onDidAnyChange`. Validation is ours (zod, from
 * src/shared/settings.ts), not conf's JSON schema, so a bad stored value is repaired to its default
 * with a notice instead of conf throwing or silently clearing the whole file.
 */
import {
  DEFAULT_SETTINGS,
  ENDPOINT_FIELDS,
  SettingsPatchSchema,
  SettingsSchema,
  endpointErrors,
  fieldErrors,
  modeErrors,
  captureKeyErrors,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings';
import { SETTINGS_MIGRATIONS, SETTINGS_SCHEMA_VERSION, type Migration } from './migrations';
import type { SettingsStore, UpdateResult } from './types';

/** The subset of conf / electron-store this module uses (both satisfy it structurally). */
export interface ConfLike {
  /** The whole stored object (conf re-reads the file on each access). */
  readonly store: Record<string, unknown>;
  /** Merge these keys into the stored object and write it atomically. */
  set(values: Record<string, unknown>): void;
  onDidAnyChange(callback: (newValue?: Readonly<Record<string, unknown>>) => void): () => void;
  /** Absolute path of the backing file. */
  readonly path: string;
}

/** Options for `new Conf(...)` / `new ElectronStore(...)` shared by both shells. */
export interface SettingsConfOptions {
  configName: 'settings';
  projectVersion: string;
  migrations: Record<string, Migration>;
  clearInvalidConfig: false;
  accessPropertiesByDotNotation: false;
  configFileMode: number;
}

/** The conf options both adapters pass, so the file name, version and migrations cannot differ. */
export function settingsConfOptions(
  migrations: Readonly<Record<string, Migration>> = SETTINGS_MIGRATIONS,
  projectVersion: string = SETTINGS_SCHEMA_VERSION,
): SettingsConfOptions {
  return {
    configName: 'settings',
    projectVersion,
    migrations: { ...migrations },
    // A malformed file must not be wiped silently: the adapter sets it aside and says so.
    clearInvalidConfig: false,
    // Our keys are flat; dot paths would only let a stray "a.b" key write somewhere unexpected.
    accessPropertiesByDotNotation: false,
    // Settings hold no secrets, but there is no reason for other users to read them.
    configFileMode: 0o600,
  };
}

/** A settings store plus what happened while opening it. */
export interface OpenedSettingsStore extends SettingsStore {
  /** Plain-words notes for the user (e.g. a value reset to its default); empty when none. */
  readonly notices: readonly string[];
  /** Stop listening to the backing store. */
  dispose(): void;
}

type Field = keyof Settings;
const FIELDS = Object.keys(DEFAULT_SETTINGS) as Field[];

/** Shows a stored value in a notice without dumping huge or odd values. */
function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Reads every known field, keeping valid values and repairing the rest to defaults. Unknown keys
 * (e.g. written by a newer version) are left alone on disk and ignored here.
 */
function readRepaired(raw: Readonly<Record<string, unknown>>): {
  settings: Settings;
  repaired: Partial<Settings>;
  notes: string[];
} {
  const settings: Record<string, unknown> = {};
  const repaired: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const field of FIELDS) {
    const fallback = DEFAULT_SETTINGS[field];
    if (!Object.hasOwn(raw, field)) {
      settings[field] = fallback; // new or never-set field: the default, silently
      continue;
    }
    const parsed = SettingsSchema.shape[field].safeParse(raw[field]);
    if (parsed.success) {
      settings[field] = parsed.data;
    } else {
      settings[field] = fallback;
      repaired[field] = fallback;
      const why = parsed.error.issues[0]?.message ?? 'invalid value';
      notes.push(
        `The saved setting "${field}" (${describe(raw[field])}) was not valid (${why}), so it was reset to ${describe(fallback)}.`,
      );
    }
  }
  repairModes(settings as Settings, repaired, notes);
  // Every field is now valid on its own; parsing the whole object keeps the type honest.
  return { settings: SettingsSchema.parse(settings), repaired: repaired as Partial<Settings>, notes };
}

/** Modes valid one by one may still not fit the rest: a chosen mode that is gone, a key taken twice. */
function repairModes(settings: Settings, repaired: Record<string, unknown>, notes: string[]): void {
  const first = settings.modes[0];
  if (first && !settings.modes.some((mode) => mode.id === settings.modeId)) {
    notes.push(`The chosen mode "${settings.modeId}" no longer exists, so "${first.name}" is chosen.`);
    settings.modeId = repaired.modeId = first.id;
  }
  const main = settings.hotkey.toLowerCase();
  if (settings.modes.some((mode) => mode.hotkey?.toLowerCase() === main)) {
    settings.modes = settings.modes.map((mode) => {
      if (mode.hotkey?.toLowerCase() !== main) return mode;
      notes.push(
        `The mode "${mode.name}" used the push-to-talk key ${settings.hotkey}, so its own key was removed.`,
      );
      return { ...mode, hotkey: null };
    });
    repaired.modes = settings.modes;
  }
}

/** Builds the settings store over an opened conf / electron-store instance. */
export function createSettingsStore(
  backing: ConfLike,
  openingNotices: readonly string[] = [],
): OpenedSettingsStore {
  const notices = [...openingNotices];
  const listeners = new Set<(settings: Settings) => void>();

  const first = readRepaired(backing.store);
  let current = first.settings;
  notices.push(...first.notes);
  if (Object.keys(first.repaired).length > 0) {
    try {
      backing.set(first.repaired);
    } catch (error) {
      notices.push(`Repaired settings could not be saved: ${(error as Error).message}`);
    }
  }

  const emit = (): void => {
    for (const listener of listeners) listener(current);
  };

  // Writes from this process and (if the backing watches its file) from outside both land here.
  const unsubscribe = backing.onDidAnyChange((next) => {
    if (!next) return;
    const { settings } = readRepaired(next);
    if (JSON.stringify(settings) === JSON.stringify(current)) return;
    current = settings;
    emit();
  });

  return {
    notices,
    get: () => current,
    update(patch: SettingsPatch): UpdateResult {
      const parsed = SettingsPatchSchema.safeParse(patch);
      if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
      const changes: SettingsPatch = Object.fromEntries(
        Object.entries(parsed.data).filter(([, v]) => v !== undefined),
      );
      if (Object.keys(changes).length === 0) return { ok: true, settings: current };
      // Deleting the chosen mode chooses the first one left, rather than refusing the delete.
      const modes = changes.modes;
      if (modes?.[0] && changes.modeId === undefined && !modes.some((m) => m.id === current.modeId))
        changes.modeId = modes[0].id;
      if ('modes' in changes || 'modeId' in changes || 'hotkey' in changes) {
        const wrong = modeErrors({ ...current, ...changes });
        if (Object.keys(wrong).length > 0) return { ok: false, errors: wrong };
      }
      if (['modes', 'hotkey', 'captureHotkey', 'talkCaptureModifier'].some((field) => field in changes)) {
        const wrong = captureKeyErrors({ ...current, ...changes });
        if (Object.keys(wrong).length > 0) return { ok: false, errors: wrong };
      }
      // A change of where to connect must leave the chosen provider usable (the window checks the same).
      if (ENDPOINT_FIELDS.some((field) => field in changes)) {
        const missing = endpointErrors({ ...current, ...changes });
        if (Object.keys(missing).length > 0) return { ok: false, errors: missing };
      }
      try {
        backing.set(changes);
      } catch (error) {
        return { ok: false, errors: { _: `Could not save settings: ${(error as Error).message}` } };
      }
      const next = SettingsSchema.parse({ ...current, ...changes });
      if (JSON.stringify(next) !== JSON.stringify(current)) {
        current = next;
        emit();
      }
      return { ok: true, settings: current };
    },
    onChange(listener: (settings: Settings) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose(): void {
      unsubscribe();
      listeners.clear();
    },
  };
}
