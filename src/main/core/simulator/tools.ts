/**
 * Tools for the simulated model: which function / remote MCP calls a user message asks for (deterministic
 * triggers, so tests can drive them), the built-in fake MCP server that stands in for every `type: "mcp"` tool
 * (no network), approval filters, and the reply text made from tool results.
 *
 * Triggers (only when the response has tools and `tool_choice` is not `none`):
 * - `what time is it` → `get_current_time` with `{}` (only when a function tool of that name is offered)
 * - `call <name> with <json>` → a function call with exactly that JSON text as arguments (valid or not, so tests
 *   can send bad arguments); `call <name>` alone → `{}`, but only for an offered name (the `with` form calls any
 *   name, as models sometimes invent one)
 * - `use <server_label> <tool> [with <json>]` → a call on that remote MCP server
 * - several clauses in one message → parallel calls in one response; `then` between clauses starts a new step,
 *   made by the next response once every call of the step before has its output (multi-step)
 */

/** A function tool as offered in `session.tools` / `response.tools`. */
export interface FunctionToolDef {
  type: 'function';
  name?: string;
  description?: string;
  parameters?: unknown;
}

/** `MCPToolFilter`: tool names and/or the `readOnlyHint` annotation. */
export interface McpToolFilter {
  tool_names?: string[];
  read_only?: boolean;
}

/** A remote MCP tool (`MCPTool`). */
export interface McpToolDef {
  type: 'mcp';
  server_label: string;
  server_url?: string;
  allowed_tools?: string[] | McpToolFilter | null;
  require_approval?: 'always' | 'never' | { always?: McpToolFilter; never?: McpToolFilter } | null;
  [key: string]: unknown;
}

export type ToolDef = FunctionToolDef | McpToolDef;

/** `tool_choice` as the spec has it. */
export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'mcp'; server_label: string; name?: string | null };

/** One call a user message asks for. */
export type RequestedCall =
  | { kind: 'function'; name: string; arguments: string }
  | { kind: 'mcp'; serverLabel: string; name: string; arguments: string };

/** A tool of the fake MCP server (`MCPListToolsTool`). */
export interface FakeMcpTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  annotations: Record<string, unknown> | null;
}

