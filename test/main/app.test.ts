/**
 * The composition both shells share, run for real: conf-backed settings in a temp folder, the
 * session key store, the real Realtime connection, the built-in simulator, and a fake audio device.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, DATABASE_FILE, type App, type AppDeps } from '../../src/main/app';
import type { AudioEngine } from '../../src/main/core/audio/engine';
import { FakeAudioEngine } from '../../src/main/core/audio/fake-engine';
import { NullAudioEngine } from '../../src/main/core/audio/null-engine';
import { startSimulator, type SimulatorHandle } from '../../src/main/core/simulator';
import { openBrowserModeStores } from '../../src/main/web/stores';
import type { EventName } from '../../src/shared/contract';
import type { ConnectionView, TurnView } from '../../src/shared/types';

const KEY = 'sk-test-0123456789abcdefghijklmnop';
let app: App | undefined;
let simulator: SimulatorHandle | undefined;

afterEach(async () => {
  await app?.dispose();
  await simulator?.close();
  app = undefined;
  simulator = undefined;
});

async function start(
  env: NodeJS.ProcessEnv = {},
  audio: AudioEngine = new FakeAudioEngine(),
  /** More of the app's deps, made knowing its data folder (before the app opens anything there). */
  more: (dataDir: string) => Partial<AppDeps> = () => ({}),
): Promise<{ app: App; dataDir: string; seen: Array<[EventName, unknown]> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'talkie-app-'));
  const { settings, secrets } = openBrowserModeStores(dataDir);
  const seen: Array<[EventName, unknown]> = [];
  app = await createApp({ settings, secrets, audio, dataDir, shell: 'browser', env, ...more(dataDir) });
  app.onEvent((name, payload) => seen.push([name, payload]));
  return { app, dataDir, seen };
}

const connection = async (a: App): Promise<ConnectionView> =>
  (await a.handlers['app.snapshot']({})).connection;

/** Sends a typed Text turn and waits for the simulator's answer. */
async function typedTurn(a: App, text: string): Promise<string | undefined> {
  await a.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
  const { turnId } = await a.handlers['message.send']({ text });
  let answer: string | undefined;
  await expect
    .poll(
      async () =>
        (answer = (await a.handlers['app.snapshot']({})).turns.find((t) => t.id === turnId)?.assistantText),
      { timeout: 10_000 },
    )
    .toContain(`Echo: ${text}`);
  return answer;
}

