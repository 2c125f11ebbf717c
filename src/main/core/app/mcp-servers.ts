/**
 * The user's local MCP servers, kept in the data folder. Env values and headers are secrets (tokens live there),
 * so they are kept like the API key: in their own file, encrypted with the OS keyring where there is one, in
 * plain text only with the user's consent to plain-text storage, otherwise for this run only. The servers' file
 * holds only the names of env variables and headers. Nothing here logs, and no error quotes a value.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message';
import { parseMcpServers, type McpServerConfig } from '../tools/mcp/config';

/** The servers' file (no secrets) and the secrets' file, in the data folder. */
export const MCP_SERVERS_FILE = 'mcp-servers.json';
export const MCP_SECRETS_FILE = 'mcp-secrets.json';

/** Encrypts and decrypts text (Electron's safeStorage in the app); the same seam as the API key's. */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** How the secrets are kept. */
export type SecretStorage = 'encrypted' | 'plaintext' | 'session';

/** One server's secret values by server name: env for stdio, headers for HTTP. */
type Secrets = Record<string, Record<string, string>>;

type SecretsFile =
  { v: 1; storage: 'encrypted'; data: string } | { v: 1; storage: 'plaintext'; values: Secrets };

/** A remote MCP server the Realtime server calls itself (a `type: "mcp"` tool in the session). */
export interface RemoteMcpConfig {
  /** The server_label: names it to the model and in approvals. */
  label: string;
  url: string;
  /** Secret. */
  headers: Record<string, string>;
  /** Secret: an OAuth access token; '' for none. */
  authorization: string;
  /** Only these tools; empty: all. */
  allowedTools: string[];
  requireApproval: 'always' | 'never';
}

interface ServersFile {
  version: 1;
  /** As configured, with every secret value replaced by ''. */
  servers: McpServerConfig[];
  /** Likewise. */
  remote?: RemoteMcpConfig[];
}

/** Where a remote server's secrets are kept in the secrets file (a colon never starts a local server's name). */
const remoteKey = (label: string): string => `:remote:${label}`;
/** The authorization token beside the headers (a colon is never in a header name). */
const AUTHORIZATION = ':authorization';

/** Options for {@link McpServerStore}. */
export interface McpServerStoreOptions {
  dataDir: string;
  /** Null where the OS offers no encryption (browser mode, no keyring). */
  cipher: SecretCipher | null;
  /** Whether the user accepted plain-text storage of secrets (the API key's consent). */
  plaintextAllowed: () => boolean;
}

/** The configured servers, their secrets apart. */
export class McpServerStore {
  private servers: McpServerConfig[] = [];
  private remotes: RemoteMcpConfig[] = [];
  /** Plain words about a file that could not be read (shown once as notices). */
  readonly notices: string[] = [];
  private readonly serversFile: string;
  private readonly secretsFile: string;

  constructor(private readonly options: McpServerStoreOptions) {
    this.serversFile = join(options.dataDir, MCP_SERVERS_FILE);
    this.secretsFile = join(options.dataDir, MCP_SECRETS_FILE);
    const secrets = this.readSecrets();
    const stored = this.readServers();
    for (const server of stored.servers) this.servers.push(withSecrets(server, secrets[server.name] ?? {}));
    for (const remote of stored.remote) {
      const values = secrets[remoteKey(remote.label)] ?? {};
      const { [AUTHORIZATION]: authorization = '', ...headers } = values;
      const kept = Object.fromEntries(
        Object.keys(remote.headers).flatMap((k) =>
          headers[k] === undefined ? [] : [[k, headers[k]] as const],
        ),
      );
      this.remotes.push({ ...remote, headers: kept, authorization });
    }
  }

  /** Remote MCP servers, secrets included (for the session; never for the window). */
  listRemote(): RemoteMcpConfig[] {
    return this.remotes.map((r) => ({ ...r, headers: { ...r.headers }, allowedTools: [...r.allowedTools] }));
  }