/** What every simulated MCP server offers. */
export const FAKE_MCP_TOOLS: readonly FakeMcpTool[] = [
  {
    name: 'echo',
    description: 'Returns the text it is given.',
    input_schema: {
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'add',
    description: 'Adds two numbers.',
    input_schema: {
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
      additionalProperties: false,
    },
    annotations: null,
  },
];

/** An MCP server whose URL contains this fails to list its tools and to run them. */
export const FAILING_MCP_URL_MARK = 'fail';

/** `RealtimeMCPToolCall.error`. */
export type McpCallError =
  | { type: 'protocol_error'; code: number; message: string }
  | { type: 'tool_execution_error'; message: string }
  | { type: 'http_error'; code: number; message: string };

export function isFunctionTool(tool: unknown): tool is FunctionToolDef {
  return typeof tool === 'object' && tool !== null && (tool as { type?: unknown }).type === 'function';
}

export function isMcpTool(tool: unknown): tool is McpToolDef {
  return typeof tool === 'object' && tool !== null && (tool as { type?: unknown }).type === 'mcp';
}

/** Whether the server at `tool.server_url` is one of the failing stand-ins. */
export function mcpServerFails(tool: McpToolDef): boolean {
  return typeof tool.server_url === 'string' && tool.server_url.includes(FAILING_MCP_URL_MARK);
}

function filterMatches(filter: McpToolFilter, tool: FakeMcpTool): boolean {
  if (filter.tool_names !== undefined && !filter.tool_names.includes(tool.name)) return false;
  if (filter.read_only !== undefined && (tool.annotations?.readOnlyHint === true) !== filter.read_only)
    return false;
  return true;
}

/** The fake server's tools that `allowed_tools` lets through. */
export function listedMcpTools(tool: McpToolDef): FakeMcpTool[] {
  const allowed = tool.allowed_tools;
  if (allowed === undefined || allowed === null) return [...FAKE_MCP_TOOLS];
  if (Array.isArray(allowed)) return FAKE_MCP_TOOLS.filter((t) => allowed.includes(t.name));
  return FAKE_MCP_TOOLS.filter((t) => filterMatches(allowed, t));
}

/**
 * Whether a call of `name` on `server` needs the user's approval. The spec's default is `always`. With a filter
 * object: `always` given → approval when the tool matches it and not `never`; only `never` given → approval
 * unless the tool matches it.
 */
export function needsApproval(server: McpToolDef, name: string): boolean {
  const policy = server.require_approval;
  if (policy === undefined || policy === null || policy === 'always') return true;
  if (policy === 'never') return false;
  const tool = FAKE_MCP_TOOLS.find((t) => t.name === name) ?? {
    name,
    description: '',
    input_schema: {},
    annotations: null,
  };
  const never = policy.never !== undefined && filterMatches(policy.never, tool);
  if (policy.always !== undefined) return filterMatches(policy.always, tool) && !never;
  return !never;
}

/** Runs a tool on the fake MCP server behind `server`. */
export function runFakeMcpTool(
  server: McpToolDef,
  name: string,
  argumentsText: string,
): { output: string } | { error: McpCallError } {
  if (mcpServerFails(server)) {
    return {
      error: {
        type: 'http_error',
        code: 424,
        message: `Error retrieving tool list from MCP server: '${server.server_label}'. Http status code: 424 (Failed Dependency)`,
      },
    };
  }
  if (!listedMcpTools(server).some((t) => t.name === name)) {
    return { error: { type: 'protocol_error', code: -32602, message: `Tool ${name} not found` } };
  }
  let args: unknown;
  try {
    args = JSON.parse(argumentsText);
  } catch {
    return {
      error: { type: 'protocol_error', code: -32602, message: `Invalid arguments for tool ${name}` },
    };
  }
  const record = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  if (name === 'echo') {
    if (typeof record.text !== 'string') {
      return { error: { type: 'tool_execution_error', message: 'echo needs a string "text".' } };
    }
    return { output: record.text };
  }
  const { a, b } = record;
  if (typeof a !== 'number' || typeof b !== 'number') {
    return { error: { type: 'tool_execution_error', message: 'add needs numbers "a" and "b".' } };
  }
  return { output: String(a + b) };
}

/**
 * The arguments text that starts at `from`: a bracketed JSON value up to its matching bracket (strings and
 * escapes respected), a JSON string, or else the next word; unbalanced brackets take the rest of the text.
 */
function argumentsAt(text: string, from: number): { value: string; end: number } {
  const start = from;
  const first = text[start];
  if (first === '{' || first === '[') {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return { value: text.slice(start, i + 1), end: i + 1 };
      }
    }
    return { value: text.slice(start).trimEnd(), end: text.length };
  }
  if (first === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return { value: text.slice(start, i + 1), end: i + 1 };
    }
  }
  const word = /^\S+/.exec(text.slice(start))?.[0] ?? '';
  const value = word.replace(/[.,;!?]+$/, '');
  return { value, end: start + word.length };
}

/**
 * The calls a user message asks for, in steps (`then` separates steps; clauses of one step are parallel).
 * `tools` are the ones offered to the response.
 */
export function requestedCalls(text: string, tools: readonly unknown[]): RequestedCall[][] {
  const functionNames = tools.filter(isFunctionTool).map((t) => t.name);
  const hasFunctions = functionNames.length > 0;
  const labels = new Set(tools.filter(isMcpTool).map((t) => t.server_label));
  const steps: RequestedCall[][] = [[]];
  const pattern =
    /\bthen\b|\bwhat time is it\b|\bcall\s+([A-Za-z_][\w-]*)(\s+with\s+)?|\buse\s+([\w-]+)\s+([A-Za-z_][\w-]*)(\s+with\s+)?/gi;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const step = steps[steps.length - 1] as RequestedCall[];
    const word = match[0].toLowerCase();
    if (word === 'then') {
      if (step.length > 0) steps.push([]);
      continue;
    }
    if (word.startsWith('what time')) {
      if (functionNames.includes('get_current_time'))
        step.push({ kind: 'function', name: 'get_current_time', arguments: '{}' });
      continue;
    }
    const withArgs = match[2] ?? match[5];
    let args = '{}';
    if (withArgs !== undefined) {
      const found = argumentsAt(text, match.index + match[0].length);
      if (found.value !== '') args = found.value;
      pattern.lastIndex = found.end;
    }
    const fn = match[1];
    if (fn !== undefined) {
      // `call <name>` alone is ordinary speech unless <name> is an offered function.
      if (hasFunctions && (withArgs !== undefined || functionNames.includes(fn)))
        step.push({ kind: 'function', name: fn, arguments: args });
      continue;
    }
    const label = match[3];
    const name = match[4];
    if (label !== undefined && name !== undefined && labels.has(label))
      step.push({ kind: 'mcp', serverLabel: label, name, arguments: args });
  }
  return steps.filter((s) => s.length > 0);
}

