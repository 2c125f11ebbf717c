import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUiohookSource,
  displayProblem,
  keyNamesByCode,
} from '../../../../src/main/adapters/hotkey/uiohook';

const root = resolve(__dirname, '../../../..');
// Inside the project so the bundle resolves uiohook-napi from node_modules like the app does.
const outDir = join(root, 'node_modules/.cache/talkie-test-hotkey', String(process.pid));
const driver = join(outDir, 'hotkey-driver.mjs');

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: resolve(__dirname, 'fixtures/hotkey-driver.ts'),
      outDir,
      emptyOutDir: false,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'hotkey-driver.mjs' } },
    },
  });
}, 60_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

interface DriverResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: { status: { mode: string; reason: string }; events: string[] } | null;
  stderr: string;
}

function runDriver(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<DriverResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let out: DriverResult['out'] = null;
      try {
        out = JSON.parse(line) as DriverResult['out'];
      } catch {
        out = null;
      }
      done({ code, signal, out, stderr });
    });
  });
}

/** The environment without any display, as on a headless server or a plain SSH session. */
function headlessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  return env;
}

describe.runIf(process.platform === 'linux')('native hotkey on Linux', () => {
  it('survives a missing display: reports the hotkey unavailable and exits normally', async () => {
    const result = await runDriver(process.execPath, [driver], headlessEnv());
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(result.out?.status.mode).toBe('off');
    expect(result.out?.status.reason).toMatch(/^There is no X display \(DISPLAY is not set\)/);
  });

  it('survives a DISPLAY that points at no X server (where uiohook itself would abort)', async () => {
    const result = await runDriver(process.execPath, [driver], { ...headlessEnv(), DISPLAY: ':987' });
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(result.out?.status.mode).toBe('off');
    expect(result.out?.status.reason).toContain('The X display :987 could not be used');
  });

  const missing = ['xvfb-run', 'xdotool'].filter((tool) => spawnSync('which', [tool]).status !== 0);
  const skipReason = `needs ${missing.join(' and ')} (Debian packages xvfb, xdotool)`;
  if (missing.length > 0) console.log(`[skip] real key hold under Xvfb: ${skipReason}`);

  it.skipIf(missing.length > 0)(
    'sees a real F9 hold and release under Xvfb as press then release',
    async () => {
      const result = await runDriver('xvfb-run', ['-a', process.execPath, driver, 'keys'], headlessEnv());
      expect(result.code, result.stderr).toBe(0);
      expect(result.out?.status.mode).toBe('hold');
      expect(result.out?.events).toEqual(['press', '--', 'release']);
    },
  );
});

describe('uiohook key names', () => {
  const { UiohookKey } = createRequire(import.meta.url)('uiohook-napi') as {
    UiohookKey: Record<string, number>;
  };
  const names = keyNamesByCode(UiohookKey);

  it.each([
    ['F9', 'F9'],
    ['Space', 'Space'],
    ['A', 'A'],
    ['Ctrl', 'Control'],
    ['CtrlRight', 'Control'],
    ['ArrowUp', 'Up'],
    ['Semicolon', ';'],
    ['Enter', 'Enter'],
  ])('reports uiohook %s as accelerator key %s', (uiohookName, accelerator) => {
    expect(names.get(UiohookKey[uiohookName] ?? -1)).toBe(accelerator);
  });
});

describe('before touching the native hook', () => {
  it.each([
    [{ XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' }, /^Wayland/],
    [{}, /^There is no X display/],
  ])('refuses to start on Linux with %o', async (env, reason) => {
    let loaded = false;
    const source = createUiohookSource({
      platform: 'linux',
      env,
      resolve: () => '/x',
      load: () => {
        loaded = true;
        throw new Error('must not load');
      },
    });
    expect(displayProblem('linux', env)).toMatch(reason);
    const result = await source.start(() => undefined);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(loaded).toBe(false);
  });

  it('never starts the hook here when the probe child fails', async () => {
    let started = false;
    const source = createUiohookSource({
      platform: 'linux',
      env: { DISPLAY: ':5' },
      resolve: () => '/x',
      load: () => ({
        UiohookKey: {},
        uIOhook: {
          start: () => (started = true),
          stop: () => undefined,
          on: () => undefined,
          off: () => undefined,
        },
      }),
      probe: async () => false,
    });
    expect(await source.start(() => undefined)).toEqual({
      ok: false,
      reason: 'The X display :5 could not be used by the global key listener',
    });
    expect(started).toBe(false);
  });
});
