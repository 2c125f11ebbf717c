/**
 * Global hold-to-talk end to end without Electron: browser mode with --global-hotkey on an X display
 * (Xvfb), F9 held and released by xdotool as real X key events, and the turn shown in the window.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startBrowserMode, type BrowserMode } from './fixtures/app';
import { expect, test } from '@playwright/test';
import { fakeScreenShare } from './fixtures/chromium';
import { exportLog, openApp, turn } from './ui/helpers';

const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['Xvfb', 'xdotool'].filter((tool) => !have(tool));
const reason = `needs ${missing.join(' and ')} (Debian packages xvfb, xdotool; scripts/install-test-deps.sh installs them)`;
if (missing.length) console.log(`hotkey.spec.ts skipped: ${reason}`);

let xvfb: ChildProcess | undefined;
let app: BrowserMode | undefined;
const DISPLAY = ':87';

test.skip(missing.length > 0, reason);

// Shift+F9 captures the screen through the page's getDisplayMedia: Chromium's fake capture, share prompt accepted.
test.use({ launchOptions: fakeScreenShare() });

test.beforeAll(async () => {
  xvfb = spawn('Xvfb', [DISPLAY, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await expect.poll(() => existsSync(`/tmp/.X11-unix/X${DISPLAY.slice(1)}`), { timeout: 10_000 }).toBe(true);
});

test.afterAll(async () => {
  expect(await app?.stop()).toBe(0);
  xvfb?.kill();
});

const xdotool = (...args: string[]): void => {
  const result = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY } });
  expect(result.status, result.stderr.toString()).toBe(0);
};

test('holding F9 anywhere on the desktop records a voice turn; releasing sends it', async ({ page }) => {
  app = await startBrowserMode({ args: ['--global-hotkey'], env: { DISPLAY, WAYLAND_DISPLAY: undefined } });
  await openApp(page, app.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  // The window states the mode and why (X11: key-up is observable, so hold-to-talk).
  await expect(page.getByRole('dialog')).toContainText('Hold F9 to talk, release to send.');
  await page.keyboard.press('Escape');

  // The browser page does not have X focus: these are global key events, not page key events.
  xdotool('keydown', 'F9');
  await expect(turn(page, 1)).toBeVisible();
  await page.waitForTimeout(600); // talk for a moment
  xdotool('keyup', 'F9');
  await expect(turn(page, 1)).toContainText(/I heard \d+\.\d seconds of audio|microphone/i);

  // Issue 16: Shift added to the held key attaches a capture of the screen to that turn.
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Talk with a screen capture').selectOption('Shift');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(
    dialog.getByText('Hold Shift+F9 to talk with a capture of the screen attached.'),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  xdotool('keydown', 'shift+F9');
  // The capture shows on the held turn before anything is sent.
  await expect(turn(page, 2).getByRole('img', { name: /^Sent image, \d+×\d+$/ })).toBeVisible();
  await page.waitForTimeout(300);
  xdotool('keyup', 'F9');
  xdotool('keyup', 'shift');
  await expect(turn(page, 2)).toContainText(/I see a \d+×\d+ image, mostly rgb\(/);
  // On the wire: the image message, then the commit of that turn's audio.
  const { entries } = await exportLog(page);
  const second = entries
    .filter((e) => e.dir === 'out')
    .map((e) => {
      const event = e.payload as { type?: string; item?: { content?: Array<{ type?: string }> } };
      return event.item?.content?.some((c) => c.type === 'input_image') ? 'image' : event.type;
    });
  const image = second.indexOf('image');
  expect(image, second.join(', ')).toBeGreaterThan(-1);
  expect(second.indexOf('input_audio_buffer.commit', image), second.join(', ')).toBeGreaterThan(image);
});
