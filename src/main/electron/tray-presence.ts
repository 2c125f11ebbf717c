/**
 * What the app does without a system tray (Linux desktops such as GNOME without the AppIndicator
 * extension): a window hidden to a tray that is not there could never be shown again, so closing
 * quits and "start hidden" shows the window, and the user is told why once.
 */
import type { TrayPresence } from '../adapters/tray/status-notifier';

/** Close-to-tray and start-hidden as they apply here, and the notice to show (or null). */
export interface TrayPolicy {
  closeToTray(setting: boolean): boolean;
  startHidden(requested: boolean): boolean;
  notice: string | null;
}

/** The policy for a detected tray presence; "unknown" keeps the settings (a tray may well be there). */
export function trayPolicy(presence: TrayPresence): TrayPolicy {
  if (presence.kind !== 'absent') return { closeToTray: (s) => s, startHidden: (r) => r, notice: null };
  return {
    closeToTray: () => false,
    startHidden: () => false,
    notice:
      `No system tray on this desktop (${presence.reason}): closing the window quits Talkie, and it does not start ` +
      'hidden. On GNOME, the AppIndicator extension adds a tray.',
  };
}
