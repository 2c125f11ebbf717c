/**
 * The desktop app end to end with Playwright's `_electron`: it launches from the build, shows its
 * window, puts an icon in the tray, and answers a typed turn from the built-in simulator (Demo
 * mode: no key, no network). Skipped, with the reason printed, where no Electron binary exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from './binary';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'out/main/index.js');
const found = findElectronBinary();
const electronBinaryPath = found.path;
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !electronBinaryPath
  ? (found.reason ?? 'no Electron binary')
  : noDisplay
    ? 'no display: run under `xvfb-run -a npx playwright test e2e/electron`'
    : '';
if (skipReason) console.log(`[skip] e2e/electron: ${skipReason}`);

test.describe('desktop app', () => {
  test.skip(skipReason !== '', skipReason);

  let app: ElectronApplication;
  let window: Page;
  let dataDir: string;

  test.beforeAll(() => {
    if (!existsSync(MAIN)) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('electron-vite build failed');
    }
  });

  test.beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'talkie-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // A developer's own key or endpoint must never leak into a test run: Demo mode only.
    delete env.OPENAI_API_KEY;
    delete env.REALTIME_URL;
    delete env.ELECTRON_RENDERER_URL;
    Object.assign(env, { TALKIE_E2E: '1', TALKIE_AUDIO: 'none' });
    const args = [MAIN, '--data-dir', dataDir];
    // Chromium refuses to run as root with its sandbox (containers, CI).
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    app = await electron.launch({ executablePath: electronBinaryPath ?? undefined, args, env });
    window = await app.firstWindow();
  });

  test.afterEach(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens its window from app:// and shows it', async () => {
    await expect(window).toHaveTitle(/Talkie/);
    expect(window.url()).toBe('app://talkie/index.html');
    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()))
      .toBe(true);
  });

  test('puts an icon in the tray that follows the connection', async () => {
    const tray = (): Promise<{ state: string; tooltip: string; destroyed: boolean }> =>
      app.evaluate(() =>
        (
          globalThis as unknown as {
            __talkieE2E: { tray(): { state: string; tooltip: string; destroyed: boolean } };
          }
        ).__talkieE2E.tray(),
      );
    await expect.poll(async () => (await tray()).tooltip).toMatch(/^Talkie — Ready/);
    expect((await tray()).destroyed).toBe(false);
  });

  test('answers a typed turn from the simulator', async () => {
    await expect(window.getByRole('status', { name: 'Connection' })).toContainText('Connected');
    await window.getByRole('radiogroup', { name: 'Reply as' }).getByRole('radio', { name: 'Text' }).check();
    const box = window.getByRole('textbox', { name: 'Message' });
    await box.fill('hello from electron');
    await box.press('Enter');
    const turn = window.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: 'Turn 1' });
    await expect(turn).toContainText('Echo: hello from electron');
    await expect(turn).toContainText('Completed');
  });

  test('the page has no Node and only the contract’s functions', async () => {
    const seen = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((globalThis as unknown as { api: object }).api).sort(),
    }));
    expect(seen.require).toBe('undefined');
    expect(seen.process).toBe('undefined');
    expect(seen.api).toContain('talk.press');
    expect(seen.api).not.toContain('invoke');
  });
});
