import { mcpFunctionName, serverPrefix } from '../names';
import type { ToolHandler, ToolProvider } from '../types';
import { viewOfConfig, type McpServerConfig, type McpServerConfigView } from './config';
import { DEFAULT_MCP_TIMINGS, McpConnection, type McpServerStatus, type McpTimings } from './connection';

/** One server as the settings window shows it: settings without secrets, status, and every tool with its switch. */
export interface McpServerView {
  config: McpServerConfigView;
  status: McpServerStatus;
  /** Known while the server is ready. */
  tools: Array<{ name: string; functionName: string; description: string; enabled: boolean }>;
}

/** Options for {@link McpManager}. */
export interface McpManagerOptions {
  /** Overrides for the start, ping and restart timings (tests use short ones). */
  timings?: Partial<McpTimings>;
  /** Status lines for the app's log; they name servers and reasons, never env values or headers. */
  log?: (line: string) => void;
}

/**
 * The user's local MCP servers as a tool provider: starts and stops them as the settings change, offers the
 * tools of ready servers as `<server>__<tool>`, and honours tools switched off one by one.
 */
export class McpManager implements ToolProvider {
  private connections: McpConnection[] = [];
  private prefixes = new Map<McpConnection, string>();
  private readonly listeners = new Set<() => void>();
  private readonly timings: McpTimings;
  private disposed = false;

  constructor(private readonly options: McpManagerOptions = {}) {
    this.timings = { ...DEFAULT_MCP_TIMINGS, ...options.timings };
  }

  /**
   * Applies the configured servers: new or changed ones start (unless switched off), removed or changed ones
   * stop, unchanged ones keep running (their switched-off tools are updated). Resolves once stopped ones are gone.
   */
  async setServers(configs: McpServerConfig[]): Promise<void> {
    if (this.disposed) return;
    const old = new Map(this.connections.map((c) => [c.config.name, c]));
    const next: McpConnection[] = [];
    const stopping: Array<Promise<void>> = [];
    for (const config of configs) {
      const existing = old.get(config.name);
      old.delete(config.name);
      if (existing && sameServer(existing.config, config)) {
        existing.config.disabledTools = [...config.disabledTools];
        next.push(existing);
        continue;
      }
      if (existing) stopping.push(existing.stop());
      const connection = new McpConnection(
        { ...config, disabledTools: [...config.disabledTools] },
        this.timings,
        () => this.emit(),
        this.options.log,
      );
      next.push(connection);
      if (config.enabled) connection.start();
    }
    for (const removed of old.values()) stopping.push(removed.stop());
    this.connections = next;
    const taken = new Set<string>();
    this.prefixes = new Map(next.map((c) => [c, serverPrefix(c.config.name, taken)]));
    this.emit();
    await Promise.all(stopping);
  }

  /** Every configured server with its status and tools. */
  servers(): McpServerView[] {
    return this.connections.map((connection) => ({
      config: viewOfConfig(connection.config),
      status: connection.status,
      tools: this.named(connection).map(({ tool, functionName }) => ({
        name: tool.name,
        functionName,
        description: tool.description ?? '',
        enabled: !connection.config.disabledTools.includes(tool.name),
      })),
    }));
  }

  /** Starts a server again now (the Restart button), with a fresh failure count. */
  restart(server: string): void {
    const connection = this.find(server);
    if (connection?.config.enabled) connection.start();
  }

  /** Offers or withdraws one of a server's tools (by the server's own tool name). */
  setToolEnabled(server: string, tool: string, enabled: boolean): void {
    const connection = this.find(server);
    if (!connection) return;
    const disabled = new Set(connection.config.disabledTools);
    if (enabled) disabled.delete(tool);
    else disabled.add(tool);
    connection.config.disabledTools = [...disabled];
    this.emit();
  }

  /** The pid of a running stdio server (for diagnostics and tests). */
  pid(server: string): number | undefined {
    return this.find(server)?.pid;
  }

  tools(): ToolHandler[] {
    if (this.disposed) return [];
    return this.connections.flatMap((connection) =>
      this.named(connection)
        .filter(({ tool }) => !connection.config.disabledTools.includes(tool.name))
        .map(({ tool, functionName }) => ({
          spec: {
            name: functionName,
            description:
              tool.description || tool.title || `The "${tool.name}" tool of "${connection.config.name}".`,
            parameters: parametersOf(tool.inputSchema),
            source: { kind: 'mcp', server: connection.config.name, tool: tool.name },
            // MCP annotations such as readOnlyHint are the server's own claims, so they never skip approval.
            approval: 'ask',
          },
          run: (args, signal) => connection.call(tool.name, args, signal),
        })),
    );
  }

  whyUnavailable(name: string): string | undefined {
    const connection = this.connections.find((c) => name.startsWith(`${this.prefixes.get(c)}__`));
    if (!connection) return undefined;
    if (connection.status.state !== 'ready') return connection.notReadyReason();
    const named = this.named(connection).find((n) => n.functionName === name);
    return named ? `The user has switched "${named.tool.name}" off in Settings.` : undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every server and waits until their processes are gone. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.connections.map((c) => c.stop()));
    this.listeners.clear();
  }

  private find(server: string): McpConnection | undefined {
    return this.connections.find((c) => c.config.name === server);
  }

  /** A ready server's tools with their function names (the same names in the same order each time). */
  private named(
    connection: McpConnection,
  ): Array<{ tool: McpConnection['tools'][number]; functionName: string }> {
    const prefix = this.prefixes.get(connection) ?? '_';
    const taken = new Set<string>();
    return connection.tools.map((tool) => ({
      tool,
      functionName: mcpFunctionName(prefix, tool.name, taken),
    }));
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Same server, so it keeps running: everything but the tool switches matters. */
function sameServer(a: McpServerConfig, b: McpServerConfig): boolean {
  const strip = ({ disabledTools: _, ...rest }: McpServerConfig): unknown => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** The tool's input schema as function parameters; `$schema` is dropped, as function tools do not take it. */
function parametersOf(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  return { ...rest, type: 'object' };
}
