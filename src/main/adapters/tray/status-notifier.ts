/**
 * Is there a system tray on this Linux desktop? Electron's Tray shows its icon through the
 * StatusNotifierItem protocol, which needs a StatusNotifierWatcher with a host on the session bus
 * (KDE, most desktops; GNOME only with the AppIndicator extension). Asked once at start, in plain Node.
 */
import type { EventEmitter } from 'node:events';
import type * as Dbus from '@jellybrick/dbus-next';
import type { MessageBus } from '@jellybrick/dbus-next';
import { sessionBusAddress } from '../hotkey/portal';

const WATCHER = 'org.kde.StatusNotifierWatcher';

/** present: a host shows tray icons. absent: the bus says none does. unknown: no bus to ask. */
export type TrayPresence =
  { kind: 'present' } | { kind: 'absent'; reason: string } | { kind: 'unknown'; reason: string };

/** Asks the session bus; never throws. */
export async function detectTray(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 3000,
  load: () => Promise<typeof Dbus> = () => import('@jellybrick/dbus-next'),
): Promise<TrayPresence> {
  const address = sessionBusAddress(env);
  if (!address.ok) return { kind: 'unknown', reason: address.detail };
  let bus: MessageBus | null = null;
  try {
    const dbus = await load();
    const b = dbus.sessionBus({ busAddress: address.address });
    bus = b;
    const reply = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
      (b as unknown as EventEmitter).on('error', (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
      b.call(
        new dbus.Message({
          destination: WATCHER,
          path: '/StatusNotifierWatcher',
          interface: 'org.freedesktop.DBus.Properties',
          member: 'Get',
          signature: 'ss',
          body: [WATCHER, 'IsStatusNotifierHostRegistered'],
        }),
      ).then(
        (msg) => {
          clearTimeout(timer);
          resolve(msg?.body[0]);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    const registered = (reply as { value?: unknown } | undefined)?.value;
    return registered === true
      ? { kind: 'present' }
      : { kind: 'absent', reason: 'a StatusNotifierWatcher runs but no tray shows its icons' };
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (
      type === 'org.freedesktop.DBus.Error.ServiceUnknown' ||
      type === 'org.freedesktop.DBus.Error.NameHasNoOwner'
    )
      return {
        kind: 'absent',
        reason: `nothing on the session bus shows tray icons (${WATCHER} is missing)`,
      };
    return { kind: 'unknown', reason: (error as Error).message };
  } finally {
    try {
      bus?.disconnect();
    } catch {
      // Never connected: nothing to close.
    }
  }
}
