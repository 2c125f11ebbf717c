/**
 * What the assistant sees of tools: specs to offer the model, and one way to run any of them. Built-in tools
 * and MCP servers are providers behind one registry, so the turn machine never knows where a tool lives.
 */

/** A tool as offered to the model (a Realtime `function` tool) and shown to the user. */
export interface ToolSpec {
  /** Function name offered to the model: ^[a-zA-Z0-9_-]{1,64}$. MCP tools: `<server>__<tool>` (sanitised, unique). */
  name: string;
  description: string;
  /** JSON Schema of the arguments (object). */
  parameters: Record<string, unknown>;
  source: { kind: 'builtin' } | { kind: 'mcp'; server: string; tool: string };
  /** Whether a call needs the user's approval unless they chose "always allow" for it. */
  approval: 'ask' | 'never';
}

/** What a call gives back: the output for the model, or an error in plain words the model can explain. */
export type ToolResult = { ok: true; output: string } | { ok: false; error: string };

/** Options for one call. */
export interface ToolCallOptions {
  /** Overrides the registry's timeout for this call. */
  timeoutMs?: number;
  /** Aborts the call (barge-in); the result is then a "cancelled" error. */
  signal?: AbortSignal;
}

/** The tools on offer and how to run them. */
export interface ToolRegistry {
  /** Tools currently offered (enabled, servers ready), stable order. */
  list(): ToolSpec[];
  /** Runs a tool. Arguments are the model's JSON text: invalid JSON, unknown tool, a throw, a timeout (default 30 s, configurable), or an output over a size cap (e.g. 16 KB, configurable; cut with a note) each give {ok:false, error: <plain words the model can explain>} — never throws, never hangs. `signal` aborts (barge-in). */
  call(name: string, argsJson: string, options?: ToolCallOptions): Promise<ToolResult>;
  /** Called when `list()` may give something different; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Stops every provider (MCP servers included); `list()` is empty afterwards. */
  dispose(): Promise<void>;
}

/** One runnable tool inside a provider. */
export interface ToolHandler {
  spec: ToolSpec;
  /**
   * Runs the tool with parsed arguments. May throw (the registry turns it into an error result); should stop
   * when `signal` aborts, though the registry does not wait for it.
   */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult>;
}

/** A source of tools: the built-ins, or the MCP servers. */
export interface ToolProvider {
  /** The tools this provider offers now, in a stable order. */
  tools(): ToolHandler[];
  /** Why `name` is not on offer, when it is one of this provider's (switched off, server restarting…). */
  whyUnavailable?(name: string): string | undefined;
  /** Called when `tools()` may have changed; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  dispose?(): Promise<void>;
}
