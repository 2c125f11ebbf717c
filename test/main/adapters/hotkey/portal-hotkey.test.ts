/**
 * The hotkey service on a Wayland session with the real portal client, a private dbus-daemon and a
 * fake portal: holding through Activated/Deactivated, a backend without Deactivated becoming a
 * toggle, the fallbacks when the portal is missing, and the portal vanishing mid-hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPortalSource } from '../../../../src/main/adapters/hotkey/portal';
import {
  createHotkeyService,
  type HotkeyService,
  type ShortcutSource,
} from '../../../../src/main/core/hotkey/service';
import type { HotkeyStatus } from '../../../../src/shared/types';
import { startFakePortal } from '../../../helpers/dbus/fake-portal';
import { sessionBusUnavailable, startSessionBus, type SessionBus } from '../../../helpers/dbus/session-bus';

const unavailable = sessionBusUnavailable();
if (unavailable) console.log(`portal-hotkey.test.ts skipped: ${unavailable}`);

let bus: SessionBus;
let service: HotkeyService | null = null;
beforeEach(async () => {
  bus = await startSessionBus();
});
afterEach(async () => {
  service?.dispose();
  service = null;
  await bus.stop();
});

function rig(extra: { shortcut?: boolean; commandLine?: string } = {}) {
  const calls: string[] = [];
  const statuses: HotkeyStatus[] = [];
  let clock = 1_000_000;
  const shortcut: ShortcutSource = {
    register: (acc) => {
      calls.push(`register ${acc}`);
      return true;
    },
    unregister: (acc) => void calls.push(`unregister ${acc}`),
  };
  service = createHotkeyService({
    platform: 'linux',
    env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
    native: null,
    shortcut: extra.shortcut ? shortcut : null,
    portal: createPortalSource({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, callTimeoutMs: 3000 }),
    ...(extra.commandLine ? { commandLine: extra.commandLine } : {}),
    press: () => calls.push('press'),
    release: () => calls.push('release'),
    onStatus: (s) => statuses.push(s),
    now: () => clock,
  });
  const s = service;
  return {
    service: s,
    calls,
    statuses,
    later: (ms: number) => (clock += ms),
    configure: () => s.configure({ hotkey: 'F9', hotkeyMode: 'auto' }),
  };
}

describe.skipIf(unavailable !== null)('global hotkey through the desktop portal (Wayland)', () => {
  it('holds to talk: Activated presses, Deactivated releases', async () => {
    const portal = await startFakePortal(bus.address);
    const r = rig({ shortcut: true });
    const status = await r.configure();
    expect(status).toEqual({
      mode: 'hold',
      accelerator: 'F9',
      reason: 'Hold F9 to talk, release to send (through the desktop’s global shortcuts portal).',
    });
    // The portal is the source: Electron's globalShortcut would bind the same key a second time.
    expect(r.calls).toEqual([]);
    portal.activate();
    await expect.poll(() => r.calls).toEqual(['press']);
    portal.deactivate();
    await expect.poll(() => r.calls).toEqual(['press', 'release']);
  });

  it('says which key the desktop bound when it chose another', async () => {
    await startFakePortal(bus.address, { assignTrigger: 'LOGO+F9' });
    const status = await rig().configure();
    expect(status.reason).toBe(
      'Hold F9 to talk, release to send (through the desktop’s global shortcuts portal; the desktop set it to LOGO+F9).',
    );
  });

  it('becomes a toggle when the desktop never reports the key coming up', async () => {
    const portal = await startFakePortal(bus.address);
    const r = rig();
    await r.configure();
    portal.activate();
    await expect.poll(() => r.calls).toEqual(['press']);
    r.later(1500);
    portal.activate(); // pressed again, no Deactivated in between: this one sends
    await expect.poll(() => r.calls).toEqual(['press', 'release']);
    expect(r.service.status()).toMatchObject({
      mode: 'toggle',
      reason:
        'The desktop portal does not report key releases: press F9 once to start talking, again to send.',
    });
    r.later(1500);
    portal.activate();
    await expect.poll(() => r.calls).toEqual(['press', 'release', 'press']);
  });

  it('falls back to the command line, naming the missing portal, when there is none', async () => {
    const r = rig({ shortcut: true, commandLine: 'talkie' });
    const status = await r.configure();
    expect(status.mode).toBe('off');
    expect(status.reason).toMatch(/^No desktop portal is running \(org\.freedesktop\.portal\.Desktop/);
    expect(status.reason).toContain('org.freedesktop.portal.GlobalShortcuts');
    expect(status.reason).toContain('xdg-desktop-portal-kde');
    expect(status.reason).toContain('GNOME 48+');
    expect(status.reason).toContain('`talkie --toggle`');
    // Electron's globalShortcut needs the same portal: registering it would only pretend.
    expect(r.calls).toEqual([]);
  });

  it('says the backend lacks GlobalShortcuts when the portal runs without it', async () => {
    await startFakePortal(bus.address, { withoutGlobalShortcuts: true });
    const r = rig({ shortcut: true, commandLine: 'talkie' });
    const status = await r.configure();
    expect(status).toMatchObject({ mode: 'off' });
    expect(status.reason).toMatch(/^The desktop portal has no global shortcuts/);
  });

  it('toggles through Electron’s globalShortcut when the portal exists but our bind was declined', async () => {
    await startFakePortal(bus.address, { bindResponse: 1 });
    const r = rig({ shortcut: true, commandLine: 'talkie' });
    const status = await r.configure();
    expect(status).toMatchObject({ mode: 'toggle' });
    expect(status.reason).toMatch(/^The desktop’s global shortcut request was declined: press F9 once/);
    expect(r.calls).toEqual(['register F9']);
  });

  it('ends the turn cleanly when the portal vanishes mid-hold, then says why it fell back', async () => {
    const portal = await startFakePortal(bus.address);
    const r = rig({ commandLine: 'talkie' });
    await r.configure();
    portal.activate();
    await expect.poll(() => r.calls).toEqual(['press']);
    portal.vanish();
    await expect.poll(() => r.calls).toEqual(['press', 'release']);
    await expect
      .poll(() => r.service.status().reason)
      .toMatch(/^The desktop portal stopped\. No desktop portal is running .*`talkie --toggle`/);
    expect(r.service.status().mode).toBe('off');
  });

  it('binds again by itself when the portal comes back, and holding works through the new one', async () => {
    const first = await startFakePortal(bus.address);
    const r = rig({ commandLine: 'talkie' });
    await r.configure();
    first.vanish();
    await expect.poll(() => r.service.status().mode).toBe('off');
    const second = await startFakePortal(bus.address);
    await second.whenBound();
    await expect
      .poll(() => r.service.status())
      .toEqual({
        mode: 'hold',
        accelerator: 'F9',
        reason: 'Hold F9 to talk, release to send (through the desktop’s global shortcuts portal).',
      });
    second.activate();
    await expect.poll(() => r.calls).toEqual(['press']);
    second.deactivate();
    await expect.poll(() => r.calls).toEqual(['press', 'release']);
  });

  it('binds once a portal that was not running at start appears (a desktop still logging in)', async () => {
    const r = rig({ commandLine: 'talkie' });
    expect((await r.configure()).mode).toBe('off');
    const portal = await startFakePortal(bus.address);
    await portal.whenBound();
    await expect.poll(() => r.service.status().mode).toBe('hold');
    expect(r.statuses.at(-1)?.reason).toMatch(/^Hold F9 to talk/);
  });
});
