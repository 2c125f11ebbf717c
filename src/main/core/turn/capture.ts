/**
 * The user's side of a turn: key down/up, microphone frames, the 100 ms minimum for a commit (row 7), typed
 * messages, and matching the committed audio item to its transcript.
 */
import { reasons } from './reasons';
import { stopAssistant } from './playback';
import type { Step } from './step';
import type { TurnState } from './types';
import { newTurn } from './views';
import * as wire from './wire';

/** Shortest audio the server accepts in a commit (row 7). */
export const MIN_COMMIT_MS = 100;

/** Key down (push-to-talk sequence step 2). */
export function press(ctx: Step, playedMs: number | null): void {
  const s = ctx.s;
  if (s.listeningId) return;
  if (s.stoppingId) {
    // The previous capture is still delivering its last frame; start once it is committed.
    s.pressPending = true;
    return;
  }
  stopAssistant(ctx, playedMs, 'press');
  const t = newTurn(ctx, 'voice');
  t.view.recordedMs = 0;
  s.listeningId = t.view.id;
  if (s.connected) {
    ctx.send(wire.clearInput(), t.view.id);
    t.liveInSession = s.sessionEpoch;
  }
  ctx.emit({ kind: 'startCapture', turnId: t.view.id });
}

/** Key up: stop capture; the commit waits for its last frame (captureStopped). */
export function release(ctx: Step): void {
  const t = ctx.turn(ctx.s.listeningId);
  if (!t) return;
  ctx.s.listeningId = null;
  ctx.s.stoppingId = t.view.id;
  t.view.phase = 'committing';
  t.requestedAt = ctx.now;
  ctx.emit({ kind: 'stopCapture', turnId: t.view.id });
}

/** A captured frame: counted, and appended live when the socket is up (sequence step 3). */
export function frame(ctx: Step, ms: number): void {
  const s = ctx.s;
  const t = ctx.turn(s.listeningId ?? s.stoppingId);
  if (!t || !(ms > 0)) return;
  t.view.recordedMs = (t.view.recordedMs ?? 0) + ms;
  if (s.connected && t.liveInSession === s.sessionEpoch) {
    ctx.emit({ kind: 'sendAudio', turnId: t.view.id, fromStart: false });
  }
}

/** Capture has delivered its last frame: commit (≥ 100 ms) or clear (row 7). */
export function captureStopped(ctx: Step, problem: string | null): void {
  const s = ctx.s;
  const t = ctx.turn(s.stoppingId);
  s.stoppingId = null;
  if (t) {
    const live = s.connected && t.liveInSession === s.sessionEpoch;
    if ((t.view.recordedMs ?? 0) < MIN_COMMIT_MS) {
      if (live) ctx.send(wire.clearInput(), t.view.id);
      if (problem)
        ctx.finishTurn(t, { kind: 'failed', reason: reasons.micFailed(problem), retryable: false });
      else ctx.finishTurn(t, { kind: 'ignored', reason: reasons.holdToTalk });
    } else {
      if (problem) ctx.notice('warning', `${reasons.micFailed(problem)}. Sending what was recorded.`);
      t.view.phase = 'queued';
      t.wantsResponse = true;
      if (live) commit(ctx, t);
    }
  }
  if (s.pressPending) {
    s.pressPending = false;
    press(ctx, null);
  }
}

/** The microphone failed: keep and send what was recorded, as if the key had been released. */
export function captureFailed(ctx: Step, reason: string): void {
  const s = ctx.s;
  const id = s.listeningId;
  if (id) {
    const t = ctx.turn(id);
    s.listeningId = null;
    s.stoppingId = id;
    ctx.emit({ kind: 'stopCapture', turnId: id }); // release the device; what was recorded is kept
    if (t) {
      t.view.phase = 'committing';
      t.requestedAt = ctx.now;
    }
  }
  if (s.stoppingId) captureStopped(ctx, reason);
  else ctx.notice('error', reasons.micFailed(reason));
}

/** input_audio_buffer.commit for a voice turn, matched to its `committed` event in order. */
export function commit(ctx: Step, t: TurnState): void {
  ctx.send(wire.commitInput(`commit-${t.view.id}`), t.view.id);
  ctx.s.awaitingCommitted.push(t.view.id);
  t.inputSentInSession = ctx.s.sessionEpoch;
  if (t.view.timings.releaseToCommitMs === undefined) t.view.timings.releaseToCommitMs = ctx.since(t);
}

/** A typed message: queued like a released voice turn. */
export function typed(ctx: Step, text: string): void {
  const t = newTurn(ctx, 'text');
  t.view.userText = text;
  t.requestedAt = ctx.now;
  t.wantsResponse = true;
}

/** input_audio_buffer.committed: the oldest pending commit now has its item id (for transcripts). */
export function inputCommitted(ctx: Step, itemId: string): void {
  const t = ctx.turn(ctx.s.awaitingCommitted.shift());
  if (t) t.userItemId = itemId;
}

/** The user's words as the server transcribed them: a delta is appended, the completed text replaces. */
export function userTranscript(ctx: Step, itemId: string, text: string, complete: boolean): void {
  const t = ctx.turn(ctx.s.turns.find((x) => x.userItemId === itemId)?.view.id);
  if (t) t.view.userText = complete ? text : (t.view.userText ?? '') + text;
}
