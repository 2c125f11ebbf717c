/**
 * The tray icon: an image and tooltip per state, and a menu to show the window, start/stop
 * talking, choose how the next reply comes back and the mode, open Settings, and quit.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { ReplyAs } from '../../shared/types';
import type { TrayState, TrayView } from './tray-state';

/** What the menu items do; wired to commands in src/main/index.ts. */
export interface TrayActions {
  show(): void;
  /** talk.toggle with source 'tray'. */
  toggleTalk(): void;
  /** turn.setNext with only replyAs changed. */
  setReplyAs(replyAs: ReplyAs): void;
  /** settings.update choosing this mode. */
  chooseMode(modeId: string): void;
  /** Show the window and ask it to open Settings (the 'navigate' event). */
  openSettings(): void;
  /** Show the window and ask it to start Capture screen (its picker; nothing is sent before the user sees it). */
  captureScreen(): void;
  quit(): void;
}

/** The icon file for a state (`<state>.png`; Electron picks `<state>@2x.png` on HiDPI itself). */
export function trayIconPath(iconDir: string, state: TrayState): string {
  return join(iconDir, `${state}.png`);
}

/** The menu for a view (pure: the test reads it like a table). */
export function trayMenuTemplate(view: TrayView, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'show', label: 'Show Talkie', click: () => actions.show() },
    {
      id: 'talk',
      label: view.listening ? 'Send (stop talking)' : 'Start talking',
      enabled: view.state !== 'offline',
      click: () => actions.toggleTalk(),
    },
    {
      id: 'reply-as',
      label: 'Reply as',
      submenu: [
        {
          id: 'reply-voice',
          label: 'Voice',
          type: 'radio',
          checked: view.replyAs === 'voice',
          click: () => actions.setReplyAs('voice'),
        },
        {
          id: 'reply-text',
          label: 'Text',
          type: 'radio',
          checked: view.replyAs === 'text',
          click: () => actions.setReplyAs('text'),
        },
      ],
    },
    ...(view.modes.length > 0
      ? [
          {
            id: 'mode',
            label: 'Mode',
            submenu: view.modes.map((mode): MenuItemConstructorOptions => ({
              id: `mode-${mode.id}`,
              label: mode.name,
              type: 'radio',
              checked: view.modeId === mode.id,
              click: () => actions.chooseMode(mode.id),
            })),
          },
        ]
      : []),
    { type: 'separator' },
    { id: 'capture', label: 'Capture screen…', click: () => actions.captureScreen() },
    { id: 'settings', label: 'Settings…', click: () => actions.openSettings() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Talkie', click: () => actions.quit() },
  ];
}

/** The live tray icon. */
export interface TrayController {
  update(view: TrayView): void;
  /** What the icon shows now (for the end-to-end test hook). */
  shown(): { state: TrayState; tooltip: string; destroyed: boolean };
  destroy(): void;
}

/** Creates the tray icon (call after app ready). */
export function createTray(iconDir: string, initial: TrayView, actions: TrayActions): TrayController {
  const tray = new Tray(nativeImage.createFromPath(trayIconPath(iconDir, initial.state)));
  let shown: TrayView | null = null;
  const update = (view: TrayView): void => {
    if (shown?.state !== view.state)
      tray.setImage(nativeImage.createFromPath(trayIconPath(iconDir, view.state)));
    if (shown?.tooltip !== view.tooltip) tray.setToolTip(view.tooltip);
    // Rebuilt only when the labels or radio state change: Linux trays redraw the whole menu.
    if (
      shown?.listening !== view.listening ||
      shown?.replyAs !== view.replyAs ||
      shown.modeId !== view.modeId ||
      JSON.stringify(shown.modes) !== JSON.stringify(view.modes) ||
      (shown.state === 'offline') !== (view.state === 'offline')
    )
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(view, actions)));
    shown = view;
  };
  // Windows/Linux: a left click on the icon shows the window (macOS opens the menu).
  tray.on('click', () => actions.show());
  update(initial);
  return {
    update,
    shown: () => ({
      state: shown?.state ?? initial.state,
      tooltip: shown?.tooltip ?? '',
      destroyed: tray.isDestroyed(),
    }),
    destroy: () => tray.destroy(),
  };
}
