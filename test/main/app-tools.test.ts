/**
 * Tools through the whole app core (issue 15): the composition both shells share, with the built-in simulator,
 * and a real MCP server (@modelcontextprotocol/server-everything from node_modules, spawned over stdio) added the
 * way a user adds it in Settings — a pasted `mcpServers` block.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App, type AppDeps, type ApprovalRequest } from '../../src/main/app';
import type { SecretCipher } from '../../src/main/core/app/mcp-servers';
import { FakeAudioEngine } from '../../src/main/core/audio/fake-engine';
import { openBrowserModeStores } from '../../src/main/web/stores';
import type { EventName } from '../../src/shared/contract';
import type { ToolsView, TurnView } from '../../src/shared/types';
import { alive, gone, serverBin } from './core/tools/mcp-helpers';

const SECRET = 'mcp-env-secret-5b1e9c';
const block = (name = 'everything', env: Record<string, string> = { EVERYTHING_TOKEN: SECRET }): string =>
  JSON.stringify({
    mcpServers: {
      [name]: {
        command: process.execPath,
        args: [serverBin('@modelcontextprotocol/server-everything')],
        env,
      },
    },
  });

/** Reversible and visibly not the plain text, like the fake safeStorage of the Electron tests. */
const cipher: SecretCipher = {
  encrypt: (plain) => Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ 0x5a)]),
  decrypt: (data) => Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString(),
};

const apps: App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});

async function start(
  dataDir = mkdtempSync(join(tmpdir(), 'talkie-tools-app-')),
  more: Partial<AppDeps> = {},
): Promise<{ app: App; dataDir: string; seen: Array<[EventName, unknown]> }> {
  const { settings, secrets } = openBrowserModeStores(dataDir);
  const app = await createApp({
    settings,
    secrets,
    audio: new FakeAudioEngine(),
    dataDir,
    shell: 'browser',
    env: {},
    mcpTimings: { restartDelayMs: 50, maxRestarts: 1 },
    ...more,
  });
  apps.push(app);
  const seen: Array<[EventName, unknown]> = [];
  app.onEvent((name, payload) => seen.push([name, payload]));
  await app.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
  return { app, dataDir, seen };
}

const tools = (app: App): Promise<ToolsView> => app.handlers['tools.get']({});
const serverState = async (app: App, name: string): Promise<string | undefined> =>
  (await tools(app)).servers.find((s) => s.config.name === name)?.status.state;
const turn = async (app: App, id: string): Promise<TurnView | undefined> =>
  (await app.handlers['app.snapshot']({})).turns.find((t) => t.id === id);

async function ready(app: App, name = 'everything'): Promise<void> {
  await expect.poll(() => serverState(app, name), { timeout: 20_000 }).toBe('ready');
}

