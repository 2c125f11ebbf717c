import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { messageOf } from '../registry';
import type { ToolResult } from '../types';
import { redact, redactUrl, secretsOf, type McpServerConfig } from './config';
import { toToolResult } from './content';

/** Where a server is in its life, as the settings window shows it. */
export type McpServerStatus =
  | { state: 'starting' }
  | { state: 'ready'; tools: number }
  /** `retryInMs: null`: Talkie gave up restarting it (the user can press Restart). */
  | { state: 'failed'; reason: string; stderrTail: string; retryInMs: number | null }
  | { state: 'stopped' };

/** Timings for starting, watching and restarting servers; each has a default fit for the app. */
export interface McpTimings {
  /** Start and handshake (and the first tool list) must finish within this; default 30 s (npx may download). */
  startTimeoutMs: number;
  /** A ready server is pinged this often to notice a hang; default 30 s. */
  pingIntervalMs: number;
  /** A ping not answered within this means the server hangs; default 10 s. */
  pingTimeoutMs: number;
  /** First restart delay, doubled per failure up to `maxRestartDelayMs`; default 1 s. */
  restartDelayMs: number;
  /** Default 30 s. */
  maxRestartDelayMs: number;
  /** Consecutive failed starts before giving up; default 5. */
  maxRestarts: number;
  /** A server that stayed up this long starts its failure count afresh; default 60 s. */
  stableMs: number;
}

export const DEFAULT_MCP_TIMINGS: McpTimings = {
  startTimeoutMs: 30_000,
  pingIntervalMs: 30_000,
  pingTimeoutMs: 10_000,
  restartDelayMs: 1_000,
  maxRestartDelayMs: 30_000,
  maxRestarts: 5,
  stableMs: 60_000,
};

const STDERR_TAIL_CHARS = 2_000;
/** The SDK's own request timeout (60 s) would cut calls the registry allows longer; the registry decides. */
const NO_SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** One attempt at running the server: a client, its transport, and how it ended. */
interface Session {
  client: Client;
  transport: Transport;
  stderr: string;
  /** Set once the session is over; calls still in flight fail with it. */
  endReason?: string;
  ended: Promise<string>;
  end: (reason: string) => void;
  listChangedWhileBusy: boolean;
  refreshing: boolean;
  ready: boolean;
  closedWhileStarting: boolean;
}

/**
 * One MCP server kept running: started through the official SDK client, watched (process exit, ping), and
 * restarted with backoff when it crashes or hangs. Calls in flight when it goes fail at once with the reason.
 */
export class McpConnection {
  private session: Session | undefined;
  private state: McpServerStatus = { state: 'stopped' };
  private serverTools: Tool[] = [];
  private failures = 0;
  private readyAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pinging = false;
  private stopped = true;
  private readonly secrets: string[];

  constructor(
    readonly config: McpServerConfig,
    private readonly timings: McpTimings,
    private readonly onChange: () => void,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.secrets = secretsOf(config);
  }

  /** The current status (a copy). */
  get status(): McpServerStatus {
    return { ...this.state };
  }

  /** The server's tools while it is ready (tools that need MCP tasks are left out: they cannot be called plainly). */
  get tools(): readonly Tool[] {
    return this.state.state === 'ready' ? this.serverTools : [];
  }

  /** The child's pid for a stdio server that is running. */
  get pid(): number | undefined {
    const transport = this.session?.transport;
    return transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
  }

  /** Starts the server (again, from a clean failure count, if it was running or had given up). */
  start(): void {
    this.stopped = false;
    this.failures = 0;
    if (this.session) void this.endSession(this.session, 'The server was restarted.', 'kill');
    this.open();
  }

