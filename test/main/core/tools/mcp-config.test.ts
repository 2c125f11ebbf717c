import { describe, expect, it } from 'vitest';
import { parseMcpServers, redact, secretsOf, viewOfConfig } from '../../../../src/main/core/tools/mcp/config';

/** As Claude Desktop's claude_desktop_config.json has it, plus the HTTP form other clients use. */
const CLAUDE_DESKTOP = JSON.stringify({
  globalShortcut: 'Ctrl+Space',
  mcpServers: {
    filesystem: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
    },
    github: {
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_secret123456', PORT: 3000 },
      cwd: '/tmp',
    },
    notes: {
      type: 'http',
      url: 'https://notes.example.com/mcp?key=query-secret-42',
      headers: { Authorization: 'Bearer tok-secret-99' },
    },
    paused: { command: 'node', args: ['server.js'], disabled: true },
  },
});

describe('mcpServers JSON', () => {
  it('reads stdio and HTTP servers as Claude Desktop and others write them', () => {
    const { servers, errors } = parseMcpServers(CLAUDE_DESKTOP);
    expect(errors).toEqual([]);
    expect(servers).toEqual([
      {
        name: 'filesystem',
        enabled: true,
        disabledTools: [],
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
        env: {},
      },
      {
        name: 'github',
        enabled: true,
        disabledTools: [],
        transport: 'stdio',
        command: 'docker',
        args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_secret123456', PORT: '3000' },
        cwd: '/tmp',
      },
      {
        name: 'notes',
        enabled: true,
        disabledTools: [],
        transport: 'http',
        url: 'https://notes.example.com/mcp?key=query-secret-42',
        headers: { Authorization: 'Bearer tok-secret-99' },
      },
      {
        name: 'paused',
        enabled: false,
        disabledTools: [],
        transport: 'stdio',
        command: 'node',
        args: ['server.js'],
        env: {},
      },
    ]);
  });

  it('accepts the inner object alone', () => {
    const { servers } = parseMcpServers('{"everything": {"command": "node", "args": ["x.js"]}}');
    expect(servers.map((s) => s.name)).toEqual(['everything']);
  });

  it('keeps good entries and gives each wrong one its own error, without quoting values', () => {
    const { servers, errors } = parseMcpServers({
      mcpServers: {
        good: { command: 'node' },
        nothing: {},
        both: { command: 'node', url: 'http://x' },
        badArgs: { command: 'node', args: 'server.js' },
        badEnv: { command: 'node', env: { TOKEN: { nested: 'ghp_do_not_echo' } } },
        badUrl: { url: 'ftp://example.com' },
        notUrl: { url: 'not a url' },
        sse: { type: 'sse', url: 'http://127.0.0.1:3000/sse' },
        list: ['node'],
      },
    });
    expect(servers.map((s) => s.name)).toEqual(['good']);
    expect(errors).toEqual([
      {
        name: 'nothing',
        message: 'nothing: needs "command" (a program to start) or "url" (a running server).',
      },
      { name: 'both', message: expect.stringMatching(/^both: give either "command".*or "url".*not both/) },
      { name: 'badArgs', message: 'badArgs: "args" must be a list of text values.' },
      { name: 'badEnv', message: 'badEnv: "env": the value of "TOKEN" must be text.' },
      { name: 'badUrl', message: 'badUrl: "url" must start with http:// or https://.' },
      { name: 'notUrl', message: expect.stringMatching(/^notUrl: "url" is not a complete address/) },
      {
        name: 'sse',
        message: expect.stringMatching(/^sse: this is an SSE server; Talkie speaks Streamable HTTP/),
      },
      { name: 'list', message: 'list: expected an object with "command" or "url".' },
    ]);
    expect(JSON.stringify(errors)).not.toContain('ghp_do_not_echo');
  });

  it('explains a block that is not JSON or not servers', () => {
    expect(parseMcpServers('{"mcpServers": {').errors[0]?.message).toMatch(/^This is not valid JSON/);
    expect(parseMcpServers('[1]').errors).toEqual([
      { name: '', message: 'Expected a JSON object with "mcpServers" in it.' },
    ]);
    expect(parseMcpServers('{"mcpServers": []}').errors[0]?.message).toMatch(/must be an object of servers/);
  });

  it('views a server with names only: no env values, headers, URL credentials or query values', () => {
    const { servers } = parseMcpServers(CLAUDE_DESKTOP);
    const views = servers.map(viewOfConfig);
    const text = JSON.stringify(views);
    for (const secret of ['ghp_secret123456', 'tok-secret-99', 'Bearer', 'query-secret-42'])
      expect(text).not.toContain(secret);
    expect(views[1]).toMatchObject({
      transport: 'stdio',
      envNames: ['GITHUB_PERSONAL_ACCESS_TOKEN', 'PORT'],
    });
    expect(views[1]).not.toHaveProperty('env');
    expect(views[2]).toEqual({
      name: 'notes',
      enabled: true,
      disabledTools: [],
      transport: 'http',
      url: 'https://notes.example.com/mcp?key=•••',
      headerNames: ['Authorization'],
    });
  });

  it('scrubs secret values from text a server sends back', () => {
    const [, github, notes] = parseMcpServers(CLAUDE_DESKTOP).servers;
    expect(redact('token ghp_secret123456 rejected on port 3000', secretsOf(github!))).toBe(
      'token ••• rejected on port 3000',
    );
    expect(redact('401 for Bearer tok-secret-99 at ?key=query-secret-42', secretsOf(notes!))).toBe(
      '401 for ••• at ?key=•••',
    );
  });
});