  /** Adds a remote server; one with the same label is replaced. */
  putRemote(config: RemoteMcpConfig): void {
    const at = this.remotes.findIndex((r) => r.label === config.label);
    const copy = { ...config, headers: { ...config.headers }, allowedTools: [...config.allowedTools] };
    if (at >= 0) this.remotes[at] = copy;
    else this.remotes.push(copy);
    this.save();
  }

  removeRemote(label: string): boolean {
    const before = this.remotes.length;
    this.remotes = this.remotes.filter((r) => r.label !== label);
    if (this.remotes.length === before) return false;
    this.save();
    return true;
  }

  /** How secrets are kept now. */
  storage(): SecretStorage {
    if (this.options.cipher) return 'encrypted';
    return this.options.plaintextAllowed() ? 'plaintext' : 'session';
  }

  /** Every server, secrets included (for starting them; never for the window). */
  list(): McpServerConfig[] {
    return this.servers.map(clone);
  }

  /** Adds servers; one with the same name is replaced in place. */
  put(configs: McpServerConfig[]): void {
    for (const config of configs) {
      const at = this.servers.findIndex((s) => s.name === config.name);
      if (at >= 0) this.servers[at] = clone(config);
      else this.servers.push(clone(config));
    }
    this.save();
  }

  remove(name: string): boolean {
    const before = this.servers.length;
    this.servers = this.servers.filter((s) => s.name !== name);
    if (this.servers.length === before) return false;
    this.save();
    return true;
  }

  /** Offers or withdraws one of a server's tools; kept across restarts. */
  setToolEnabled(server: string, tool: string, enabled: boolean): boolean {
    const config = this.servers.find((s) => s.name === server);
    if (!config) return false;
    const disabled = new Set(config.disabledTools);
    if (enabled) disabled.delete(tool);
    else disabled.add(tool);
    config.disabledTools = [...disabled];
    this.save();
    return true;
  }

  private save(): void {
    const stripped: ServersFile = {
      version: 1,
      servers: this.servers.map(withoutSecrets),
      remote: this.remotes.map((r) => ({ ...r, headers: blank(r.headers), authorization: '' })),
    };
    writePrivate(this.serversFile, `${JSON.stringify(stripped, null, 2)}\n`);
    const values: Secrets = {};
    for (const server of this.servers) {
      const secret = server.transport === 'stdio' ? server.env : server.headers;
      if (Object.keys(secret).length > 0) values[server.name] = { ...secret };
    }
    for (const remote of this.remotes) {
      const secret = {
        ...remote.headers,
        ...(remote.authorization ? { [AUTHORIZATION]: remote.authorization } : {}),
      };
      if (Object.keys(secret).length > 0) values[remoteKey(remote.label)] = secret;
    }
    const storage = this.storage();
    if (Object.keys(values).length === 0 || storage === 'session') {
      // No secrets, or nowhere safe to keep them: none from an earlier run may outlive this one.
      rmSync(this.secretsFile, { force: true });
      return;
    }
    let file: SecretsFile;
    if (storage === 'encrypted' && this.options.cipher) {
      const data = this.options.cipher.encrypt(JSON.stringify(values)).toString('base64');
      file = { v: 1, storage: 'encrypted', data };
    } else file = { v: 1, storage: 'plaintext', values };
    writePrivate(this.secretsFile, JSON.stringify(file));
  }

  private readServers(): { servers: McpServerConfig[]; remote: RemoteMcpConfig[] } {
    if (!existsSync(this.serversFile)) return { servers: [], remote: [] };
    try {
      const stored = JSON.parse(readFileSync(this.serversFile, 'utf8')) as Partial<ServersFile>;
      if (!Array.isArray(stored.servers)) throw new Error('no list of servers');
      return {
        servers: stored.servers.flatMap((entry) => {
          const config = revive(entry);
          return config ? [config] : [];
        }),
        remote: (Array.isArray(stored.remote) ? stored.remote : []).flatMap((entry) => {
          const config = reviveRemote(entry);
          return config ? [config] : [];
        }),
      };
    } catch (error) {
      const kept = `${this.serversFile}.damaged-${Date.now()}`;
      renameSync(this.serversFile, kept);
      this.notices.push(
        // JSON.parse quotes the text it choked on, and the text may hold a secret: its words are not repeated.
        `Your MCP servers could not be read (${error instanceof SyntaxError ? 'not valid JSON' : errorMessage(error)}); add them again in Settings › Tools. The old file is kept as ${kept}.`,
      );
      return { servers: [], remote: [] };
    }
  }