  /** Stops the server and waits for its process to be gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const session = this.session;
    this.setStatus({ state: 'stopped' });
    if (session) await this.endSession(session, 'The server was stopped.', 'close');
  }

  /** Calls one of the server's tools by its own name. */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    const session = this.session;
    if (!session || this.state.state !== 'ready') return { ok: false, error: this.notReadyReason() };
    const crashed = (reason: string): ToolResult => {
      const restarting = this.state.state === 'failed' && this.state.retryInMs !== null;
      const server = `(from the "${this.config.name}" MCP server)`;
      return {
        ok: false,
        error: `"${tool}" ${server} did not finish: ${reason}${restarting ? ' Talkie is restarting it.' : ''}`,
      };
    };
    // A call that timed out may mean the server hangs: ask it at once rather than at the next ping.
    const onAbort = (): void => {
      if ((signal.reason as { name?: string } | undefined)?.name === 'TimeoutError')
        this.checkHealth(session);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const result = session.client
      .callTool({ name: tool, arguments: args }, undefined, { signal, timeout: NO_SDK_TIMEOUT_MS })
      .then(toToolResult, (error: unknown): ToolResult => {
        if (session.endReason) return crashed(session.endReason);
        return { ok: false, error: `"${tool}" failed: ${this.scrub(messageOf(error))}` };
      });
    try {
      return await Promise.race([result, session.ended.then(crashed)]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The status in words, for a model asking for a tool of a server that is not ready. */
  notReadyReason(): string {
    const name = `The "${this.config.name}" MCP server`;
    switch (this.state.state) {
      case 'starting':
        return `${name} is still starting; try again in a moment.`;
      case 'failed':
        return `${name} is not working: ${this.state.reason}`;
      case 'stopped':
        return `${name} is switched off.`;
      case 'ready':
        return `${name} is ready.`;
    }
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    let end: (reason: string) => void = () => {};
    const ended = new Promise<string>((resolve) => (end = resolve));
    const transport = this.makeTransport();
    const client = new Client({ name: 'Talkie', version: '1' }, { capabilities: {} });
    const session: Session = {
      client,
      transport,
      stderr: '',
      ended,
      end,
      listChangedWhileBusy: false,
      refreshing: false,
      ready: false,
      closedWhileStarting: false,
    };
    if (transport instanceof StdioClientTransport)
      // Piped (not inherited) so it shows in the status, and read continuously so the server never blocks on it.
      transport.stderr?.on('data', (chunk: Buffer) => {
        session.stderr = (session.stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      });
    client.onclose = () => {
      // While starting, the start itself fails next with the better reason (an HTTP status, a spawn error).
      if (!session.ready) session.closedWhileStarting = true;
      else this.fail(session, 'The server stopped unexpectedly.');
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refresh(session));
    this.session = session;
    this.setStatus({ state: 'starting' });
    void this.connect(session);
  }

  private makeTransport(): Transport {
    const { config } = this;
    if (config.transport === 'http')
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
      });
    return new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
    });
  }

