import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpStdioServerConfig } from '../../../../src/main/core/tools/mcp/config';
import { McpManager } from '../../../../src/main/core/tools/mcp/manager';
import { createToolRegistry } from '../../../../src/main/core/tools/registry';
import type { ToolRegistry, ToolResult } from '../../../../src/main/core/tools/types';
import { alive, gone, serverBin, waitFor } from './mcp-helpers';

/**
 * The reference MCP servers from npm, spawned with this Node from node_modules (never npx to the network), driven
 * through the registry as the assistant drives it.
 */
const SECRET = 'talkie-test-secret-7f3a';
const everything: McpStdioServerConfig = {
  name: 'everything',
  transport: 'stdio',
  command: process.execPath,
  args: [serverBin('@modelcontextprotocol/server-everything')],
  env: { TALKIE_TEST_TOKEN: SECRET },
  enabled: true,
  disabledTools: [],
};

describe('local MCP servers over stdio', () => {
  let folder: string;
  let manager: McpManager;
  let registry: ToolRegistry;
  const log: string[] = [];
  const pids = new Set<number>();
  const savedKey = process.env.OPENAI_API_KEY;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'talkie-mcp-'));
    writeFileSync(join(folder, 'note.txt'), 'milk, eggs, coffee\n');
    // The app's own key must never reach a server's environment.
    process.env.OPENAI_API_KEY = 'sk-talkie-must-not-leak';
    manager = new McpManager({
      timings: { pingTimeoutMs: 2_000, restartDelayMs: 50, pingIntervalMs: 60_000 },
      log: (line) => log.push(line),
    });
    registry = createToolRegistry({ providers: [manager], timeoutMs: 10_000 });
    await manager.setServers([
      everything,
      {
        name: 'files',
        transport: 'stdio',
        command: process.execPath,
        args: [serverBin('@modelcontextprotocol/server-filesystem'), folder],
        env: {},
        enabled: true,
        disabledTools: [],
      },
    ]);
    await waitFor(manager, () => manager.servers().every((s) => s.status.state === 'ready'));
    for (const name of ['everything', 'files']) pids.add(manager.pid(name)!);
  });

  afterAll(async () => {
    await registry?.dispose();
    rmSync(folder, { recursive: true, force: true });
    if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = savedKey;
  });

  const call = (
    name: string,
    args: unknown,
    options?: Parameters<ToolRegistry['call']>[2],
  ): Promise<ToolResult> => registry.call(name, JSON.stringify(args), options);

  it('lists both servers ready, their tools prefixed and asking for approval', () => {
    const [ev, files] = manager.servers();
    expect(ev?.status).toMatchObject({ state: 'ready' });
    expect(files?.status).toMatchObject({ state: 'ready' });
    const names = registry.list().map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['everything__echo', 'everything__get-sum', 'files__read_text_file']),
    );
    // A tool that can only run as an MCP task cannot be called plainly, so it is not offered.
    expect(names).not.toContain('everything__simulate-research-query');
    expect(ev?.status).toEqual({ state: 'ready', tools: ev?.tools.length });
    const echo = registry.list().find((t) => t.name === 'everything__echo')!;
    expect(echo).toMatchObject({
      approval: 'ask',
      source: { kind: 'mcp', server: 'everything', tool: 'echo' },
      parameters: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    });
    expect(echo.parameters).not.toHaveProperty('$schema');
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('calls tools through the registry', async () => {
    expect(await call('everything__echo', { message: 'hello' })).toEqual({ ok: true, output: 'Echo: hello' });
    expect(await call('everything__get-sum', { a: 2, b: 40 })).toEqual({
      ok: true,
      output: 'The sum of 2 and 40 is 42.',
    });
    expect(await call('files__read_text_file', { path: join(folder, 'note.txt') })).toEqual({
      ok: true,
      output: 'milk, eggs, coffee\n',
    });
  });

  it("passes the server its configured env, not the app's", async () => {
    const result = await call('everything__get-env', {}, { timeoutMs: 5_000 });
    expect(result.ok).toBe(true);
    const env = JSON.parse(result.ok ? result.output : '{}') as Record<string, string>;
    expect(env.TALKIE_TEST_TOKEN).toBe(SECRET);
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it('never shows env values in server views or log lines', () => {
    const views = JSON.stringify(manager.servers());
    expect(views).not.toContain(SECRET);
    expect(manager.servers()[0]?.config).toMatchObject({ envNames: ['TALKIE_TEST_TOKEN'] });
    expect(log.join('\n')).not.toContain(SECRET);
  });

  it('explains errors: server-side errors, bad JSON, unknown tools, a tool outside the sandbox', async () => {
    const invalid = await call('everything__echo', {});
    expect(invalid).toEqual({ ok: false, error: expect.stringMatching(/message/) });
    expect(await registry.call('everything__echo', '{"message":')).toEqual({
      ok: false,
      error: expect.stringMatching(/not valid JSON/),
    });
    expect(await call('everything__nope', {})).toEqual({
      ok: false,
      error: 'There is no tool named "everything__nope".',
    });
    const outside = await call('files__read_text_file', { path: '/etc/hostname' });
    expect(outside).toEqual({ ok: false, error: expect.stringMatching(/denied|outside allowed/i) });
  });

  it('cuts an output over the cap', async () => {
    const small = createToolRegistry({ providers: [manager], maxOutputBytes: 300 });
    const result = await small.call('everything__get-env', '{}');
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^The output of "everything__get-env" was too long/),
    });
    expect(new TextEncoder().encode(result.ok ? '' : result.error).length).toBeLessThanOrEqual(300);
  });

  it('switches one tool off and on', async () => {
    manager.setToolEnabled('everything', 'echo', false);
    expect(registry.list().map((t) => t.name)).not.toContain('everything__echo');
    expect(await call('everything__echo', { message: 'x' })).toEqual({
      ok: false,
      error: 'The user has switched "echo" off in Settings.',
    });
    expect(manager.servers()[0]?.tools.find((t) => t.name === 'echo')).toMatchObject({ enabled: false });
    manager.setToolEnabled('everything', 'echo', true);
    expect(await call('everything__echo', { message: 'back' })).toEqual({ ok: true, output: 'Echo: back' });
  });

  it('stops waiting for a slow tool at the timeout, and on barge-in; the server stays ready', async () => {
    const slow = { duration: 5, steps: 5 };
    expect(await call('everything__trigger-long-running-operation', slow, { timeoutMs: 300 })).toEqual({
      ok: false,
      error:
        '"everything__trigger-long-running-operation" did not finish within 0.3 seconds, so it was stopped.',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(
      await call('everything__trigger-long-running-operation', slow, { signal: controller.signal }),
    ).toEqual({
      ok: false,
      error: '"everything__trigger-long-running-operation" was cancelled because the user interrupted.',
    });
    // The timeout made the manager ping the server; it answered, so it was not restarted.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(manager.servers()[0]?.status.state).toBe('ready');
    expect(manager.pid('everything')).toBe([...pids][0]);
  });

  it('fails a call at once when its server is killed, then restarts the server to ready', async () => {
    const pid = manager.pid('everything')!;
    const pending = call('everything__trigger-long-running-operation', { duration: 10, steps: 10 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid, 'SIGKILL');
    const result = await pending;
    expect(result).toEqual({
      ok: false,
      error:
        '"trigger-long-running-operation" (from the "everything" MCP server) did not finish: ' +
        'The server stopped unexpectedly. Talkie is restarting it.',
    });
    expect(manager.servers()[0]?.status).toMatchObject({
      state: 'failed',
      reason: 'The server stopped unexpectedly.',
    });
    expect(registry.list().map((t) => t.name)).not.toContain('everything__echo');
    expect(await call('everything__echo', { message: 'x' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^The "everything" MCP server is (still starting|not working)/),
    });
    await waitFor(manager, () => manager.servers()[0]?.status.state === 'ready');
    const restarted = manager.pid('everything')!;
    expect(restarted).not.toBe(pid);
    pids.add(restarted);
    expect(await call('everything__echo', { message: 'again' })).toEqual({ ok: true, output: 'Echo: again' });
  });

  it('restarts a hung server: a timed-out call makes it ping, no answer means kill and start again', async () => {
    const pid = manager.pid('everything')!;
    process.kill(pid, 'SIGSTOP');
    try {
      expect(await call('everything__echo', { message: 'anyone?' }, { timeoutMs: 300 })).toMatchObject({
        ok: false,
      });
      await waitFor(manager, () => manager.servers()[0]?.status.state === 'failed');
      expect(manager.servers()[0]?.status).toMatchObject({
        reason: 'The server stopped answering (no reply within 2 s).',
      });
      await waitFor(manager, () => manager.servers()[0]?.status.state === 'ready');
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGCONT');
    }
    await gone(pid);
    pids.add(manager.pid('everything')!);
    expect(await call('everything__echo', { message: 'awake' })).toEqual({ ok: true, output: 'Echo: awake' });
  });

  it('stops every server on dispose: no process is left', async () => {
    for (const name of ['everything', 'files']) pids.add(manager.pid(name)!);
    await registry.dispose();
    for (const pid of pids) await gone(pid);
    expect([...pids].filter(alive)).toEqual([]);
    expect(manager.servers().map((s) => s.status.state)).toEqual(['stopped', 'stopped']);
    expect(registry.list()).toEqual([]);
  });
});

describe('MCP servers that fail to start', () => {
  it('reports a missing program, retries with backoff, then gives up', async () => {
    const manager = new McpManager({ timings: { restartDelayMs: 20, maxRestarts: 2 } });
    try {
      await manager.setServers([
        { ...everything, name: 'ghost', command: '/nonexistent/mcp-server', args: [] },
      ]);
      await waitFor(manager, () => {
        const status = manager.servers()[0]?.status;
        return status?.state === 'failed' && status.retryInMs === null;
      });
      expect(manager.servers()[0]?.status).toMatchObject({
        state: 'failed',
        reason:
          'The program "/nonexistent/mcp-server" was not found; check the command and that it is installed.',
      });
    } finally {
      await manager.dispose();
    }
  });

  it('shows the stderr tail of a server that exits at start, with secrets scrubbed', async () => {
    const manager = new McpManager({ timings: { restartDelayMs: 60_000, maxRestartDelayMs: 60_000 } });
    try {
      await manager.setServers([
        {
          ...everything,
          name: 'broken',
          args: [
            '-e',
            'console.error("login failed for token " + process.env.TALKIE_TEST_TOKEN); process.exit(3)',
          ],
        },
      ]);
      await waitFor(manager, () => manager.servers()[0]?.status.state === 'failed');
      const status = manager.servers()[0]?.status;
      expect(status).toMatchObject({ state: 'failed', retryInMs: 60_000 });
      expect(status?.state === 'failed' && status.stderrTail).toContain('login failed for token •••');
      expect(JSON.stringify(manager.servers())).not.toContain(SECRET);
    } finally {
      await manager.dispose();
    }
  });
});
