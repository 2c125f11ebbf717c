/**
 * The portal client against a real D-Bus: a private dbus-daemon per test and a fake
 * xdg-desktop-portal on it. Binding, Activated/Deactivated, closing, and every way the portal can be
 * missing or go away.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPortalSource, requestPath } from '../../../../src/main/adapters/hotkey/portal';
import { parseAccelerator, type Chord } from '../../../../src/main/core/hotkey/accelerator';
import type { PortalBindResult, PortalEvent } from '../../../../src/main/core/hotkey/service';
import { startFakePortal } from '../../../helpers/dbus/fake-portal';
import { sessionBusUnavailable, startSessionBus, type SessionBus } from '../../../helpers/dbus/session-bus';

const unavailable = sessionBusUnavailable();
if (unavailable) console.log(`portal.test.ts skipped: ${unavailable}`);

const chord = (accelerator: string): Chord => {
  const parsed = parseAccelerator(accelerator, 'linux');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.chord;
};

let bus: SessionBus;
const binds: PortalBindResult[] = [];
beforeEach(async () => {
  bus = await startSessionBus();
});
afterEach(async () => {
  for (const b of binds.splice(0)) if (b.ok) b.stop();
  await bus.stop();
});

async function bind(accelerator = 'F9', env?: NodeJS.ProcessEnv) {
  const events: PortalEvent[] = [];
  const source = createPortalSource({
    env: env ?? { DBUS_SESSION_BUS_ADDRESS: bus.address },
    callTimeoutMs: 3000,
  });
  const result = await source.start(
    { accelerator, chord: chord(accelerator), description: 'Talk to Talkie (hold to talk)' },
    (e) => events.push(e),
  );
  binds.push(result);
  return { result, events };
}

describe.skipIf(unavailable !== null)('desktop portal client (GlobalShortcuts over D-Bus)', () => {
  it('binds the hotkey at start, with the accelerator as the preferred trigger', async () => {
    const portal = await startFakePortal(bus.address);
    const { result } = await bind('Control+Shift+Space');
    expect(result).toMatchObject({ ok: true, trigger: 'CTRL+SHIFT+space' });
    expect([...portal.bound.values()]).toEqual([
      [{ id: 'talk', description: 'Talk to Talkie (hold to talk)', preferredTrigger: 'CTRL+SHIFT+space' }],
    ]);
  });

  it('reports the key the desktop assigned when it chose another', async () => {
    await startFakePortal(bus.address, { assignTrigger: 'Meta+F9' });
    const { result } = await bind('F9');
    expect(result).toMatchObject({ ok: true, trigger: 'Meta+F9' });
  });

  it('turns Activated into a key-down and Deactivated into a key-up', async () => {
    const portal = await startFakePortal(bus.address);
    const { result, events } = await bind();
    expect(result.ok).toBe(true);
    portal.activate();
    await expect.poll(() => events).toEqual([{ type: 'activated' }]);
    portal.deactivate();
    await expect.poll(() => events).toEqual([{ type: 'activated' }, { type: 'deactivated' }]);
  });

  it('ignores signals for other shortcuts', async () => {
    const portal = await startFakePortal(bus.address);
    const { events } = await bind();
    portal.activate('someone-else');
    portal.activate();
    await expect.poll(() => events).toEqual([{ type: 'activated' }]);
  });

  it('closes its portal session on stop and hears nothing after', async () => {
    const portal = await startFakePortal(bus.address);
    const { result, events } = await bind();
    if (!result.ok) throw new Error('not bound');
    const session = await portal.whenBound();
    result.stop();
    await expect.poll(() => portal.closed).toEqual([session]);
    portal.activate();
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
  });

  it('says the portal is missing when nothing owns org.freedesktop.portal.Desktop', async () => {
    const { result } = await bind();
    expect(result).toEqual({ ok: false, failure: { kind: 'no-portal' } });
  });

  it('says the interface is missing when the portal has no GlobalShortcuts', async () => {
    await startFakePortal(bus.address, { withoutGlobalShortcuts: true });
    const { result } = await bind();
    expect(result).toEqual({ ok: false, failure: { kind: 'no-interface' } });
  });

  it('says the user declined when the desktop’s dialog was dismissed', async () => {
    await startFakePortal(bus.address, { bindResponse: 1 });
    const { result } = await bind();
    expect(result).toEqual({ ok: false, failure: { kind: 'declined' } });
  });

  it('says there is no session bus when none is set or it cannot be reached', async () => {
    expect((await bind('F9', {})).result).toMatchObject({ ok: false, failure: { kind: 'no-bus' } });
    const dead = await bind('F9', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/talkie-bus' });
    expect(dead.result).toMatchObject({ ok: false, failure: { kind: 'no-bus' } });
  });

  it('reports the portal going away mid-hold', async () => {
    const portal = await startFakePortal(bus.address);
    const { events } = await bind();
    portal.activate();
    await expect.poll(() => events).toEqual([{ type: 'activated' }]);
    portal.vanish();
    await expect
      .poll(() => events)
      .toEqual([{ type: 'activated' }, { type: 'lost', reason: 'The desktop portal stopped' }]);
  });

  it('reports the session bus itself going away', async () => {
    await startFakePortal(bus.address);
    const { result, events } = await bind();
    expect(result.ok).toBe(true);
    await bus.stop();
    await expect.poll(() => events.map((e) => e.type)).toEqual(['lost']);
  });
});

describe('portal request paths', () => {
  it('follow the portal’s rule: the unique name without ":" and dots as "_"', () => {
    expect(requestPath(':1.42', 'talkie_1')).toBe('/org/freedesktop/portal/desktop/request/1_42/talkie_1');
  });
});
