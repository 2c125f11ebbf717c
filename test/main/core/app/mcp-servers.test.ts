import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MCP_SECRETS_FILE,
  MCP_SERVERS_FILE,
  McpServerStore,
  type SecretCipher,
} from '../../../../src/main/core/app/mcp-servers';
import type { McpServerConfig } from '../../../../src/main/core/tools/mcp/config';

const cipher: SecretCipher = {
  encrypt: (plain) => Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ 0x5a)]),
  decrypt: (data) => Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString(),
};
const folder = (): string => mkdtempSync(join(tmpdir(), 'talkie-mcp-store-'));
const SECRET = 'ghp_secret_value_123456';
const stdio: McpServerConfig = {
  name: 'github',
  transport: 'stdio',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github'],
  env: { GITHUB_TOKEN: SECRET },
  enabled: true,
  disabledTools: [],
};
const open = (dataDir: string, withCipher = true, plaintext = false): McpServerStore =>
  new McpServerStore({ dataDir, cipher: withCipher ? cipher : null, plaintextAllowed: () => plaintext });

describe('MCP server settings at rest', () => {
  it('keeps servers across a restart with their secrets encrypted in a file of their own', () => {
    const dir = folder();
    const store = open(dir);
    store.put([stdio]);
    store.setToolEnabled('github', 'delete_repo', false);
    store.putRemote({
      label: 'docs',
      url: 'https://mcp.example.com/mcp',
      headers: { 'X-Key': 'remote-header-secret' },
      authorization: 'remote-oauth-token',
      allowedTools: ['search'],
      requireApproval: 'always',
    });
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toContain(SECRET);
      expect(text, file).not.toContain('remote-header-secret');
      expect(text, file).not.toContain('remote-oauth-token');
    }
    const again = open(dir);
    expect(again.list()).toEqual([{ ...stdio, disabledTools: ['delete_repo'] }]);
    expect(again.listRemote()[0]).toMatchObject({
      headers: { 'X-Key': 'remote-header-secret' },
      authorization: 'remote-oauth-token',
    });
    expect(again.notices).toEqual([]);
  });

  it('without a keyring or consent, secrets last this run only; with consent they are kept in plain text', () => {
    const dir = folder();
    const session = open(dir, false);
    session.put([stdio]);
    expect(session.storage()).toBe('session');
    expect(session.list()[0]).toMatchObject({ env: { GITHUB_TOKEN: SECRET } });
    expect(existsSync(join(dir, MCP_SECRETS_FILE))).toBe(false);
    expect(open(dir, false).list()[0]).toMatchObject({ env: {} });

    const consented = open(dir, false, true);
    consented.put([stdio]);
    expect(consented.storage()).toBe('plaintext');
    expect(open(dir, false, true).list()[0]).toMatchObject({ env: { GITHUB_TOKEN: SECRET } });
  });

  it('a damaged file is set aside with a notice that quotes nothing from it', () => {
    const dir = folder();
    writeFileSync(join(dir, MCP_SERVERS_FILE), `{"servers": [${SECRET}`);
    writeFileSync(join(dir, MCP_SECRETS_FILE), `not json ${SECRET}`);
    const store = open(dir);
    expect(store.list()).toEqual([]);
    expect(store.notices).toHaveLength(2);
    expect(store.notices.join(' ')).not.toContain(SECRET);
    expect(readdirSync(dir).some((f) => f.startsWith(`${MCP_SERVERS_FILE}.damaged-`))).toBe(true);
  });

  it('removing a server removes its secrets', () => {
    const dir = folder();
    const store = open(dir);
    store.put([stdio]);
    expect(store.remove('github')).toBe(true);
    expect(existsSync(join(dir, MCP_SECRETS_FILE))).toBe(false);
    expect(open(dir).list()).toEqual([]);
  });
});
