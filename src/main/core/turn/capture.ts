/**
 * The user's side of a turn: key down/up, microphone frames, the 100 ms minimum for a commit (row 7), typed
 * messages, and matching the committed audio item to its transcript.
 */
import type { ImageRef, NextTurnOptions } from '../../../shared/types';
import { reasons } from '../words';
import { stopAssistant } from './playback';
import type { Step } from './step';
import type { TurnIdentity, TurnState } from './types';
import { newTurn } from './views';

/** Shortest audio the server accepts in a commit (row 7). */
export const MIN_COMMIT_MS = 100;

/** Key down (push-to-talk sequence step 2). */
export function press(
  ctx: Step,
  identity: TurnIdentity,
  playedMs: number | null,
  preset?: NextTurnOptions,
): void {
  const s = ctx.s;
  if (s.mic.phase === 'listening') return;
  if (s.mic.phase === 'stopping') {
    // The previous capture is still delivering its last frame; start once it is committed.
    s.mic = { ...s.mic, pressed: identity };
    return;
  }
  stopAssistant(ctx, playedMs, 'press');
  const t = newTurn(ctx, identity, 'voice', preset);
  t.view.recordedMs = 0;
  s.mic = { phase: 'listening', turnId: t.view.id };
  if (s.connected) {
    ctx.emit({ kind: 'clearInput', turnId: t.view.id });
    t.liveInSession = s.sessionEpoch;
  }
  ctx.emit({ kind: 'startCapture', turnId: t.view.id });
}

/** Key up: stop capture; the commit waits for its last frame (captureStopped). */
export function release(ctx: Step, heldMs: number | null): void {
  const s = ctx.s;
  if (s.mic.phase !== 'listening') return;
  const t = ctx.turn(s.mic.turnId);
  s.mic = { phase: 'stopping', turnId: s.mic.turnId, pressed: null, heldMs };
  if (!t) return;
  t.view.phase = 'committing';
  t.requestedAt = ctx.now;
  ctx.emit({ kind: 'stopCapture', turnId: t.view.id });
}

/** A captured frame: counted, and appended live when the socket is up (sequence step 3). */
export function frame(ctx: Step, ms: number): void {
  const s = ctx.s;
  if (s.mic.phase === 'idle' || !(ms > 0)) return;
  const t = ctx.turn(s.mic.turnId);
  if (!t) return;
  t.view.recordedMs = (t.view.recordedMs ?? 0) + ms;
  if (s.connected && t.liveInSession === s.sessionEpoch) {
    ctx.emit({ kind: 'appendAudio', turnId: t.view.id, fromStart: false });
  }
}

/** Capture has delivered its last frame: commit (≥ 100 ms) or clear (row 7). */
export function captureStopped(ctx: Step, problem: string | null): void {
  const s = ctx.s;
  if (s.mic.phase !== 'stopping') return;
  const { pressed, heldMs } = s.mic;
  const t = ctx.turn(s.mic.turnId);
  s.mic = { phase: 'idle' };
  if (t) {
    const live = s.connected && t.liveInSession === s.sessionEpoch;
    // A tap is judged by how long the key was held: frames still arriving after a quick release are not speech.
    const held = heldMs ?? (t.requestedAt ?? ctx.now) - t.view.startedAt;
    if ((t.view.recordedMs ?? 0) < MIN_COMMIT_MS || (held < MIN_COMMIT_MS && !problem)) {
      if (live) ctx.emit({ kind: 'clearInput', turnId: t.view.id });
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
  if (pressed) press(ctx, pressed, null);
}

/** The microphone failed: keep and send what was recorded, as if the key had been released. */
export function captureFailed(ctx: Step, reason: string): void {
  const s = ctx.s;
  if (s.mic.phase === 'listening') {
    const id = s.mic.turnId;
    const t = ctx.turn(id);
    s.mic = { phase: 'stopping', turnId: id, pressed: null, heldMs: null };
    ctx.emit({ kind: 'stopCapture', turnId: id }); // release the device; what was recorded is kept
    if (t) {
      t.view.phase = 'committing';
      t.requestedAt = ctx.now;
    }
  }
  if (s.mic.phase === 'stopping') captureStopped(ctx, reason);
  else ctx.notice('error', reasons.micFailed(reason));
}

/** Commit a voice turn's input, matched to the server's confirmation in order. */
export function commit(ctx: Step, t: TurnState): void {
  const images = t.view.images;
  if (images?.length) {
    // The pictures are part of what the user says: in the conversation before the audio that speaks of them.
    ctx.emit({
      kind: 'createMessage',
      turnId: t.view.id,
      itemId: `${t.view.id}_i${ctx.s.sessionEpoch}`,
      role: 'user',
      text: '',
      images,
    });
  }
  ctx.emit({ kind: 'flushAudio', turnId: t.view.id });
  ctx.emit({ kind: 'commitInput', turnId: t.view.id, eventId: `commit-${t.view.id}` });
  ctx.s.awaitingCommitted.push(t.view.id);
  t.inputSentInSession = ctx.s.sessionEpoch;
  t.userItemId = null;
  if (t.view.timings.releaseToCommitMs === undefined) t.view.timings.releaseToCommitMs = ctx.since(t);
}

/** Images join the turn being held: they go with it, before its audio, like those attached before the press. */
export function addImages(ctx: Step, turnId: string, images: readonly ImageRef[]): void {
  const s = ctx.s;
  if (s.mic.phase !== 'listening' || s.mic.turnId !== turnId) return;
  const t = ctx.turn(turnId);
  if (t) t.view.images = [...(t.view.images ?? []), ...images.map((i) => ({ ...i }))];
}

/** A typed message: queued like a released voice turn. */
export function typed(ctx: Step, identity: TurnIdentity, text: string): void {
  const t = newTurn(ctx, identity, 'text');
  t.view.userText = text;
  t.requestedAt = ctx.now;
  t.wantsResponse = true;
}

/** The server confirmed a commit: the oldest pending one now has its item id (transcripts, Retry). */
export function inputCommitted(ctx: Step, itemId: string): void {
  const t = ctx.turn(ctx.s.awaitingCommitted.shift());
  if (t) t.userItemId = itemId;
}

/** The user's words as the server transcribed them: a delta is appended, the completed text replaces. */
export function userTranscript(ctx: Step, itemId: string, text: string, complete: boolean): void {
  const t = ctx.turn(ctx.s.turns.find((x) => x.userItemId === itemId)?.view.id);
  if (t) t.view.userText = complete ? text : (t.view.userText ?? '') + text;
  else ctx.emit({ kind: 'lateTranscript', itemId, text, complete });
}
