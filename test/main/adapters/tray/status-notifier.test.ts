/**
 * Tray detection against a real private session bus: a StatusNotifierWatcher with a host, one
 * without, none at all, and no bus.
 */
import type { EventEmitter } from 'node:events';
import { Message, Variant, sessionBus, type MessageBus } from '@jellybrick/dbus-next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectTray } from '../../../../src/main/adapters/tray/status-notifier';
import { sessionBusUnavailable, startSessionBus, type SessionBus } from '../../../helpers/dbus/session-bus';

const unavailable = sessionBusUnavailable();
if (unavailable) console.log(`status-notifier.test.ts skipped: ${unavailable}`);

let bus: SessionBus;
let watcher: MessageBus | null = null;
beforeEach(async () => {
  bus = await startSessionBus();
});
afterEach(async () => {
  watcher?.disconnect();
  watcher = null;
  await bus.stop();
});

/** Owns org.kde.StatusNotifierWatcher and answers IsStatusNotifierHostRegistered. */
async function startWatcher(hostRegistered: boolean): Promise<void> {
  const w = sessionBus({ busAddress: bus.address });
  (w as unknown as EventEmitter).on('error', () => undefined);
  w.addMethodHandler((msg: Message) => {
    if (msg.member !== 'Get') return false;
    w.send(Message.newMethodReturn(msg, 'v', [new Variant('b', hostRegistered)]));
    return true;
  });
  await new Promise<void>((resolve) => w.once('connect', resolve));
  await w.requestName('org.kde.StatusNotifierWatcher', 4);
  watcher = w;
}

describe.skipIf(unavailable !== null)('system tray on Linux', () => {
  it('is there when a StatusNotifierWatcher has a host', async () => {
    await startWatcher(true);
    expect(await detectTray({ DBUS_SESSION_BUS_ADDRESS: bus.address })).toEqual({ kind: 'present' });
  });

  it('is absent when the watcher has no host', async () => {
    await startWatcher(false);
    expect(await detectTray({ DBUS_SESSION_BUS_ADDRESS: bus.address })).toMatchObject({ kind: 'absent' });
  });

  it('is absent when nothing on the bus shows tray icons (GNOME without AppIndicator)', async () => {
    const presence = await detectTray({ DBUS_SESSION_BUS_ADDRESS: bus.address });
    expect(presence).toEqual({
      kind: 'absent',
      reason: 'nothing on the session bus shows tray icons (org.kde.StatusNotifierWatcher is missing)',
    });
  });

  it('is unknown without a session bus (the settings are kept)', async () => {
    expect((await detectTray({})).kind).toBe('unknown');
  });
});
