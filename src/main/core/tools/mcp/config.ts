/**
 * Local MCP server settings, the `mcpServers` JSON that Claude Desktop and other clients use, and the view of a
 * server that is safe to show: env values and headers are secrets (tokens live there), so only their names
 * ever leave this module's callers.
 */

interface McpServerCommon {
  /** The user's name for the server (the key in `mcpServers`); tools are offered as `<name>__<tool>`. */
  name: string;
  /** A server switched off is not started. */
  enabled: boolean;
  /** The server's own tool names the user has switched off. */
  disabledTools: string[];
}

/** A server Talkie starts as a child process and talks to over stdin/stdout. */
export interface McpStdioServerConfig extends McpServerCommon {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Secret: added to a minimal inherited environment (PATH, HOME…), never Talkie's own (no API key leaks). */
  env: Record<string, string>;
  cwd?: string;
}

/** A server already running somewhere, reached over Streamable HTTP. */
export interface McpHttpServerConfig extends McpServerCommon {
  transport: 'http';
  url: string;
  /** Secret: sent with every request (e.g. `Authorization`). */
  headers: Record<string, string>;
}

export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

/** A server's settings without secrets: env and header names only, and the URL without credentials or query values. */
export type McpServerConfigView =
  | (McpServerCommon & {
      transport: 'stdio';
      command: string;
      args: string[];
      envNames: string[];
      cwd?: string;
    })
  | (McpServerCommon & { transport: 'http'; url: string; headerNames: string[] });

/** The safe view of a server's settings. */
export function viewOfConfig(config: McpServerConfig): McpServerConfigView {
  const common = { name: config.name, enabled: config.enabled, disabledTools: [...config.disabledTools] };
  if (config.transport === 'http')
    return {
      ...common,
      transport: 'http',
      url: redactUrl(config.url),
      headerNames: Object.keys(config.headers),
    };
  return {
    ...common,
    transport: 'stdio',
    command: config.command,
    args: [...config.args],
    envNames: Object.keys(config.env),
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
  };
}

/**
 * The values in a config that must never be shown, so text from the server (its stderr, an error echoing a
 * request) can be scrubbed. Very short values are skipped: hiding every "1" or "on" would garble the text and
 * protects nothing.
 */
export function secretsOf(config: McpServerConfig): string[] {
  const values =
    config.transport === 'stdio'
      ? Object.values(config.env)
      : [...Object.values(config.headers), ...urlSecrets(config.url)];
  return values.filter((v) => v.length >= 6);
}

/** `text` with every secret value replaced by `•••`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('•••');
  return out;
}

function urlSecrets(raw: string): string[] {
  try {
    const url = new URL(raw);
    // Both spellings: a server's error may quote the URL as sent (encoded) or as meant (decoded).
    const encoded = [
      url.username,
      url.password,
      ...url.search
        .slice(1)
        .split('&')
        .map((p) => p.split('=')[1] ?? ''),
    ];
    return [...encoded, ...encoded.map(safeDecode), ...url.searchParams.values()].filter(Boolean);
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL fit to show: no user name or password, query values replaced by `•••`. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const query = [...url.searchParams.keys()].map((key) => `${key}=•••`).join('&');
    return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
  } catch {
    return '(not a valid URL)';
  }
}

/** One entry that could not be read, with the reason in plain words (never a value from it). */
export interface McpConfigError {
  /** The server's name, or '' when the whole block is wrong. */
  name: string;
  message: string;
}

/**
 * Reads an `mcpServers` block as pasted from another client: `{"mcpServers": {"name": {command, args, env,
 * cwd} | {url, headers}}}`, or the inner object alone. Good entries are kept even when others are wrong; each
 * wrong one gets its own error. Also understood: `type` ("stdio", "http", "streamable-http"; "sse" is refused)
 * and `disabled: true` (as Cline and Roo write it).
 */
export function parseMcpServers(input: string | unknown): {
  servers: McpServerConfig[];
  errors: McpConfigError[];
} {
  const errors: McpConfigError[] = [];
  let root: unknown = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { servers: [], errors: [{ name: '', message: `This is not valid JSON (${why}).` }] };
    }
  }
  if (!isObject(root))
    return {
      servers: [],
      errors: [{ name: '', message: 'Expected a JSON object with "mcpServers" in it.' }],
    };
  const block = 'mcpServers' in root ? root.mcpServers : root;
  if (!isObject(block))
    return {
      servers: [],
      errors: [{ name: '', message: '"mcpServers" must be an object of servers by name.' }],
    };

  const servers: McpServerConfig[] = [];
  for (const [name, entry] of Object.entries(block)) {
    const parsed = parseEntry(name, entry);
    if (typeof parsed === 'string') errors.push({ name, message: `${name}: ${parsed}` });
    else servers.push(parsed);
  }
  return { servers, errors };
}

/** A server, or why not. */
function parseEntry(name: string, entry: unknown): McpServerConfig | string {
  if (name.trim() === '') return 'a server needs a name.';
  if (!isObject(entry)) return 'expected an object with "command" or "url".';
  const type = entry.type;
  if (type === 'sse')
    return 'this is an SSE server; Talkie speaks Streamable HTTP and stdio only (many servers offer Streamable HTTP at /mcp).';
  if (
    type !== undefined &&
    type !== 'stdio' &&
    type !== 'http' &&
    type !== 'streamable-http' &&
    type !== 'streamableHttp'
  )
    return `unknown "type" ${JSON.stringify(type)}; use "stdio" or "http".`;
  if (entry.disabled !== undefined && typeof entry.disabled !== 'boolean')
    return '"disabled" must be true or false.';
  const common = { name, enabled: entry.disabled !== true, disabledTools: [] };
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  if (hasCommand && hasUrl)
    return 'give either "command" (a program to start) or "url" (a running server), not both.';

  if (hasUrl) {
    if (typeof entry.url !== 'string') return '"url" must be text.';
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      return '"url" is not a complete address (e.g. http://127.0.0.1:3000/mcp).';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return '"url" must start with http:// or https://.';
    const headers = stringMap(entry.headers, '"headers"');
    if (typeof headers === 'string') return headers;
    return { ...common, transport: 'http', url: entry.url, headers };
  }

  if (!hasCommand) return 'needs "command" (a program to start) or "url" (a running server).';
  if (typeof entry.command !== 'string' || entry.command.trim() === '')
    return '"command" must be non-empty text.';
  if (
    entry.args !== undefined &&
    !(Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string'))
  )
    return '"args" must be a list of text values.';
  const env = stringMap(entry.env, '"env"');
  if (typeof env === 'string') return env;
  if (entry.cwd !== undefined && typeof entry.cwd !== 'string') return '"cwd" must be text (a folder).';
  return {
    ...common,
    transport: 'stdio',
    command: entry.command,
    args: (entry.args as string[] | undefined) ?? [],
    env,
    ...(typeof entry.cwd === 'string' ? { cwd: entry.cwd } : {}),
  };
}

/** Names to text values; numbers and booleans become text, as users often write `"PORT": 3000`. */
function stringMap(value: unknown, label: string): Record<string, string> | string {
  if (value === undefined) return {};
  if (!isObject(value)) return `${label} must be an object of names to text values.`;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else return `${label}: the value of "${key}" must be text.`;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
