/**
 * A response's life on the server, from its creation to its end: every output the GA dialect reports
 * (text, audio, transcript, function calls; row 3), audio into the player, and the outcome — completed,
 * no audio (rows 4/5), failed or incomplete with its reason (row 6), cancelled. Each response is recorded
 * for its turn by id; a turn may own several.
 */
import type { TurnOutcome } from '../../../shared/types';
import { contentPartAdded, finishRecovery, textDeltaFirst } from './modality';
import { functionCall, mcpApprovalRequest, mcpCall, runCalls } from './tools';
import { endPlayback } from './playback';
import { reasons, responseFailure } from '../words';
import { isTerminal, openResponseId, type Step } from './step';
import type { ServerInput, TurnState } from './types';

/** The server created a response: the requested turn's response is now active, under the stall watchdog. */
export function responseCreated(ctx: Step, id: string): void {
  const s = ctx.s;
  const t = s.response.phase === 'requested' ? ctx.turn(s.response.turnId) : null;
  if (!t) {
    // A response we did not ask for (or one whose request timed out): stop it so it cannot talk over us.
    ctx.cancelResponse(id, null);
    return;
  }
  s.response = { phase: 'active', responseId: id, turnId: t.view.id };
  ctx.clearTimer('created');
  t.responseIds.push(id);
  t.view.timings.toCreatedMs = ctx.since(t);
  ctx.emit({ kind: 'responseRecord', turnId: t.view.id, responseId: id, status: 'in_progress' });
  if (t.cancelOnCreate) {
    t.cancelOnCreate = false;
    ctx.cancelResponse(id, t.view.id);
    return;
  }
  ctx.timer('stall', s.config.stallTimeoutMs);
}

type ResponseOutput = Extract<
  ServerInput,
  {
    type:
      | 'contentPart'
      | 'textDelta'
      | 'audioDelta'
      | 'audioDone'
      | 'functionCall'
      | 'mcpApprovalRequest'
      | 'mcpCall'
      | 'responseActivity';
  }
>;

/** Any output of a response: content, deltas, item lifecycle. */
export function responseEvent(ctx: Step, input: ResponseOutput): void {
  const s = ctx.s;
  if (input.responseId !== openResponseId(s)) return; // a finished or unknown response: nothing to do
  if (s.response.phase === 'active') ctx.timer('stall', s.config.stallTimeoutMs);
  const t = ctx.turnByResponse(input.responseId);
  if (!t || t.pendingOutcome || t.textItemToDelete || isTerminal(t)) return;
  switch (input.type) {
    case 'functionCall':
      functionCall(ctx, t, input);
      return;
    case 'mcpApprovalRequest':
      mcpApprovalRequest(t, input);
      return;
    case 'mcpCall':
      mcpCall(t, input);
      return;
    case 'contentPart':
      contentPartAdded(ctx, t, input.partType, input.itemId);
      return;
    case 'textDelta':
      if (input.source === 'text' && textDeltaFirst(ctx, t, input.itemId)) return;
      t.sawFirstPart = true;
      t.mcpAwaitingReply = false;
      delta(ctx, t);
      t.view.assistantText += input.delta;
      return;
    case 'audioDelta':
      ctx.s.spokeInSession = true; // the session's voice is fixed from now on (row 15)
      t.sawFirstPart = true;
      t.mcpAwaitingReply = false;
      delta(ctx, t);
      if (t.view.replyAs !== 'voice') return; // Text was asked for: never play unrequested audio
      t.view.hasAudio = true;
      t.audioItemId = input.itemId;
      t.audioContentIndex = input.contentIndex;
      t.receivedAudioMs += input.ms;
      if (t.playback === 'none') {
        ctx.emit({ kind: 'openPlayback', turnId: t.view.id });
        t.playback = 'open';
      }
      if (t.playback === 'open')
        ctx.emit({
          kind: 'writePlayback',
          turnId: t.view.id,
          audio: input.audio,
          arrivedAt: input.arrivedAt,
        });
      return;
    case 'audioDone':
      endPlayback(ctx, t);
      return;
    case 'responseActivity':
      return;
  }
}

function delta(ctx: Step, t: TurnState): void {
  if (t.view.timings.toFirstDeltaMs === undefined) t.view.timings.toFirstDeltaMs = ctx.since(t);
  if (t.view.phase === 'waiting' || t.view.phase === 'queued') t.view.phase = 'replying';
}

/** response.done: the slot is free again; the response is recorded and its turn gets its outcome. */
export function responseDone(ctx: Step, input: Extract<ServerInput, { type: 'responseDone' }>): void {
  const s = ctx.s;
  const id = input.responseId;
  if (s.response.phase === 'cancelling' && s.response.responseId === id) ctx.clearTimer('cancel');
  if (openResponseId(s) === id) ctx.clearTimer('stall');
  const slotTurn = openResponseId(s) === id && s.response.phase !== 'idle' ? s.response.turnId : null;
  if (openResponseId(s) === id) s.response = { phase: 'idle' };
  const t = ctx.turnByResponse(id);
  const recordFor = t?.view.id ?? slotTurn;
  const reason =
    input.status === 'completed' ? undefined : responseFailure(input.status, input.details ?? undefined);
  if (recordFor)
    ctx.emit({
      kind: 'responseRecord',
      turnId: recordFor,
      responseId: id,
      status: input.status,
      ...(reason ? { reason } : {}),
      ...(input.usage ? { usage: input.usage } : {}),
      ...(input.usage && s.sessionModel ? { model: s.sessionModel } : {}),
    });
  if (!t) return;
  endPlayback(ctx, t);
  if (t.view.timings.toDoneMs === undefined) t.view.timings.toDoneMs = ctx.since(t);
  if (finishRecovery(ctx, t)) return;
  if (isTerminal(t)) return; // e.g. already failed by the stall watchdog
  if (t.pendingOutcome) {
    ctx.finishTurn(t, t.pendingOutcome);
    return;
  }
  if (input.status !== 'completed') {
    t.calls = []; // calls of a failed, cancelled or incomplete response never run (rows 6, 14)
    t.mcpAwaitingReply = false;
  }
  if (input.status === 'failed' || input.status === 'incomplete') {
    ctx.fail(t, reason ?? reasons.failed);
    return;
  }
  if (input.status === 'cancelled') {
    ctx.finishTurn(t, {
      kind: 'cancelled',
      reason: (reason ?? '').replace('The reply failed', 'The server cancelled the reply'),
    });
    return;
  }
  s.failureStreak = 0;
  if (runCalls(ctx, t)) {
    endPlayback(ctx, t);
    return;
  }
  if (t.mcpAwaitingReply) {
    // The server ran a remote MCP call and ended the response: the reply that uses it is asked for next.
    t.mcpAwaitingReply = false;
    t.followUp = true;
    t.wantsResponse = true;
    t.view.phase = 'queued';
    return;
  }
  const outcome: TurnOutcome =
    t.view.replyAs === 'voice' && t.acceptText && !t.view.hasAudio
      ? { kind: 'no-audio', reason: reasons.noAudio }
      : { kind: 'completed' };
  if (t.playback === 'ended') {
    t.pendingOutcome = outcome; // finished when the player has drained (row 9)
    t.view.phase = 'replying';
  } else {
    ctx.finishTurn(t, outcome);
  }
}
