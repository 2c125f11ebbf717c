/**
 * The composition root (src/main/index.ts) booted in plain Node with `electron` replaced: the real
 * core, settings, key store and demo simulator behind a fake Electron. Proves the pieces are
 * plugged together: IPC from our window works, other senders are refused, the key never reaches
 * the page or the disk in plain text, the tray and the window close behave.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../src/shared/contract';

vi.mock('electron', () => import('./electron-mock'));
const { app, mock } = await import('./electron-mock');

const KEY = 'sk-e2e-SHOULD-NEVER-LEAK-42424242';
const dataDir = mkdtempSync(join(tmpdir(), 'talkie-main-'));
const saved = { argv: process.argv, env: { ...process.env } };

beforeAll(async () => {
  process.argv = [process.execPath, 'out/main/index.js', '--data-dir', dataDir];
  // No real global hook or remote endpoint from the developer's environment in a unit test.
  for (const name of [
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'XDG_SESSION_TYPE',
    'OPENAI_API_KEY',
    'REALTIME_URL',
    'ELECTRON_RENDERER_URL',
    // No session bus either: no real portal or tray watcher from the developer's desktop.
    'DBUS_SESSION_BUS_ADDRESS',
    'XDG_RUNTIME_DIR',
  ])
    delete process.env[name];
  process.env.TALKIE_AUDIO = 'none';
  // electron-store is outside vitest's module graph: it sees the real `electron` package, which
  // only needs this to not throw in plain Node (our adapter passes everything else itself).
  process.env.ELECTRON_OVERRIDE_DIST_PATH = join(tmpdir(), 'no-electron-here');
  await import('../../../src/main/index');
  await vi.waitFor(() => expect(mock.trays).toHaveLength(1), { timeout: 15000 });
}, 30000);

afterAll(async () => {
  const before = app.quits;
  app.quit();
  // will-quit waits for the core (socket + demo simulator) to close, then quits again.
  await vi.waitFor(() => expect(app.quits).toBeGreaterThan(before + 1), { timeout: 10000 });
  process.argv = saved.argv;
  process.env = saved.env;
  rmSync(dataDir, { recursive: true, force: true });
});

const win = (): (typeof mock.windows)[number] => {
  const w = mock.windows[0];
  if (!w) throw new Error('no window');
  return w;
};
const invoke = async (name: string, payload: unknown, from?: unknown): Promise<Envelope<unknown>> => {
  const handler = mock.ipcHandlers.get(`cmd:${name}`);
  if (!handler) throw new Error(`no handler for ${name}`);
  const event = from ?? {
    sender: { id: win().webContents.id },
    senderFrame: { url: 'app://talkie/index.html', parent: null },
  };
  return (await handler(event, payload)) as Envelope<unknown>;
};

describe('desktop composition root', () => {
  it('uses --data-dir for its data and registers the app:// scheme before ready', () => {
    expect(app.getPath('userData')).toBe(dataDir);
    expect(mock.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(mock.protocolHandlers.has('app')).toBe(true);
    expect(readdirSync(dataDir)).toContain('settings.json');
  });

  it('switches on the GlobalShortcutsPortal feature before the app is ready', () => {
    const appended = mock.order.indexOf('appendSwitch enable-features=GlobalShortcutsPortal');
    expect(appended).toBeGreaterThanOrEqual(0);
    expect(appended).toBeLessThan(mock.order.indexOf('whenReady'));
  });

  it('opens one secure window on app://talkie', () => {
    expect(mock.windows).toHaveLength(1);
    expect(win().url).toBe('app://talkie/index.html');
    expect(win().options).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true },
    });
    const answers: boolean[] = [];
    mock.permissionRequest?.({}, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
  });

  it('shows the window when it is ready (not started hidden)', () => {
    win().emit('ready-to-show');
    expect(win().visible).toBe(true);
  });

  it('answers the window’s commands through the real core', async () => {
    const answer = await invoke('app.snapshot', {});
    expect(answer).toMatchObject({
      ok: true,
      value: { shell: 'electron', settings: { settings: { provider: 'simulator' } } },
    });
  });

  it('keeps an MCP server’s env values encrypted with safeStorage and never sends them to the page', async () => {
    const token = 'mcp-desktop-secret-6d2b90';
    const block = { mcpServers: { tool: { command: 'talkie-no-such-program', env: { TOKEN: token } } } };
    const answer = await invoke('mcp.import', { json: JSON.stringify(block) });
    expect(answer).toMatchObject({
      ok: true,
      value: { added: ['tool'], view: { secretStorage: 'encrypted' } },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(JSON.stringify([answer, win().webContents.sent])).not.toContain(token);
    for (const file of readdirSync(dataDir, { recursive: true }) as string[]) {
      const text = readFileSync(join(dataDir, file)).toString('latin1');
      expect(text, file).not.toContain(token);
    }
    expect(readdirSync(dataDir)).toContain('mcp-secrets.json');
    expect(
      await invoke('mcp.add', { server: { transport: 'http', name: 'x', url: 'file:///etc', headers: {} } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await invoke('mcp.remove', { name: 'tool' });
  });

  it('notifies when a tool waits for approval while the window is hidden', async () => {
    const { Notification } = await import('./electron-mock');
    win().hide();
    await invoke('turn.setNext', { replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await invoke('message.send', { text: 'call open_url with {"url":"https://example.com/"}' });
    await vi.waitFor(() => expect(Notification.shown).toHaveLength(1), { timeout: 10000 });
    expect(Notification.shown[0]?.title).toBe('Tool approval: open_url');
    expect(Notification.shown[0]?.body).toContain('url: https://example.com/');
    win().show();
  });

  it('refuses the same command from another sender', async () => {
    const answer = await invoke(
      'app.snapshot',
      {},
      { sender: { id: 999 }, senderFrame: { url: 'app://talkie/index.html', parent: null } },
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('stores the key encrypted and never sends it to the page or writes it in plain text', async () => {
    const answer = await invoke('secret.setApiKey', { apiKey: KEY });
    expect(answer).toMatchObject({ ok: true, value: { apiKey: { saved: true, storage: 'encrypted' } } });
    await invoke('settings.get', {});
    await invoke('app.snapshot', {});
    await new Promise((r) => setTimeout(r, 100)); // coalesced events flush within a frame
    const toPage = JSON.stringify([answer, win().webContents.sent]);
    expect(toPage).not.toContain(KEY);
    for (const file of readdirSync(dataDir, { recursive: true }) as string[]) {
      const text = readFileSync(join(dataDir, file)).toString('latin1');
      expect(text, file).not.toContain(KEY);
    }
    await invoke('secret.clearApiKey', {});
  });

  it('broadcasts events to the window on their channels', () => {
    expect(win().webContents.sent.some(([channel]) => channel === 'evt:settings')).toBe(true);
  });

  it('hides the window on close while "close to tray" is on', () => {
    let prevented = false;
    win().emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(win().visible).toBe(false);
  });

  it('reports the hotkey (no display here: the toggle shortcut) to the page', async () => {
    const answer = await invoke('app.snapshot', {});
    expect(answer).toMatchObject({ ok: true, value: { hotkey: { mode: 'toggle', accelerator: 'F9' } } });
    expect(mock.shortcuts.has('F9')).toBe(true);
  });

  it('takes `talkie --toggle` from a second launch as push-to-talk, without showing the window', async () => {
    win().hide();
    const turns = async (): Promise<unknown[]> =>
      ((await invoke('app.snapshot', {})) as { value: { turns: unknown[] } }).value.turns;
    const before = (await turns()).length;
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--toggle'], '/');
    await vi.waitFor(async () => expect((await turns()).length).toBe(before + 1), { timeout: 5000 });
    expect(win().visible).toBe(false);
  });

  it('`talkie --press --mode NAME` talks in that mode; an unknown mode is refused in the window, with no turn', async () => {
    type Turn = { instructions?: string; phase: string };
    const turns = async (): Promise<Turn[]> =>
      ((await invoke('app.snapshot', {})) as { value: { turns: Turn[] } }).value.turns;
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--release'], '/');
    await vi.waitFor(async () => expect((await turns()).at(-1)?.phase).not.toBe('listening'), {
      timeout: 5000,
    });
    const before = (await turns()).length;
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--press', '--mode', 'Klingon'], '/');
    await vi.waitFor(() =>
      expect(win().webContents.sent).toContainEqual([
        'evt:notice',
        expect.objectContaining({
          level: 'warning',
          text: expect.stringMatching(/^There is no mode "Klingon"\./),
        }),
      ]),
    );
    expect(await turns()).toHaveLength(before);
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--press', '--mode', 'translate to french'], '/');
    await vi.waitFor(async () => expect((await turns()).length).toBe(before + 1), { timeout: 5000 });
    expect((await turns()).at(-1)?.instructions).toMatch(/French/);
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--release'], '/');
  });
});
