/**
 * Settings › Tools behind the commands: the built-ins' switches, the user's local MCP servers (added by hand or
 * from a pasted `mcpServers` block, started at launch, stopped on quit) and their tool switches. One registry
 * offers all of them to the model, so approvals apply to MCP tools exactly as to built-ins. The window's view
 * never carries a secret: env values and headers go in, only their names come out.
 */
import type { ToolsView } from '../../../shared/types';
import type { EventLog } from '../eventlog/event-log';
import {
  BUILTIN_TOOL_NAMES,
  createBuiltinTools,
  type BuiltinToolPorts,
  type BuiltinTools,
} from '../tools/builtins';
import { parseMcpServers, redactUrl, secretsOf, type McpServerConfig } from '../tools/mcp/config';
import type { McpTimings } from '../tools/mcp/connection';
import { McpManager } from '../tools/mcp/manager';
import { createToolRegistry } from '../tools/registry';
import type { ToolRegistry } from '../tools/types';
import type { RemoteMcpDefinition } from '../turn/types';
import { McpServerStore, type RemoteMcpConfig, type SecretCipher } from './mcp-servers';
import type { ToolPreferences } from './tool-preferences';

/** A server typed by hand in Settings (validated by the contract). */
export type McpServerInput =
  | { transport: 'stdio'; name: string; command: string; args: string[]; env: Record<string, string> }
  | { transport: 'http'; name: string; url: string; headers: Record<string, string> };

/** What the tools need from the composition root. */
export interface ToolsServiceDeps {
  dataDir: string;
  builtinPorts: BuiltinToolPorts;
  preferences: ToolPreferences;
  cipher: SecretCipher | null;
  plaintextAllowed: () => boolean;
  /** Servers' status lines go here; secret values are added to it (scrubbed from every row). */
  log: EventLog;
  /** The view changed (a server started, failed, listed tools; a switch moved). */
  onView: (view: ToolsView) => void;
  /** Overrides for MCP timings (tests). */
  mcpTimings?: Partial<McpTimings>;
}

/** Built-ins + MCP servers, their settings and one registry over them. */
export class ToolsService {
  readonly registry: ToolRegistry;
  private readonly builtins: BuiltinTools;
  private readonly mcp: McpManager;
  private readonly store: McpServerStore;
  private viewQueued = false;
  private readonly remoteListeners = new Set<() => void>();
  private disposed = false;

  constructor(private readonly deps: ToolsServiceDeps) {
    this.builtins = createBuiltinTools(deps.builtinPorts, { disabled: deps.preferences.disabledBuiltins() });
    this.store = new McpServerStore({
      dataDir: deps.dataDir,
      cipher: deps.cipher,
      plaintextAllowed: deps.plaintextAllowed,
    });
    this.mcp = new McpManager({
      // In the event log, not on the console (browser mode prints one line). The lines name servers and reasons,
      // never env values or headers; the log scrubs the known secrets anyway.
      log: (line) => deps.log.record('local', { type: 'mcp.server', status: line }),
      ...(deps.mcpTimings ? { timings: deps.mcpTimings } : {}),
    });
    this.registry = createToolRegistry({ providers: [this.builtins, this.mcp] });
    this.mcp.onChange(() => this.viewChanged());
  }

  /** Plain words about stored tool settings that could not be read. */
  get notices(): readonly string[] {
    return this.store.notices;
  }

  /** Starts the configured servers (at launch). */
  async start(): Promise<void> {
    await this.apply();
  }

  view(): ToolsView {
    return {
      builtins: this.builtins.view(),
      servers: this.mcp.servers(),
      remote: this.store.listRemote().map((r) => ({
        label: r.label,
        url: redactUrl(r.url),
        headerNames: Object.keys(r.headers),
        hasAuthorization: r.authorization !== '',
        allowedTools: r.allowedTools,
        requireApproval: r.requireApproval,
      })),
      secretStorage: this.store.storage(),
    };
  }

  setBuiltin(name: string, enabled: boolean): ToolsView {
    const known = BUILTIN_TOOL_NAMES.find((n) => n === name);
    if (!known) throw new Error(`There is no built-in tool named "${name}".`);
    this.builtins.setEnabled(known, enabled);
    this.deps.preferences.setBuiltinEnabled(known, enabled);
    return this.publish();
  }