describe('MCP servers in the app', () => {
  it('a pasted server starts; the model calls its tool, the user allows it once, and the reply uses the result', async () => {
    const asked: ApprovalRequest[] = [];
    const { app } = await start(undefined, {
      desktop: {
        hideWindow: () => undefined,
        openExternal: async () => undefined,
        approvalNeeded: (request) => asked.push(request),
      },
    });
    const imported = await app.handlers['mcp.import']({ json: block() });
    expect(imported.added).toEqual(['everything']);
    expect(imported.errors).toEqual([]);
    await ready(app);
    const view = await tools(app);
    const server = view.servers[0];
    expect(server?.status).toMatchObject({ state: 'ready', tools: expect.any(Number) });
    expect(server?.tools.map((t) => t.functionName)).toContain('everything__echo');

    const { turnId } = await app.handlers['message.send']({
      text: 'call everything__echo with {"message":"hello from MCP"}',
    });
    await expect
      .poll(async () => (await turn(app, turnId))?.tools?.[0]?.status, { timeout: 10_000 })
      .toBe('approval');
    // The desktop notification hook hears tool, server and arguments.
    expect(asked).toEqual([
      expect.objectContaining({
        tool: 'echo',
        server: 'everything',
        arguments: '{"message":"hello from MCP"}',
      }),
    ]);
    const callId = (await turn(app, turnId))?.tools?.[0]?.callId ?? '';
    expect(await app.handlers['tool.decide']({ callId, decision: 'once' })).toEqual({ ok: true });
    await expect
      .poll(async () => (await turn(app, turnId))?.outcome?.kind, { timeout: 10_000 })
      .toBe('completed');
    const done = await turn(app, turnId);
    expect(done?.tools?.[0]).toMatchObject({
      name: 'everything__echo',
      status: 'done',
      result: 'Echo: hello from MCP',
    });
    expect(done?.assistantText).toContain('The everything__echo tool returned: Echo: hello from MCP');
    // Stored in history: the call is in the conversation's export.
    const conversation = (await app.handlers['app.snapshot']({})).conversation.id;
    const { markdown } = await app.handlers['conversation.export']({ id: conversation });
    expect(markdown).toContain('Echo: hello from MCP');
  }, 40_000);

  it('a tool switched off is no longer offered, and the model is told why', async () => {
    const { app } = await start();
    await app.handlers['mcp.import']({ json: block() });
    await ready(app);
    const view = await app.handlers['mcp.setTool']({ server: 'everything', tool: 'echo', enabled: false });
    expect(view.servers[0]?.tools.find((t) => t.name === 'echo')?.enabled).toBe(false);
    expect(app.tools.registry.list().map((t) => t.name)).not.toContain('everything__echo');
    const { turnId } = await app.handlers['message.send']({
      text: 'call everything__echo with {"message":"x"}',
    });
    await expect
      .poll(async () => (await turn(app, turnId))?.outcome?.kind, { timeout: 10_000 })
      .toBe('completed');
    expect((await turn(app, turnId))?.tools?.[0]).toMatchObject({
      status: 'failed',
      result: 'The user has switched "echo" off in Settings.',
    });
  }, 40_000);

  it('env values never reach the window, events, the log, an export or the servers file; encrypted at rest, they reach the server after a restart', async () => {
    const first = await start(undefined, { secretCipher: cipher });
    await first.app.handlers['mcp.import']({ json: block() });
    await ready(first.app);
    const { turnId } = await first.app.handlers['message.send']({ text: 'call get_current_time' });
    await expect
      .poll(async () => (await turn(first.app, turnId))?.outcome?.kind, { timeout: 10_000 })
      .toBe('completed');

    const view = await tools(first.app);
    expect(view.secretStorage).toBe('encrypted');
    expect(view.servers[0]?.config).toMatchObject({ envNames: ['EVERYTHING_TOKEN'] });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(first.seen)).not.toContain(SECRET);
    expect(JSON.stringify(await first.app.handlers['app.snapshot']({}))).not.toContain(SECRET);
    expect((await first.app.handlers['log.export']({})).jsonl).not.toContain(SECRET);
    const conversation = (await first.app.handlers['app.snapshot']({})).conversation.id;
    expect((await first.app.handlers['conversation.export']({ id: conversation })).markdown).not.toContain(
      SECRET,
    );
    for (const file of readdirSync(first.dataDir).filter((f) => f.endsWith('.json')))
      expect(readFileSync(join(first.dataDir, file), 'utf8'), file).not.toContain(SECRET);
    expect(existsSync(join(first.dataDir, 'mcp-secrets.json'))).toBe(true);

    await first.app.dispose();
    apps.splice(apps.indexOf(first.app), 1);
    const second = await start(first.dataDir, { secretCipher: cipher });
    await ready(second.app);
    const env = await second.app.tools.registry.call('everything__get-env', '{}', { timeoutMs: 5_000 });
    expect(env.ok && env.output).toContain(SECRET);
  }, 60_000);

  it('without a keyring or consent, env values are kept for this run only (no secrets file)', async () => {
    const { app, dataDir } = await start();
    await app.handlers['mcp.import']({ json: block() });
    expect((await tools(app)).secretStorage).toBe('session');
    expect(existsSync(join(dataDir, 'mcp-secrets.json'))).toBe(false);
    expect(readFileSync(join(dataDir, 'mcp-servers.json'), 'utf8')).not.toContain(SECRET);
  });

  it('a server that cannot start says why in Settings; the app goes on answering', async () => {
    const { app } = await start();
    const imported = await app.handlers['mcp.import']({
      json: JSON.stringify({
        mcpServers: {
          broken: {
            command: process.execPath,
            args: ['-e', 'console.error("no token given"); process.exit(3)'],
          },
          wrong: { url: 'ftp://example.com' },
        },
      }),
    });
    expect(imported.added).toEqual(['broken']);
    expect(imported.errors).toEqual([{ name: 'wrong', message: expect.stringContaining('http') }]);
    await expect.poll(() => serverState(app, 'broken'), { timeout: 15_000 }).toBe('failed');
    const status = (await tools(app)).servers[0]?.status;
    expect(status).toMatchObject({ state: 'failed', reason: expect.any(String) });
    expect(status?.state === 'failed' && status.stderrTail).toContain('no token given');
    const { turnId } = await app.handlers['message.send']({ text: 'still there?' });
    await expect
      .poll(async () => (await turn(app, turnId))?.assistantText, { timeout: 10_000 })
      .toContain('Echo: still there?');
    // Restart tries again at once (and it fails again, saying so).
    const restarted = await app.handlers['mcp.restart']({ name: 'broken' });
    expect(['starting', 'failed']).toContain(restarted.servers[0]?.status.state);
    await expect.poll(() => serverState(app, 'broken'), { timeout: 15_000 }).toBe('failed');
  }, 40_000);

  it('a server that crashes during a call: the call fails with the reason, the reply goes on, the server comes back', async () => {
    const { app } = await start();
    await app.handlers['mcp.import']({ json: block() });
    await ready(app);
    const pid = app.tools.pid('everything') ?? 0;
    const { turnId } = await app.handlers['message.send']({
      text: 'call everything__trigger-long-running-operation with {"duration":30,"steps":30}',
    });
    await expect
      .poll(async () => (await turn(app, turnId))?.tools?.[0]?.status, { timeout: 10_000 })
      .toBe('approval');
    const callId = (await turn(app, turnId))?.tools?.[0]?.callId ?? '';
    await app.handlers['tool.decide']({ callId, decision: 'once' });
    await expect
      .poll(async () => (await turn(app, turnId))?.tools?.[0]?.status, { timeout: 10_000 })
      .toBe('running');
    process.kill(pid, 'SIGKILL');
    await expect
      .poll(async () => (await turn(app, turnId))?.outcome?.kind, { timeout: 10_000 })
      .toBe('completed');
    const row = (await turn(app, turnId))?.tools?.[0];
    expect(row?.status).toBe('failed');
    expect(row?.result).toContain('The server stopped unexpectedly');
    // Restarted with backoff: ready again with a new process.
    await ready(app);
    expect(app.tools.pid('everything')).not.toBe(pid);
  }, 40_000);

  it('quitting stops every server: no process is left behind', async () => {
    const { app } = await start();
    await app.handlers['mcp.import']({ json: block() });
    await ready(app);
    const pid = app.tools.pid('everything');
    expect(pid).toBeDefined();
    expect(alive(pid ?? 0)).toBe(true);
    await app.dispose();
    apps.splice(apps.indexOf(app), 1);
    await gone(pid ?? 0);
    expect(alive(pid ?? 0)).toBe(false);
  }, 40_000);

  it('a built-in switched off is not offered, and stays off after a restart', async () => {
    const first = await start();
    const view = await first.app.handlers['tools.setBuiltin']({ name: 'get_current_time', enabled: false });
    expect(view.builtins.find((t) => t.name === 'get_current_time')?.enabled).toBe(false);
    expect(first.app.tools.registry.list().map((t) => t.name)).not.toContain('get_current_time');
    await first.app.dispose();
    apps.splice(apps.indexOf(first.app), 1);
    const second = await start(first.dataDir);
    expect((await tools(second.app)).builtins.find((t) => t.name === 'get_current_time')?.enabled).toBe(
      false,
    );
    await expect(second.app.handlers['tools.setBuiltin']({ name: 'rm_rf', enabled: true })).rejects.toThrow(
      'There is no built-in tool named "rm_rf".',
    );
  });

  it('a remote MCP server: offered to the Realtime server, approved in the window, its token never shown or logged', async () => {
    const TOKEN = 'remote-token-e7a2c91d55';
    const { app, seen } = await start();
    const view = await app.handlers['mcp.addRemote']({
      label: 'docs',
      url: 'https://mcp.example.com/mcp',
      headers: {},
      authorization: TOKEN,
      allowedTools: [],
      requireApproval: 'always',
    });
    expect(view.remote).toEqual([
      {
        label: 'docs',
        url: 'https://mcp.example.com/mcp',
        headerNames: [],
        hasAuthorization: true,
        allowedTools: [],
        requireApproval: 'always',
      },
    ]);
    const { turnId } = await app.handlers['message.send']({ text: 'use docs add with {"a":2,"b":40}' });
    await expect
      .poll(async () => (await turn(app, turnId))?.tools?.[0]?.status, { timeout: 10_000 })
      .toBe('approval');
    const callId = (await turn(app, turnId))?.tools?.[0]?.callId ?? '';
    expect(await app.handlers['tool.decide']({ callId, decision: 'once' })).toEqual({ ok: true });
    await expect
      .poll(async () => (await turn(app, turnId))?.assistantText, { timeout: 10_000 })
      .toContain('The docs add tool returned: 42');
    const log = (await app.handlers['log.export']({})).jsonl;
    expect(log).toContain('"server_label":"docs"');
    expect(log).not.toContain(TOKEN);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect(JSON.stringify(await tools(app))).not.toContain(TOKEN);

    // Removed: the session no longer offers it (the last tool withdrawn is withdrawn explicitly).
    await app.handlers['tools.setBuiltin']({ name: 'get_current_time', enabled: false });
    await app.handlers['tools.setBuiltin']({ name: 'open_url', enabled: false });
    await app.handlers['tools.setBuiltin']({ name: 'search_conversations', enabled: false });
    expect((await app.handlers['mcp.removeRemote']({ label: 'docs' })).remote).toEqual([]);
    const after = await app.handlers['message.send']({ text: 'use docs add with {"a":1,"b":1}' });
    await expect
      .poll(async () => (await turn(app, after.turnId))?.assistantText, { timeout: 10_000 })
      .toContain('Echo: use docs add');
    expect((await turn(app, after.turnId))?.tools).toBeUndefined();
  }, 30_000);

  it('a server added by hand is validated in main', async () => {
    const { app } = await start();
    const added = await app.handlers['mcp.add']({
      server: {
        transport: 'http',
        name: 'remote',
        url: 'http://127.0.0.1:9/mcp',
        headers: { Authorization: `Bearer ${SECRET}` },
      },
    });
    expect(added.ok).toBe(true);
    const view = await tools(app);
    expect(view.servers[0]?.config).toMatchObject({ transport: 'http', headerNames: ['Authorization'] });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    await app.handlers['mcp.remove']({ name: 'remote' });
    expect((await tools(app)).servers).toEqual([]);
  });
});