/** The call a forcing `tool_choice` makes when the message asks for none (arguments `{}`). */
export function forcedCall(choice: ToolChoice, tools: readonly unknown[]): RequestedCall | undefined {
  if (typeof choice === 'object' && choice.type === 'function')
    return { kind: 'function', name: choice.name, arguments: '{}' };
  if (typeof choice === 'object' && choice.type === 'mcp') {
    const server = tools.filter(isMcpTool).find((t) => t.server_label === choice.server_label);
    const name = choice.name ?? (server ? listedMcpTools(server)[0]?.name : undefined) ?? 'echo';
    return { kind: 'mcp', serverLabel: choice.server_label, name, arguments: '{}' };
  }
  if (choice !== 'required') return undefined;
  const fn = tools.filter(isFunctionTool).find((t) => typeof t.name === 'string');
  if (fn?.name !== undefined) return { kind: 'function', name: fn.name, arguments: '{}' };
  const server = tools.filter(isMcpTool)[0];
  const name = server ? listedMcpTools(server)[0]?.name : undefined;
  return server && name
    ? { kind: 'mcp', serverLabel: server.server_label, name, arguments: '{}' }
    : undefined;
}

/** Keeps the calls a forcing `tool_choice` allows (all of them for `auto` / `required`). */
export function allowedByChoice(calls: RequestedCall[], choice: ToolChoice): RequestedCall[] {
  if (typeof choice !== 'object') return calls;
  if (choice.type === 'function') return calls.filter((c) => c.kind === 'function' && c.name === choice.name);
  return calls.filter(
    (c) =>
      c.kind === 'mcp' &&
      c.serverLabel === choice.server_label &&
      (choice.name === undefined || choice.name === null || c.name === choice.name),
  );
}

/** Reply sentences about tool results, in conversation order (see {@link toolReplyText}). */
export type ToolResult =
  | { kind: 'function'; name: string; output: string | undefined }
  | { kind: 'mcp'; serverLabel: string; name: string; output: string | null; error: McpCallError | null }
  | { kind: 'declined'; serverLabel: string; name: string }
  | { kind: 'awaiting-approval'; serverLabel: string; name: string };

/**
 * What the model says about tool results: `The <name> tool returned: <output>.` per function call (`The <name>
 * tool has not answered.` when its output is missing), `The <label> <tool> tool returned: <output>.` / `… failed:
 * <message>.` per MCP call, `The user declined the <label> <tool> call.` per denied approval, `The <label> <tool>
 * call is waiting for approval.` per unanswered one; sentences joined by a space.
 */
export function toolReplyText(results: readonly ToolResult[]): string {
  return results
    .map((r) => {
      switch (r.kind) {
        case 'function':
          return r.output === undefined
            ? `The ${r.name} tool has not answered.`
            : `The ${r.name} tool returned: ${r.output}.`;
        case 'mcp':
          return r.error
            ? `The ${r.serverLabel} ${r.name} tool failed: ${r.error.message}.`
            : `The ${r.serverLabel} ${r.name} tool returned: ${r.output ?? ''}.`;
        case 'declined':
          return `The user declined the ${r.serverLabel} ${r.name} call.`;
        case 'awaiting-approval':
          return `The ${r.serverLabel} ${r.name} call is waiting for approval.`;
      }
    })
    .join(' ');
}