  /** Adds the good entries of a pasted block; each wrong one comes back with its reason. */
  async importBlock(json: string): Promise<{
    added: string[];
    errors: Array<{ name: string; message: string }>;
    view: ToolsView;
  }> {
    const { servers, errors } = parseMcpServers(json);
    if (servers.length > 0) {
      this.store.put(servers);
      await this.apply();
    }
    return { added: servers.map((s) => s.name), errors, view: this.publish() };
  }

  /** Adds (or replaces) one server typed by hand. */
  async add(input: McpServerInput): Promise<{ ok: true; view: ToolsView } | { ok: false; reason: string }> {
    const entry =
      input.transport === 'stdio'
        ? { command: input.command, args: input.args, env: input.env }
        : { url: input.url, headers: input.headers };
    const { servers, errors } = parseMcpServers({ [input.name]: entry });
    const server = servers[0];
    if (!server) return { ok: false, reason: errors[0]?.message ?? 'This server could not be added.' };
    this.store.put([server]);
    await this.apply();
    return { ok: true, view: this.publish() };
  }

  async remove(name: string): Promise<ToolsView> {
    if (this.store.remove(name)) await this.apply();
    return this.publish();
  }

  restart(name: string): ToolsView {
    this.mcp.restart(name);
    return this.publish();
  }

  setTool(server: string, tool: string, enabled: boolean): ToolsView {
    if (this.store.setToolEnabled(server, tool, enabled)) this.mcp.setToolEnabled(server, tool, enabled);
    return this.publish();
  }

  /** Adds (or replaces) a remote MCP server; the session offers it from now on. */
  addRemote(config: RemoteMcpConfig): ToolsView {
    this.store.putRemote(config);
    this.remoteChanged();
    return this.publish();
  }

  removeRemote(label: string): ToolsView {
    if (this.store.removeRemote(label)) this.remoteChanged();
    return this.publish();
  }

  /** The remote MCP servers as the session offers them (secrets included: they go to the Realtime server only). */
  remoteMcp(): RemoteMcpDefinition[] {
    return this.store.listRemote().map((r) => ({
      serverLabel: r.label,
      serverUrl: r.url,
      requireApproval: r.requireApproval,
      ...(Object.keys(r.headers).length > 0 ? { headers: r.headers } : {}),
      ...(r.authorization ? { authorization: r.authorization } : {}),
      ...(r.allowedTools.length > 0 ? { allowedTools: r.allowedTools } : {}),
    }));
  }

  /** Called when the remote servers change (the session must be updated); returns the unsubscribe. */
  onRemoteChange(listener: () => void): () => void {
    this.remoteListeners.add(listener);
    return () => this.remoteListeners.delete(listener);
  }

  /** The pid of a running stdio server (diagnostics, tests). */
  pid(server: string): number | undefined {
    return this.mcp.pid(server);
  }

  /** Stops every server and waits until their processes are gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.registry.dispose();
  }

  private remoteChanged(): void {
    this.scrubRemoteSecrets();
    for (const listener of [...this.remoteListeners]) listener();
  }

  /** The session.update carrying them is logged: the log scrubs their values. */
  private scrubRemoteSecrets(): void {
    for (const r of this.store.listRemote()) {
      for (const value of [...Object.values(r.headers), r.authorization]) {
        if (!value) continue;
        this.deps.log.addSecret(value);
        this.deps.log.addSecret(value.replace(/^Bearer\s+/i, ''));
      }
    }
  }

  /** The stored servers to the manager; their secrets to the log's scrubber first. */
  private async apply(): Promise<void> {
    this.scrubRemoteSecrets();
    const configs: McpServerConfig[] = this.store.list();
    for (const config of configs) for (const secret of secretsOf(config)) this.deps.log.addSecret(secret);
    await this.mcp.setServers(configs);
  }

  private publish(): ToolsView {
    const view = this.view();
    this.deps.onView(view);
    return view;
  }

  /** Status changes come in bursts (a start: starting, ready, tools): one view per tick. */
  private viewChanged(): void {
    if (this.viewQueued || this.disposed) return;
    this.viewQueued = true;
    queueMicrotask(() => {
      this.viewQueued = false;
      if (!this.disposed) this.deps.onView(this.view());
    });
  }
}
