import type { ConversationHit } from '../../../shared/types';
import { checkLink } from '../links';
import type { ToolHandler, ToolProvider, ToolResult, ToolSpec } from './types';

/** The clipboard as the built-in tools use it (Electron's clipboard in the desktop app). */
export interface ClipboardPort {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

/** A capability the app cannot offer here, with the reason in plain words (e.g. browser mode has no clipboard). */
export interface Unavailable {
  unavailable: string;
}

/** What the built-in tools reach the world through, so core stays free of Electron. */
export interface BuiltinToolPorts {
  /** Opens a checked http(s)/mailto URL in the default browser. */
  openExternal: ((url: string) => Promise<void>) | Unavailable;
  clipboard: ClipboardPort | Unavailable;
  /** Full-text search over stored conversations (e.g. `Conversations.search`). */
  search: ((query: string) => ConversationHit[] | Promise<ConversationHit[]>) | Unavailable;
  /** Wall clock; default `Date.now`. */
  now?: () => number;
  /** The user's IANA time zone; default the system's. */
  timeZone?: string;
}

/** The function names of the built-in tools, in the order they are offered. */
export const BUILTIN_TOOL_NAMES = [
  'get_current_time',
  'open_url',
  'read_clipboard',
  'write_clipboard',
  'search_conversations',
] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** A built-in tool as the settings window shows it. */
export interface BuiltinToolView {
  name: BuiltinToolName;
  description: string;
  approval: 'ask' | 'never';
  enabled: boolean;
  /** Why it cannot run in this app at all (then it is never offered, whatever `enabled` says). */
  unavailable?: string;
}

/** The built-in tools as a provider, switchable one by one. */
export interface BuiltinTools extends ToolProvider {
  setEnabled(name: BuiltinToolName, enabled: boolean): void;
  view(): BuiltinToolView[];
}

const MAX_HITS = 10;

/** Creates the built-in tools; all are on unless named in `disabled`. */
export function createBuiltinTools(
  ports: BuiltinToolPorts,
  options: { disabled?: Iterable<string> } = {},
): BuiltinTools {
  const disabled = new Set<string>(options.disabled ?? []);
  const listeners = new Set<() => void>();
  const now = ports.now ?? Date.now;

  const { openExternal, clipboard, search } = ports;
  const all: Array<ToolHandler & { unavailable?: string }> = [
    {
      spec: spec(
        'get_current_time',
        "The current date and time, in the user's time zone unless another IANA time zone is given.",
        { timeZone: { type: 'string', description: 'IANA time zone, e.g. "Asia/Tokyo". Optional.' } },
        'never',
      ),
      run: async (args) => currentTime(now(), optionalString(args, 'timeZone') ?? ports.timeZone),
    },
    {
      spec: spec(
        'open_url',
        "Opens a web (http/https) or mail (mailto) link in the user's default browser or mail program.",
        { url: { type: 'string', description: 'The complete URL to open.' } },
        'ask',
        ['url'],
      ),
      unavailable: reasonOf(openExternal),
      run: async (args) => {
        if (!isAvailable(openExternal)) return { ok: false, error: openExternal.unavailable };
        const checked = checkLink(requiredString(args, 'url'));
        if (!checked.ok) return { ok: false, error: checked.reason };
        await openExternal(checked.url);
        return { ok: true, output: `Opened ${checked.url} in the default browser.` };
      },
    },
    {
      spec: spec('read_clipboard', 'Reads the text currently on the clipboard.', {}, 'ask'),
      unavailable: reasonOf(clipboard),
      run: async () => {
        if (!isAvailable(clipboard)) return { ok: false, error: clipboard.unavailable };
        const text = await clipboard.readText();
        return { ok: true, output: text === '' ? '(The clipboard holds no text.)' : text };
      },
    },
    {
      spec: spec(
        'write_clipboard',
        'Puts text on the clipboard, replacing what was there.',
        { text: { type: 'string', description: 'The text to copy.' } },
        'ask',
        ['text'],
      ),
      unavailable: reasonOf(clipboard),
      run: async (args) => {
        if (!isAvailable(clipboard)) return { ok: false, error: clipboard.unavailable };
        const text = requiredString(args, 'text');
        await clipboard.writeText(text);
        return { ok: true, output: `Copied ${text.length} characters to the clipboard.` };
      },
    },
    {
      spec: spec(
        'search_conversations',
        "Searches the user's past conversations with this assistant (their messages and the replies) for words.",
        { query: { type: 'string', description: 'Words to look for.' } },
        'never',
        ['query'],
      ),
      unavailable: reasonOf(search),
      run: async (args) => {
        if (!isAvailable(search)) return { ok: false, error: search.unavailable };
        const query = requiredString(args, 'query');
        return { ok: true, output: formatHits(query, await search(query)) };
      },
    },
  ];

  const offered = (): ToolHandler[] => all.filter((t) => !disabled.has(t.spec.name) && !t.unavailable);
  return {
    tools: offered,
    whyUnavailable(name) {
      const tool = all.find((t) => t.spec.name === name);
      if (!tool) return undefined;
      return tool.unavailable ?? `The user has switched "${name}" off in Settings.`;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setEnabled(name, enabled) {
      if (enabled === !disabled.has(name)) return;
      if (enabled) disabled.delete(name);
      else disabled.add(name);
      for (const listener of [...listeners]) listener();
    },
    view: () =>
      all.map((t) => ({
        name: t.spec.name as BuiltinToolName,
        description: t.spec.description,
        approval: t.spec.approval,
        enabled: !disabled.has(t.spec.name),
        ...(t.unavailable ? { unavailable: t.unavailable } : {}),
      })),
  };
}

function spec(
  name: BuiltinToolName,
  description: string,
  properties: Record<string, unknown>,
  approval: ToolSpec['approval'],
  required: string[] = [],
): ToolSpec {
  return {
    name,
    description,
    parameters: { type: 'object', properties, required, additionalProperties: false },
    source: { kind: 'builtin' },
    approval,
  };
}

function isAvailable<T>(port: T | Unavailable): port is T {
  return !(typeof port === 'object' && port !== null && 'unavailable' in port);
}

function reasonOf(port: unknown): string | undefined {
  return isAvailable(port) ? undefined : (port as Unavailable).unavailable;
}

function requiredString(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  if (typeof value !== 'string') throw new Error(`"${key}" must be given as text.`);
  return value;
}

function optionalString(args: Record<string, unknown>, key: string): string | undefined {
  return args[key] === undefined ? undefined : requiredString(args, key);
}

/** The time in words and in ISO form, so the model can both say it and reason with it. */
function currentTime(ms: number, timeZone: string | undefined): ToolResult {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'full',
      timeStyle: 'long',
      ...(timeZone ? { timeZone } : {}),
    });
  } catch {
    return {
      ok: false,
      error: `"${timeZone}" is not a time zone I know; use an IANA name such as "Europe/Paris".`,
    };
  }
  const zone = format.resolvedOptions().timeZone;
  return {
    ok: true,
    output: JSON.stringify({ local: format.format(ms), timeZone: zone, iso: new Date(ms).toISOString() }),
  };
}

function formatHits(query: string, hits: ConversationHit[]): string {
  if (hits.length === 0) return `No past conversation mentions "${query}".`;
  const shown = hits.slice(0, MAX_HITS);
  const lines = shown.map(
    (hit) => `- "${hit.title}" (${new Date(hit.updatedAt).toISOString().slice(0, 10)}): ${hit.snippet}`,
  );
  const more = hits.length > shown.length ? `\n(and ${hits.length - shown.length} more)` : '';
  return `Conversations mentioning "${query}":\n${lines.join('\n')}${more}`;
}