  private async connect(session: Session): Promise<void> {
    const { startTimeoutMs } = this.timings;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooSlow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The server did not start within ${startTimeoutMs / 1000} s.`)),
        startTimeoutMs,
      );
    });
    try {
      await Promise.race([
        (async () => {
          await session.client.connect(session.transport, { timeout: startTimeoutMs });
          await this.loadTools(session);
        })(),
        tooSlow,
      ]);
    } catch (error) {
      const closed =
        session.closedWhileStarting && (error as { code?: unknown }).code === ErrorCode.ConnectionClosed;
      this.fail(session, closed ? 'The server stopped while starting.' : this.startError(error));
      return;
    } finally {
      clearTimeout(timer);
    }
    if (session !== this.session || session.endReason) return;
    session.ready = true;
    this.readyAt = Date.now();
    this.setStatus({ state: 'ready', tools: this.serverTools.length });
    this.log(`MCP server "${this.config.name}": ready with ${this.serverTools.length} tools`);
    this.pingTimer = setInterval(() => this.checkHealth(session), this.timings.pingIntervalMs);
    if (session.listChangedWhileBusy) this.refresh(session);
  }

  private async loadTools(session: Session): Promise<void> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await session.client.listTools(cursor ? { cursor } : undefined, {
        timeout: this.timings.startTimeoutMs,
      });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    if (session === this.session)
      this.serverTools = tools.filter((t) => t.execution?.taskSupport !== 'required');
  }

  /** Re-reads the tool list after `tools/list_changed`, one refresh at a time, never losing the last notice. */
  private refresh(session: Session): void {
    if (session !== this.session) return;
    if (session.refreshing || this.state.state !== 'ready') {
      session.listChangedWhileBusy = true;
      return;
    }
    session.refreshing = true;
    session.listChangedWhileBusy = false;
    this.loadTools(session)
      .then(() => {
        if (session === this.session && this.state.state === 'ready')
          this.setStatus({ state: 'ready', tools: this.serverTools.length });
      })
      .catch((error: unknown) =>
        this.log(
          `MCP server "${this.config.name}": tool list refresh failed: ${this.scrub(messageOf(error))}`,
        ),
      )
      .finally(() => {
        session.refreshing = false;
        if (session.listChangedWhileBusy) this.refresh(session);
      });
  }

  /** Pings the server; no answer in time means it hangs, and it is restarted. */
  private checkHealth(session: Session): void {
    if (session !== this.session || this.state.state !== 'ready' || this.pinging) return;
    this.pinging = true;
    const { pingTimeoutMs } = this.timings;
    session.client
      .ping({ timeout: pingTimeoutMs })
      .catch(() =>
        this.fail(session, `The server stopped answering (no reply within ${pingTimeoutMs / 1000} s).`),
      )
      .finally(() => (this.pinging = false));
  }

  /** Ends a failed session and schedules the next attempt with backoff, or gives up. */
  private fail(session: Session, reason: string): void {
    if (session.endReason) return;
    const current = session === this.session;
    void this.endSession(session, reason, 'kill');
    if (!current || this.stopped) return;
    if (this.readyAt && Date.now() - this.readyAt >= this.timings.stableMs) this.failures = 0;
    this.readyAt = 0;
    this.failures++;
    const { restartDelayMs, maxRestartDelayMs, maxRestarts } = this.timings;
    const retryInMs =
      this.failures > maxRestarts
        ? null
        : Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (this.failures - 1));
    this.setStatus({ state: 'failed', reason, stderrTail: this.scrub(session.stderr), retryInMs });
    this.log(
      `MCP server "${this.config.name}" failed: ${reason} ` +
        (retryInMs === null ? '(gave up restarting it)' : `(restarting in ${retryInMs} ms)`),
    );
    if (retryInMs !== null) this.retryTimer = setTimeout(() => this.open(), retryInMs);
  }

  /**
   * Fails the session's calls with `reason` and closes it. `close` lets a stdio server exit on its own (the SDK
   * ends its stdin, then SIGTERM, then SIGKILL, 2 s apart) so it can save its state; `kill` is for a server that
   * failed: a hung one would keep the SDK waiting 4 s, a SIGSTOPped one would ignore SIGTERM.
   */
  private async endSession(session: Session, reason: string, how: 'close' | 'kill'): Promise<void> {
    if (!session.endReason) {
      session.endReason = reason;
      session.end(reason);
    }
    if (session === this.session) {
      this.session = undefined;
      clearInterval(this.pingTimer);
    }
    const { transport } = session;
    try {
      // The transport forgets the pid once the process has exited, so a recycled pid is never hit.
      if (how === 'kill' && transport instanceof StdioClientTransport && transport.pid)
        process.kill(transport.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    // A Streamable HTTP session is ended politely (DELETE), but a server that does not answer is not waited for.
    if (how === 'close' && transport instanceof StreamableHTTPClientTransport)
      await Promise.race([transport.terminateSession().catch(() => {}), delay(1_000)]);
    await session.client.close().catch(() => {});
  }

  /** Why a start failed, in words that point at the setting to fix. */
  private startError(error: unknown): string {
    const { config } = this;
    const code = (error as { code?: unknown }).code;
    if (config.transport === 'stdio' && code === 'ENOENT')
      return `The program "${config.command}" was not found; check the command and that it is installed.`;
    if (config.transport === 'stdio' && code === 'EACCES')
      return `The program "${config.command}" may not be run (permission denied).`;
    // fetch says only "fetch failed"; the network reason (refused, not found, reset) is its cause.
    const cause = (error as { cause?: unknown }).cause;
    if (config.transport === 'http' && error instanceof TypeError && cause)
      return this.scrub(
        `Could not reach ${redactUrl(config.url)} (${messageOf(cause)}); check the URL and that the server is running.`,
      );
    let message = this.scrub(messageOf(error));
    message = /[.!?)]$/.test(message) ? message : `${message}.`;
    // The SDK's HTTP error carries the status as its code, and not always in its message.
    if (config.transport === 'http' && typeof code === 'number' && code >= 400 && code < 600) {
      const hint = code === 401 || code === 403 ? ' (check the headers, e.g. Authorization)' : '';
      return `The server refused the connection with HTTP ${code}${hint}: ${message}`;
    }
    return message;
  }

  private scrub(text: string): string {
    return redact(text, this.secrets);
  }

  private setStatus(status: McpServerStatus): void {
    if (status.state !== 'ready') clearInterval(this.pingTimer);
    this.state = status;
    this.onChange();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
