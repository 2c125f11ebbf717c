import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { McpHttpServerConfig } from '../../../../src/main/core/tools/mcp/config';
import { McpManager } from '../../../../src/main/core/tools/mcp/manager';
import { createToolRegistry } from '../../../../src/main/core/tools/registry';
import { waitFor } from './mcp-helpers';

const TOKEN = 'Bearer http-secret-4b1d';

/** The SDK's own server on 127.0.0.1: one session, a `shout` tool, and a bearer token it insists on. */
async function startServer(): Promise<{ url: string; mcp: McpServer; http: Server; requests: string[] }> {
  const mcp = new McpServer({ name: 'notes', version: '1.0.0' });
  mcp.registerTool(
    'shout',
    { description: 'Says it louder.', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text: text.toUpperCase() }] }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await mcp.connect(transport);
  const requests: string[] = [];
  const http = createServer((req, res) => {
    requests.push(`${req.method} ${req.headers.authorization ?? '-'}`);
    if (req.headers.authorization !== TOKEN) {
      // Echoes what it got, as some servers do: the client must not pass it on.
      res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end(`bad credentials: ${req.headers.authorization}`);
      return;
    }
    void transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, mcp, http, requests };
}

describe('a Streamable HTTP MCP server', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(headers: Record<string, string>) {
    const server = await startServer();
    cleanup.push(async () => {
      server.http.closeAllConnections();
      await new Promise((resolve) => server.http.close(resolve));
      await server.mcp.close();
    });
    const config: McpHttpServerConfig = {
      name: 'notes',
      transport: 'http',
      url: server.url,
      headers,
      enabled: true,
      disabledTools: [],
    };
    const manager = new McpManager({ timings: { restartDelayMs: 60_000, maxRestartDelayMs: 60_000 } });
    const registry = createToolRegistry({ providers: [manager] });
    cleanup.push(() => registry.dispose());
    await manager.setServers([config]);
    await waitFor(manager, () => manager.servers()[0]?.status.state !== 'starting', 10_000);
    return { server, manager, registry };
  }

  it('connects with its headers, lists and calls, and follows tools/list_changed', async () => {
    const { server, manager, registry } = await setup({ Authorization: TOKEN });
    expect(manager.servers()[0]?.status).toEqual({ state: 'ready', tools: 1 });
    expect(registry.list().map((t) => t.name)).toEqual(['notes__shout']);
    expect(await registry.call('notes__shout', '{"text":"quiet please"}')).toEqual({
      ok: true,
      output: 'QUIET PLEASE',
    });
    expect(server.requests.every((r) => r.endsWith(TOKEN))).toBe(true);

    let changes = 0;
    registry.onChange(() => changes++);
    server.mcp.registerTool(
      'whisper',
      { description: 'Says it softer.', inputSchema: { text: z.string() } },
      async ({ text }) => ({
        content: [{ type: 'text', text: text.toLowerCase() }],
      }),
    );
    await waitFor(manager, () => registry.list().length === 2, 5_000);
    expect(registry.list().map((t) => t.name)).toEqual(['notes__shout', 'notes__whisper']);
    expect(changes).toBe(1);
    expect(manager.servers()[0]?.status).toEqual({ state: 'ready', tools: 2 });
    expect(await registry.call('notes__whisper', '{"text":"SHH"}')).toEqual({ ok: true, output: 'shh' });
  });

  it('fails with the reason when the server refuses the headers, never repeating their values', async () => {
    const { manager } = await setup({ Authorization: 'Bearer wrong-token-9c2e' });
    const [view] = manager.servers();
    expect(view?.status).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^The server refused the connection with HTTP 401 \(check the headers/),
    });
    expect(JSON.stringify(view)).not.toContain('wrong-token-9c2e');
    expect(view?.config).toMatchObject({ transport: 'http', headerNames: ['Authorization'] });
  });

  it('applies settings: an unchanged server keeps its session, one switched off stops, one removed is gone', async () => {
    const { server, manager, registry } = await setup({ Authorization: TOKEN });
    const config = manager.servers()[0]!.config;
    const same: McpHttpServerConfig = {
      name: 'notes',
      transport: 'http',
      url: server.url,
      headers: { Authorization: TOKEN },
      enabled: true,
      disabledTools: ['shout'],
    };
    const posts = server.requests.length;
    await manager.setServers([same]);
    expect(manager.servers()[0]?.status).toEqual({ state: 'ready', tools: 1 });
    expect(server.requests.length).toBe(posts);
    expect(registry.list()).toEqual([]);
    expect(manager.servers()[0]?.config).toEqual({ ...config, disabledTools: ['shout'] });

    await manager.setServers([{ ...same, enabled: false }]);
    expect(manager.servers()[0]?.status).toEqual({ state: 'stopped' });
    expect(server.requests.at(-1)).toBe(`DELETE ${TOKEN}`);
    expect(await registry.call('notes__shout', '{"text":"x"}')).toEqual({
      ok: false,
      error: 'The "notes" MCP server is switched off.',
    });
    await manager.setServers([]);
    expect(manager.servers()).toEqual([]);
    expect(await registry.call('notes__shout', '{}')).toEqual({
      ok: false,
      error: 'There is no tool named "notes__shout".',
    });
  });

  it('says when nothing answers at the URL', async () => {
    const { server, manager } = await setup({ Authorization: TOKEN });
    await manager.dispose();
    server.http.closeAllConnections();
    await new Promise((resolve) => server.http.close(resolve));
    const again = new McpManager({ timings: { restartDelayMs: 60_000, maxRestartDelayMs: 60_000 } });
    cleanup.push(() => again.dispose());
    await again.setServers([
      {
        name: 'gone',
        transport: 'http',
        url: `${server.url}?key=abc123456`,
        headers: {},
        enabled: true,
        disabledTools: [],
      },
    ]);
    await waitFor(again, () => again.servers()[0]?.status.state === 'failed', 10_000);
    expect(again.servers()[0]?.status).toMatchObject({
      reason: expect.stringMatching(
        /^Could not reach http:\/\/127\.0\.0\.1:\d+\/mcp\?key=••• \(.+\); check the URL/,
      ),
    });
  });
});
