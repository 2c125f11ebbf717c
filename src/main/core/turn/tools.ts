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
  ctx.emit({ kind: 'toolOutput', turnId: t.view.id, callId: call.callId, output: input.output });
  t.view.tools = t.view.tools?.map((c) =>
    c.callId === input.callId
      ? { ...c, status: input.status, result: input.output, durationMs: input.durationMs }
      : c,
  );
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
    ctx.emit({ kind: 'toolOutput', turnId: t.view.id, callId: call.callId, output: reasons.toolStopped });
  }
  t.calls = [];
  t.view.tools = t.view.tools?.map((c) =>
    isOpen(c) ? { ...c, status: 'cancelled', result: reasons.toolStopped } : c,
  );
  return true;
}

const isOpen = (c: ToolCallView): boolean => c.status === 'approval' || c.status === 'running';
