/**
 * Row 14: function calls finish their protocol. A call is run only once its response completed (never from
 * a failed, cancelled or incomplete one); each output goes back as its own item; once every call of the
 * response has its output, the turn asks for the next response through the same one-active-response queue,
 * and goes on across responses until the model answers without a call. Barge-in or leaving stops the tools:
 * each pending call still gets an output saying so, and no follow-up is asked.
 */
import type { ToolCallView } from '../../../shared/types';
import { reasons } from '../words';
import type { Step } from './step';
import type { Input, ServerInput, TurnState } from './types';

/** A function call item of the current response: kept until the response ends. */
export function functionCall(
  _ctx: Step,
  t: TurnState,
  input: Extract<ServerInput, { type: 'functionCall' }>,
): void {
  if (t.calls.some((c) => c.callId === input.callId)) return;
  t.calls.push({ callId: input.callId, name: input.name, arguments: input.arguments, answered: false });
}

/** The name a remote MCP tool is shown and always-allowed under: `<server label>__<tool>`, like local ones. */
export const remoteToolName = (server: string, tool: string): string => `${server}__${tool}`;

/** The Realtime server asks before calling a remote MCP tool: the user answers once the response is done. */
export function mcpApprovalRequest(
  t: TurnState,
  input: Extract<ServerInput, { type: 'mcpApprovalRequest' }>,
): void {
  if (t.calls.some((c) => c.callId === input.itemId)) return;
  t.calls.push({
    callId: input.itemId,
    name: remoteToolName(input.serverLabel, input.name),
    arguments: input.arguments,
    answered: false,
    remote: { server: input.serverLabel, tool: input.name },
  });
}

/**
 * The Realtime server ran a remote MCP call: shown on the turn (on the approval's row when it had one); the
 * response ends with it, so the reply that uses it is asked for next unless the model already spoke.
 */
export function mcpCall(t: TurnState, input: Extract<ServerInput, { type: 'mcpCall' }>): void {
  const status = input.error === null ? 'done' : 'failed';
  const result = input.error ?? input.output ?? '';
  const rowId = input.approvalRequestId ?? input.itemId;
  const tools = t.view.tools ?? [];
  const row = tools.find((c) => c.callId === rowId);
  t.view.tools = row
    ? tools.map((c) => (c.callId === rowId ? { ...c, arguments: input.arguments, status, result } : c))
    : [
        ...tools,
        {
          callId: rowId,
          name: remoteToolName(input.serverLabel, input.name),
          arguments: input.arguments,
          status,
          result,
        },
      ];
  t.mcpAwaitingReply = true;
}

/** The response completed with calls: run them. Returns false when it had none. */
export function runCalls(ctx: Step, t: TurnState): boolean {
  if (t.calls.length === 0) return false;
  const shown = t.view.tools ?? [];
  for (const call of t.calls) {
    shown.push({ callId: call.callId, name: call.name, arguments: call.arguments, status: 'running' });
    ctx.emit({
      kind: 'runTool',
      turnId: t.view.id,
      callId: call.callId,
      name: call.name,
      arguments: call.arguments,
      ...(call.remote ? { remote: call.remote } : {}),
    });
  }
  t.view.tools = shown;
  t.view.phase = 'waiting';
  return true;
}

/** The tool runner says a call waits for approval, or runs. */
export function toolProgress(
  ctx: Step,
  turnId: string,
  callId: string,
  status: 'approval' | 'running',
): void {
  const t = ctx.turn(turnId);
  const shown = t?.view.tools?.find((c) => c.callId === callId);
  if (!t || !shown || !isOpen(shown)) return;
  t.view.tools = t.view.tools?.map((c) => (c.callId === callId ? { ...c, status } : c));
}

/** A call finished: its output goes back; the last one of the response asks for the next response. */
export function toolResult(ctx: Step, input: Extract<Input, { type: 'toolResult' }>): void {
  const t = ctx.turn(input.turnId);
  const call = t?.calls.find((c) => c.callId === input.callId);
  if (!t || !call || call.answered) return;
  call.answered = true;
  if (call.remote) {
    // The user's answer goes back; the server runs an approved call in the next response (its result then).
    const approve = input.status === 'done';
    ctx.emit({ kind: 'mcpApproval', turnId: t.view.id, approvalRequestId: call.callId, approve });
    t.view.tools = t.view.tools?.map((c) =>
      c.callId !== input.callId
        ? c
        : approve
          ? { ...c, status: 'running' as const }
          : { ...c, status: 'declined' as const, result: input.output },
    );
  } else {
    ctx.emit({ kind: 'toolOutput', turnId: t.view.id, callId: call.callId, output: input.output });
    t.view.tools = t.view.tools?.map((c) =>
      c.callId === input.callId
        ? { ...c, status: input.status, result: input.output, durationMs: input.durationMs }
        : c,
    );
  }
  if (t.calls.every((c) => c.answered)) {
    t.calls = [];
    t.followUp = true;
    t.wantsResponse = true;
    t.view.phase = 'queued';
  }
}

/**
 * Stops the turn's tools (barge-in, leaving): pending calls get an output saying why, so the server's
 * conversation stays whole, and no follow-up is asked. Returns true when tools were running.
 */
export function stopTools(ctx: Step, t: TurnState): boolean {
  const pending = t.calls.filter((c) => !c.answered);
  if (pending.length === 0) return false;
  ctx.emit({ kind: 'abortTools', turnId: t.view.id });
  for (const call of pending) {
    call.answered = true;
    if (call.remote)
      ctx.emit({ kind: 'mcpApproval', turnId: t.view.id, approvalRequestId: call.callId, approve: false });
    else
      ctx.emit({ kind: 'toolOutput', turnId: t.view.id, callId: call.callId, output: reasons.toolStopped });
  }
  t.calls = [];
  t.view.tools = t.view.tools?.map((c) =>
    isOpen(c) ? { ...c, status: 'cancelled', result: reasons.toolStopped } : c,
  );
  return true;
}

const isOpen = (c: ToolCallView): boolean => c.status === 'approval' || c.status === 'running';
