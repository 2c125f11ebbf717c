/**
 * A response's life on the server, from response.created to response.done: every output event of the GA
 * dialect (text, audio, transcript, function calls; row 3), audio into the player, and the outcome —
 * completed, no audio (rows 4/5), failed or incomplete with its reason (row 6), cancelled.
 */
import type { RealtimeServerEvent } from '../realtime/connection-types';
import { base64ByteLength, bytesPerMs } from '../realtime/base64';
import type { TurnOutcome } from '../../../shared/types';
import { contentPartAdded, finishRecovery, textDeltaFirst } from './modality';
import { endPlayback } from './playback';
import { reasons, responseFailure } from './reasons';
import { isTerminal, type Step } from './step';
import type { TurnState } from './types';
import * as wire from './wire';

/** response.created: the awaited turn's response is now active, under the stall watchdog (row 3). */
export function responseCreated(ctx: Step, id: string): void {
  const s = ctx.s;
  const t = ctx.turn(s.awaitingCreatedId);
  s.activeResponseId = id;
  if (!t) {
    // A response we did not ask for (or one whose request timed out): stop it so it cannot talk over us.
    ctx.cancelResponse(id);
    return;
  }
  s.awaitingCreatedId = null;
  ctx.clearTimer('created');
  t.responseId = id;
  t.view.timings.toCreatedMs = ctx.since(t);
  if (t.cancelOnCreate) {
    t.cancelOnCreate = false;
    ctx.cancelResponse(id);
    return;
  }
  ctx.timer('stall', s.config.stallTimeoutMs);
}

/** Any event carrying a response_id: content, deltas, item lifecycle. */
export function responseEvent(ctx: Step, responseId: string, event: RealtimeServerEvent): void {
  const s = ctx.s;
  if (responseId !== s.activeResponseId) return; // a finished or unknown response: nothing to do
  if (s.cancellingId !== responseId) ctx.timer('stall', s.config.stallTimeoutMs);
  const t = ctx.turnByResponse(responseId);
  if (!t || t.pendingOutcome || t.textItemToDelete || isTerminal(t)) return;
  const voice = t.view.replyAs === 'voice';
  switch (event.type) {
    case 'response.output_item.added':
    case 'response.output_item.done': {
      const item = event.item as { type?: string; name?: string | null };
      if (item.type === 'function_call' && event.type === 'response.output_item.done') {
        t.toolCalls.push(item.name ?? 'a function');
      }
      return;
    }
    case 'response.content_part.added':
      contentPartAdded(ctx, t, event.part.type, event.item_id);
      return;
    case 'response.output_text.delta':
      if (textDeltaFirst(ctx, t, event.item_id)) return;
      t.sawFirstPart = true;
      delta(ctx, t);
      t.view.assistantText += event.delta;
      return;
    case 'response.output_audio_transcript.delta':
      t.sawFirstPart = true;
      delta(ctx, t);
      t.view.assistantText += event.delta;
      return;
    case 'response.output_audio.delta': {
      t.sawFirstPart = true;
      delta(ctx, t);
      if (!voice) return; // Text was asked for: never play unrequested audio
      t.view.hasAudio = true;
      t.audioItemId = event.item_id;
      t.audioContentIndex = event.content_index;
      t.receivedAudioMs +=
        base64ByteLength(event.delta) / bytesPerMs(wire.formatObject(s.config.audioFormat));
      if (t.playback === 'none') {
        ctx.emit({ kind: 'openPlayback', turnId: t.view.id });
        t.playback = 'open';
      }
      if (t.playback === 'open') ctx.emit({ kind: 'writePlayback', turnId: t.view.id, audio: event.delta });
      return;
    }
    case 'response.output_audio.done':
      endPlayback(ctx, t);
      return;
    default:
      return;
  }
}

function delta(ctx: Step, t: TurnState): void {
  if (t.view.timings.toFirstDeltaMs === undefined) t.view.timings.toFirstDeltaMs = ctx.since(t);
  if (t.view.phase === 'waiting' || t.view.phase === 'queued') t.view.phase = 'replying';
}

/** response.done: the response is no longer active; its turn gets its outcome. */
export function responseDone(
  ctx: Step,
  response: { id?: string; status?: string; status_details?: unknown },
): void {
  const s = ctx.s;
  const id = response.id ?? '';
  if (id === s.cancellingId) {
    s.cancellingId = null;
    ctx.clearTimer('cancel');
  }
  if (id === s.activeResponseId) {
    s.activeResponseId = null;
    ctx.clearTimer('stall');
  }
  const t = ctx.turnByResponse(id);
  if (!t) return;
  endPlayback(ctx, t);
  if (t.view.timings.toDoneMs === undefined) t.view.timings.toDoneMs = ctx.since(t);
  if (finishRecovery(ctx, t)) return;
  if (isTerminal(t)) return; // e.g. already failed by the stall watchdog
  if (t.pendingOutcome) {
    ctx.finishTurn(t, t.pendingOutcome);
    return;
  }
  const status = response.status ?? 'completed';
  if (status === 'failed' || status === 'incomplete') {
    // Tool calls of a failed response are ignored (row 6).
    ctx.fail(t, responseFailure(status, response.status_details as Parameters<typeof responseFailure>[1]));
    return;
  }
  if (status === 'cancelled') {
    const details = response.status_details as { reason?: string } | undefined;
    ctx.finishTurn(t, {
      kind: 'cancelled',
      reason: responseFailure('cancelled', details).replace(
        'The reply failed',
        'The server cancelled the reply',
      ),
    });
    return;
  }
  s.failureStreak = 0;
  for (const name of t.toolCalls) {
    t.view.assistantText += `${t.view.assistantText ? '\n' : ''}(the assistant tried to call ${name})`;
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