describe('app composition', () => {
  it('starts in Demo mode against the built-in simulator when nothing is configured', async () => {
    const { app } = await start();
    await expect.poll(async () => (await connection(app)).state, { timeout: 10_000 }).toBe('connected');
    const view = await connection(app);
    expect(view.demoMode).toBe(true);
    expect(view.endpoint).toContain('127.0.0.1');
  });

  it('answers a typed Text turn from the simulator', async () => {
    const { app } = await start();
    await app.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const { turnId } = await app.handlers['message.send']({ text: 'hello there' });
    await expect
      .poll(
        async () =>
          (await app.handlers['app.snapshot']({})).turns.find((t: TurnView) => t.id === turnId)
            ?.assistantText,
        { timeout: 10_000 },
      )
      .toContain('Echo: hello there');
  });

  it('never lets the API key reach the settings view, events, the log or its export', async () => {
    const { app, dataDir, seen } = await start();
    const view = await app.handlers['secret.setApiKey']({ apiKey: KEY });
    expect(view.apiKey.saved).toBe(true);
    await app.handlers['message.send']({ text: 'does the key leak?' });
    await expect
      .poll(async () => (await app.handlers['log.entries']({})).length, { timeout: 10_000 })
      .toBeGreaterThan(3);
    const everything = JSON.stringify([
      view,
      await app.handlers['settings.get']({}),
      await app.handlers['app.snapshot']({}),
      await app.handlers['log.entries']({}),
      await app.handlers['log.export']({}),
      seen,
    ]);
    expect(everything).not.toContain(KEY);
    // Browser mode keeps the key for the session only: nothing on disk holds it.
    for (const file of readdirSync(dataDir))
      expect(readFileSync(join(dataDir, file), 'utf8')).not.toContain(KEY);
  });

  it('connects to REALTIME_URL with the key from OPENAI_API_KEY, leaving Demo mode', async () => {
    simulator = await startSimulator({ port: 0, apiKey: KEY });
    const { app } = await start({ REALTIME_URL: simulator.url, OPENAI_API_KEY: KEY });
    await expect.poll(async () => (await connection(app)).state, { timeout: 10_000 }).toBe('connected');
    expect((await connection(app)).demoMode).toBe(false);
    const settings = await app.handlers['settings.get']({});
    expect(settings.overrides).toEqual(['REALTIME_URL', 'OPENAI_API_KEY']);
    expect(settings.apiKey.storage).toBe('env');
    expect(simulator.requests.at(-1)?.auth).toBe('bearer');
  });

  it('says in words why a wrong key fails and keeps running', async () => {
    simulator = await startSimulator({ port: 0, apiKey: KEY });
    const { app } = await start({
      REALTIME_URL: simulator.url,
      OPENAI_API_KEY: 'sk-wrong-key-000000000000000000',
    });
    await expect.poll(async () => (await connection(app)).state, { timeout: 10_000 }).toBe('failed');
    expect((await connection(app)).reason).toMatch(/API key was rejected/);
    // The app still answers commands.
    await expect(app.handlers['settings.get']({})).resolves.toBeTruthy();
  });

  it('switches endpoints when the provider settings change', async () => {
    simulator = await startSimulator({ port: 0 });
    const { app } = await start();
    await expect.poll(async () => (await connection(app)).demoMode, { timeout: 10_000 }).toBe(true);
    const result = await app.handlers['settings.update']({ provider: 'custom', customUrl: simulator.url });
    expect(result.ok).toBe(true);
    await expect
      .poll(
        async () => {
          const view = await connection(app);
          return view.state === 'connected' && !view.demoMode;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(simulator.requests.length).toBeGreaterThan(0);
  });

  it('rejects invalid settings with a message per field and changes nothing', async () => {
    const { app } = await start();
    const result = await app.handlers['settings.update']({ customUrl: 'http://not-a-websocket' });
    expect(result).toEqual({ ok: false, errors: { customUrl: 'Use a ws:// or wss:// URL' } });
    expect((await app.handlers['settings.get']({})).settings.customUrl).toBe('');
  });

  it('says up front when there is no sound system, and typed turns still work', async () => {
    const { app } = await start({}, new NullAudioEngine('The audio library could not be loaded.'));
    await expect
      .poll(async () => (await app.handlers['app.snapshot']({})).notices.map((n) => n.text), {
        timeout: 10_000,
      })
      .toContainEqual('The audio library could not be loaded. Typed messages still work.');
    await app.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const { turnId } = await app.handlers['message.send']({ text: 'no microphone here' });
    await expect
      .poll(
        async () =>
          (await app.handlers['app.snapshot']({})).turns.find((t) => t.id === turnId)?.assistantText,
        { timeout: 10_000 },
      )
      .toContain('Echo: no microphone here');
  });

  it('refuses window commands in browser mode with words instead of failing silently', async () => {
    const { app } = await start();
    const result = await app.dispatch('window.hide', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'Only the desktop app has a window to hide.' },
    });
  });

  it('a settings warning goes away once the settings resolve (no stale notice)', async () => {
    // Azure with no key: saved (the fields are complete), but it cannot connect, and a warning says why.
    const { app, seen } = await start();
    const result = await app.handlers['settings.update']({
      provider: 'azure',
      azureResource: 'my-resource',
      azureDeployment: 'gpt-realtime',
    });
    expect(result.ok).toBe(true);
    await expect
      .poll(async () => (await app.handlers['app.snapshot']({})).notices.map((n) => n.topic))
      .toContain('endpoint');
    await app.handlers['settings.update']({ provider: 'simulator' });
    await expect
      .poll(async () => (await app.handlers['app.snapshot']({})).notices.map((n) => n.topic))
      .not.toContain('endpoint');
    expect(seen).toContainEqual(['notice.clear', { topic: 'endpoint' }]);
  });

  it('refuses to store a provider it could not use (the same rule as the Settings dialog)', async () => {
    const { app } = await start();
    const result = await app.handlers['settings.update']({ provider: 'azure', azureResource: '' });
    expect(result).toEqual({
      ok: false,
      errors: {
        azureResource: expect.stringMatching(/resource name/) as unknown,
        azureDeployment: expect.stringMatching(/deployment name/) as unknown,
      },
    });
    expect((await app.handlers['settings.get']({})).settings.provider).toBe('simulator');
  });

  it('checks a link before anything opens it; browser mode leaves opening to the page', async () => {
    const { app } = await start();
    expect(await app.handlers['link.open']({ url: 'https://example.com/' })).toEqual({
      ok: true,
      openedByApp: false,
    });
    expect(await app.handlers['link.open']({ url: 'file:///etc/passwd' })).toMatchObject({ ok: false });
  });

  it('starts without the SQLite module, keeping conversations in memory, and says so once', async () => {
    // What Electron meets with better-sqlite3 built for Node: a binary that does not load. Here: not a module at all.
    const { app, dataDir } = await start({}, new FakeAudioEngine(), (dir) => {
      const notAModule = join(dir, 'not-a-module.node');
      writeFileSync(notAModule, 'this is not a native module');
      return { nativeBinding: notAModule };
    });
    await typedTurn(app, 'remember the penguins');
    const snapshot = await app.handlers['app.snapshot']({});
    const saying = snapshot.notices.filter((n) => n.text.startsWith('Conversations are not saved'));
    expect(saying).toHaveLength(1);
    expect(saying[0]?.text).toMatch(
      /^Conversations are not saved on this computer: Talkie's database module \(better-sqlite3\) could not be loaded \(.*not-a-module\.node.*\)\. They are kept until Talkie quits\.$/,
    );
    // History works for the rest of the run: listed, found, opened again; nothing went to disk.
    await expect
      .poll(async () => (await app.handlers['conversation.list']({})).map((c) => c.turnCount))
      .toEqual([1]);
    const [hit] = await app.handlers['conversation.list']({ query: 'penguins' });
    expect(hit).toMatchObject({ title: 'remember the penguins', snippet: 'Echo: remember the «penguins»' });
    await app.handlers['conversation.new']({});
    const reopened = await app.handlers['conversation.open']({ id: hit?.id ?? '' });
    expect(reopened.turns.map((t) => t.userText)).toEqual(['remember the penguins']);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('keeps conversations in a temporary database when the data folder cannot hold one', async () => {
    const { app, dataDir } = await start({}, new FakeAudioEngine(), (dir) => {
      mkdirSync(join(dir, DATABASE_FILE)); // a folder where the file should be
      return {};
    });
    await typedTurn(app, 'still talking');
    const texts = (await app.handlers['app.snapshot']({})).notices.map((n) => n.text);
    expect(texts).toContainEqual(
      expect.stringMatching(new RegExp(`^Conversations cannot be saved in ${dataDir} `)),
    );
    expect(texts.filter((t) => t.startsWith('Conversations are not saved'))).toEqual([]);
  });
});
