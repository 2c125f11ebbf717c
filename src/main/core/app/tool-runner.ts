/**
 * Runs the functions the model calls, with the user's approval where the tool asks for it (unless the user chose
 * "Always allow" for that tool): the one place that decides whether a tool acts. Progress and results go back
 * to the turn machine as inputs; the machine never waits on anything but them.
 */
import type { Effect, Input } from '../turn/types';
import type { ToolRegistry } from '../tools/types';

/** What the user answered on an approval card. */
export type ApprovalDecision = 'once' | 'always' | 'deny';

/** What the tool runner needs. */
export interface ToolRunnerDeps {
  registry: ToolRegistry;
  /** Tools the user always allows (by function name). */
  alwaysAllowed: () => readonly string[];
  /** Remember "Always allow" for a tool. */
  allowAlways: (name: string) => void;
  /** Feeds the machine. */
  input: (input: Input) => void;
  now: () => number;
  /** A call now waits for the user (e.g. to notify when the window is hidden). */
  onApprovalNeeded?: (call: RunTool) => void;
}

type RunTool = Extract<Effect, { kind: 'runTool' }>;

/**
 * What "Always allow" remembers: the function name, or for a remote MCP tool `remote:<label>__<tool>`, so a local
 * server that happens to share the label never inherits the choice.
 */
const allowKey = (call: RunTool): string => (call.remote ? `remote:${call.name}` : call.name);

/** The words the model gets when the user says no. */
export const DECLINED = 'The user declined to run this tool.';

/** Tool calls in progress, approvals waiting. */
export class ToolRunner {
  private readonly waiting = new Map<string, RunTool>();
  private readonly running = new Map<string, { turnId: string; controller: AbortController }>();

  constructor(private readonly deps: ToolRunnerDeps) {}

  /** A call from the machine: run it, or ask first. */
  run(call: RunTool): void {
    if (call.remote) {
      // A remote MCP call: the Realtime server runs it; here only the user's answer is asked for.
      if (this.deps.alwaysAllowed().includes(allowKey(call))) this.approveRemote(call);
      else this.ask(call);
      return;
    }
    const spec = this.deps.registry.list().find((t) => t.name === call.name);
    if (spec?.approval === 'ask' && !this.deps.alwaysAllowed().includes(call.name)) {
      this.waiting.set(call.callId, call);
      this.deps.input({ type: 'toolProgress', turnId: call.turnId, callId: call.callId, status: 'approval' });
      this.deps.onApprovalNeeded?.(call);
      return;
    }
    void this.execute(call);
  }

  /** The user's answer to an approval card. Returns false when nothing waits for it any more. */
  decide(callId: string, decision: ApprovalDecision): boolean {
    const call = this.waiting.get(callId);
    if (!call) return false;
    this.waiting.delete(callId);
    if (decision === 'deny') {
      this.deps.input({
        type: 'toolResult',
        turnId: call.turnId,
        callId,
        status: 'declined',
        output: DECLINED,
        durationMs: 0,
      });
      return true;
    }
    if (decision === 'always') this.deps.allowAlways(allowKey(call));
    if (call.remote) this.approveRemote(call);
    else void this.execute(call);
    return true;
  }

  private ask(call: RunTool): void {
    this.waiting.set(call.callId, call);
    this.deps.input({ type: 'toolProgress', turnId: call.turnId, callId: call.callId, status: 'approval' });
    this.deps.onApprovalNeeded?.(call);
  }

  /** The approval goes back to the Realtime server, which runs the call. */
  private approveRemote(call: RunTool): void {
    this.deps.input({
      type: 'toolResult',
      turnId: call.turnId,
      callId: call.callId,
      status: 'done',
      output: 'approved',
      durationMs: 0,
    });
  }

  /** Stops a turn's tools (barge-in, leaving the conversation); the machine has answered their calls. */
  abort(turnId: string): void {
    for (const [callId, call] of this.waiting) if (call.turnId === turnId) this.waiting.delete(callId);
    for (const [callId, run] of this.running) {
      if (run.turnId !== turnId) continue;
      run.controller.abort();
      this.running.delete(callId);
    }
  }

  /** Calls waiting for the user, for a window that (re)loads. */
  pending(): RunTool[] {
    return [...this.waiting.values()];
  }

  private async execute(call: RunTool): Promise<void> {
    const controller = new AbortController();
    this.running.set(call.callId, { turnId: call.turnId, controller });
    this.deps.input({ type: 'toolProgress', turnId: call.turnId, callId: call.callId, status: 'running' });
    const started = this.deps.now();
    const result = await this.deps.registry.call(call.name, call.arguments, { signal: controller.signal });
    if (!this.running.delete(call.callId)) return; // stopped meanwhile: the machine already answered it
    this.deps.input({
      type: 'toolResult',
      turnId: call.turnId,
      callId: call.callId,
      status: result.ok ? 'done' : 'failed',
      output: result.ok ? result.output : result.error,
      durationMs: Math.max(0, this.deps.now() - started),
    });
  }
}