  private readSecrets(): Secrets {
    if (!existsSync(this.secretsFile)) return {};
    try {
      const file = JSON.parse(readFileSync(this.secretsFile, 'utf8')) as Partial<SecretsFile>;
      if (file.v === 1 && file.storage === 'plaintext' && isSecrets(file.values)) return file.values;
      if (file.v === 1 && file.storage === 'encrypted' && typeof file.data === 'string') {
        if (!this.options.cipher) {
          this.notices.push(
            'The MCP servers’ secrets (env values, headers) are encrypted, but the system keyring is not available now: servers that need them may fail to start. Unlock the keyring, or add them again in Settings › Tools.',
          );
          return {};
        }
        const values: unknown = JSON.parse(this.options.cipher.decrypt(Buffer.from(file.data, 'base64')));
        if (isSecrets(values)) return values;
      }
      throw new Error('unreadable');
    } catch {
      // The message must not quote the content.
      this.notices.push(
        'The MCP servers’ secrets (env values, headers) could not be read: servers that need them may fail to start. Add them again in Settings › Tools.',
      );
      return {};
    }
  }
}

/** A stored entry as a config, through the same checks as a pasted block; secrets come separately. */
function revive(entry: unknown): McpServerConfig | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as Partial<McpServerConfig> & Record<string, unknown>;
  if (typeof e.name !== 'string') return null;
  const { name, enabled, disabledTools, transport: _t, ...rest } = e;
  const { servers } = parseMcpServers({ [name]: rest });
  const config = servers[0];
  if (!config) return null;
  config.enabled = enabled !== false;
  config.disabledTools = Array.isArray(disabledTools)
    ? disabledTools.filter((t): t is string => typeof t === 'string')
    : [];
  return config;
}

/** A stored remote server, or null when it is not one. */
function reviveRemote(entry: unknown): RemoteMcpConfig | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as Partial<RemoteMcpConfig>;
  if (typeof e.label !== 'string' || typeof e.url !== 'string') return null;
  return {
    label: e.label,
    url: e.url,
    headers: typeof e.headers === 'object' && e.headers !== null ? blank(e.headers) : {},
    authorization: '',
    allowedTools: Array.isArray(e.allowedTools)
      ? e.allowedTools.filter((t): t is string => typeof t === 'string')
      : [],
    requireApproval: e.requireApproval === 'never' ? 'never' : 'always',
  };
}

/** The names of a map with every value blanked. */
function blank(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).map((k) => [k, '']));
}

function withoutSecrets(config: McpServerConfig): McpServerConfig {
  const copy = clone(config);
  if (copy.transport === 'stdio') copy.env = blank(copy.env);
  else copy.headers = blank(copy.headers);
  return copy;
}

/** The stored names with their secret values; a name whose value was lost is dropped, not sent empty. */
function withSecrets(config: McpServerConfig, values: Record<string, string>): McpServerConfig {
  const fill = (names: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.keys(names).flatMap((k) => (values[k] === undefined ? [] : [[k, values[k]] as const])),
    );
  const copy = clone(config);
  if (copy.transport === 'stdio') copy.env = fill(copy.env);
  else copy.headers = fill(copy.headers);
  return copy;
}

function clone(config: McpServerConfig): McpServerConfig {
  return JSON.parse(JSON.stringify(config)) as McpServerConfig;
}

function isSecrets(value: unknown): value is Secrets {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(
    (v) => typeof v === 'object' && v !== null && Object.values(v).every((text) => typeof text === 'string'),
  );
}

/** Readable by its owner only, written whole and renamed into place. */
function writePrivate(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
}
