/**
 * Global hold-to-talk on Wayland without Electron: browser mode with --global-hotkey on a
 * "Wayland" session (XDG_SESSION_TYPE=wayland, no X display), a private D-Bus session bus and a fake
 * xdg-desktop-portal on it. The portal's Activated and Deactivated are the key going down and up;
 * speech played into the virtual microphone in between is the turn the simulator hears.
 * Needs dbus-daemon, and the PulseAudio rig (fails loudly without it unless TALKIE_SKIP_AUDIO=1).
 */
import { spawnSync } from 'node:child_process';
import { startBrowserMode, WEB_ENTRY, type BrowserMode } from './fixtures/app';
import { expect, test } from '@playwright/test';
import { openApp, turn } from './ui/helpers';
import { startSimulator, type SimulatorHandle } from '../src/main/core/simulator';
import { startFakePortal, type FakePortal } from '../test/helpers/dbus/fake-portal';
import { sessionBusUnavailable, startSessionBus, type SessionBus } from '../test/helpers/dbus/session-bus';
import { acquireRigLock, audioRigGate, makeSpeech, scratchDir } from '../test/helpers/audio/rig';
import { playIntoMic, sleep } from '../test/helpers/audio/pulse';
import { rms, toFloat } from '../test/helpers/audio/signals';

const unavailable = sessionBusUnavailable();
if (unavailable) console.log(`hotkey-portal.spec.ts skipped: ${unavailable}`);
test.skip(unavailable !== null, unavailable ?? '');

let bus: SessionBus | undefined;
let portal: FakePortal | undefined;
let sim: SimulatorHandle | undefined;
let app: BrowserMode | undefined;

test.afterEach(async () => {
  const code = await app?.stop();
  await sim?.close();
  await bus?.stop();
  const output = app?.output();
  app = undefined;
  sim = undefined;
  bus = undefined;
  expect(code, output).toBe(0);
});

test('holding the key through the desktop portal records a voice turn; releasing sends it', async ({
  page,
}) => {
  test.skip(audioRigGate() === 'skip', 'TALKIE_SKIP_AUDIO=1 and no PulseAudio rig on this machine');
  test.setTimeout(90_000);
  bus = await startSessionBus();
  portal = await startFakePortal(bus.address);
  sim = await startSimulator({ audioPacing: 'fast' });
  app = await startBrowserMode({
    args: ['--global-hotkey'],
    env: {
      REALTIME_URL: sim.url,
      XDG_SESSION_TYPE: 'wayland',
      WAYLAND_DISPLAY: 'wayland-0',
      DISPLAY: undefined,
      DBUS_SESSION_BUS_ADDRESS: bus.address,
    },
  });
  // Bound at start, no user action: the fake desktop saw our shortcut with F9 as the preferred key.
  const session = await portal.whenBound();
  expect(portal.bound.get(session)).toEqual([
    { id: 'talk', description: 'Talk to Talkie (hold to talk)', preferredTrigger: 'F9' },
  ]);

  const release = await acquireRigLock();
  const scratch = scratchDir();
  try {
    const speech = makeSpeech(scratch.dir, 'Hello from a Wayland desktop.');
    await openApp(page, app.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog')).toContainText(
      'Hold F9 to talk, release to send (through the desktop’s global shortcuts portal).',
    );
    await page.keyboard.press('Escape');

    portal.activate();
    await expect(page.getByText('Listening… release to send')).toBeVisible();
    await playIntoMic(speech.wav);
    await sleep(300);
    portal.deactivate();

    const first = turn(page, 1);
    await expect(first).toContainText(/I heard \d+\.\d seconds of audio/, { timeout: 30_000 });
    // The server got one commit, and it was the speech, not silence.
    expect(sim.committedAudio).toHaveLength(1);
    const committed = sim.committedAudio[0]!;
    const pcm = new Int16Array(committed.pcm.buffer, committed.pcm.byteOffset, committed.pcm.length / 2);
    expect(rms(toFloat(pcm))).toBeGreaterThan(0.01);

    // Without the portal's key: what a key bound in the compositor runs, twice (start, then send).
    const talk = (flag: string): void => {
      const run = spawnSync(process.execPath, [WEB_ENTRY, flag, '--data-dir', app!.dataDir], {
        timeout: 10_000,
      });
      expect(run.status, run.stderr.toString()).toBe(0);
    };
    talk('--toggle');
    await expect(page.getByText('Listening… release to send')).toBeVisible();
    await sleep(600);
    talk('--toggle');
    await expect(turn(page, 2)).toContainText(/I heard \d+\.\d seconds of audio/, { timeout: 30_000 });
    expect(sim.committedAudio).toHaveLength(2);

    // A compositor key for a mode that does not exist: refused in words on the terminal, nothing recorded.
    const unknown = spawnSync(
      process.execPath,
      [WEB_ENTRY, '--press', '--mode', 'Klingon', '--data-dir', app!.dataDir],
      { timeout: 10_000 },
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.toString()).toContain('There is no mode "Klingon". The modes are "Default"');
    await expect(page.getByText('Listening… release to send')).toBeHidden();
  } finally {
    scratch.cleanup();
    release();
  }
});

test('without a GlobalShortcuts portal, Settings names it and what to do instead', async ({ page }) => {
  bus = await startSessionBus(); // a session bus with no portal on it
  app = await startBrowserMode({
    args: ['--global-hotkey'],
    env: {
      XDG_SESSION_TYPE: 'wayland',
      WAYLAND_DISPLAY: 'wayland-0',
      DISPLAY: undefined,
      DBUS_SESSION_BUS_ADDRESS: bus.address,
    },
  });
  await openApp(page, app.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('org.freedesktop.portal.GlobalShortcuts');
  await expect(dialog).toContainText('xdg-desktop-portal');
  await expect(dialog).toContainText('GNOME 48+');
  await expect(dialog).toContainText(`--data-dir ${app.dataDir} --toggle`);
  // Sound cues are on by default, with their volume beside them (Audio).
  await expect(dialog.getByRole('checkbox', { name: /^Sound cues/ })).toBeChecked();
  await expect(dialog.getByRole('slider', { name: 'Cue volume' })).toHaveValue('40');
});
