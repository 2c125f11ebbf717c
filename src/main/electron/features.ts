/**
 * Chromium features Talkie needs switched on before Electron is ready. GlobalShortcutsPortal makes
 * Electron's globalShortcut go through the desktop portal on Wayland (Electron 35+); without it
 * globalShortcut sees nothing there.
 */
import type { CommandLine } from 'electron';

/** The features Talkie enables. */
export const TALKIE_FEATURES: readonly string[] = ['GlobalShortcutsPortal'];

/**
 * Adds `features` to --enable-features, keeping whatever was already enabled (a user's own
 * `--enable-features=…` or another module's): the switch holds one list, so appending a second
 * switch would replace the first. Must run before the app's 'ready'.
 */
export function enableFeatures(
  commandLine: Pick<CommandLine, 'appendSwitch' | 'getSwitchValue' | 'hasSwitch'>,
  features: readonly string[] = TALKIE_FEATURES,
): string {
  const existing = commandLine.hasSwitch('enable-features')
    ? commandLine
        .getSwitchValue('enable-features')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : [];
  const merged = [...existing];
  for (const feature of features) if (!merged.includes(feature)) merged.push(feature);
  const value = merged.join(',');
  commandLine.appendSwitch('enable-features', value);
  return value;
}
