/**
 * The server session around the turns: configured on connect (push-to-talk sequence step 1), ready once
 * session.created/updated says which instructions it has (row 1), re-sent when settings change, warned
 * about before its time limit and replaced by a new one with the conversation carried over as text
 * (row 11); the beta-dialect refusal is shown in plain words (row 12). A lost socket never loses a turn.
 */
import { serverError } from './reasons';
import { isTerminal, type Step } from './step';
import type { SessionConfig } from './types';
import * as wire from './wire';

/** Warn this long before the server's session limit (row 11). */
export const EXPIRY_WARNING_MS = 2 * 60 * 1000;
/** At most this many earlier turns are carried into a new session as text. */
export const CARRY_OVER_TURNS = 20;

/** session.created / session.updated: the session's instructions are now known (row 1, append mode). */
export function sessionDescribed(ctx: Step, session: unknown): void {
  const s = ctx.s;
  const instructions = (session as { instructions?: string | null }).instructions;
  s.serverInstructions = typeof instructions === 'string' ? instructions : null;
  if (!s.sessionReady) ctx.clearTimer('session');
  s.sessionReady = true;
}

/** A server that never describes its session: go ahead with what we asked for. */
export function sessionTimer(ctx: Step): void {
  const s = ctx.s;
  if (s.connected && !s.sessionReady) {
    s.sessionReady = true;
    s.serverInstructions = s.config.instructions.trim() ? s.config.instructions : null;
  }
}

/** The session's time limit is near (row 11). */
export function expiryTimer(ctx: Step): void {
  if (ctx.s.connected) {
    ctx.notice(
      'warning',
      'This session reaches the server’s time limit in about 2 minutes. The conversation will continue in a new session as text.',
    );
  }
}

/** A new socket is a new server session with an empty conversation. */
export function connectionUp(ctx: Step, expiresAt: number | null): void {
  const s = ctx.s;
  s.connected = true;
  s.sessionEpoch += 1;
  // Turns wait for session.created/updated: append mode needs the new session's instructions (row 1).
  s.sessionReady = false;
  s.serverInstructions = null;
  ctx.timer('session', s.config.stallTimeoutMs);
  ctx.send(wire.sessionUpdate(s.config));
  s.sentConfig = s.config;
  const carried = carryOver(ctx);
  if (carried > 0) {
    ctx.notice(
      'info',
      s.lostBecause === 'session_expired'
        ? 'The server ended the session at its time limit. A new session continues with the conversation so far as text.'
        : 'Reconnected in a new session; the conversation so far was carried over as text.',
    );
  }
  s.lostBecause = null;
  if (expiresAt !== null && expiresAt - EXPIRY_WARNING_MS > ctx.now)
    ctx.timer('expiry', expiresAt - EXPIRY_WARNING_MS - ctx.now);
}

/** Row 11: prior answered turns become text items in the new session. Returns how many turns. */
function carryOver(ctx: Step): number {
  const s = ctx.s;
  const answered = s.turns.filter(
    (t) =>
      t.inputSentInSession !== null &&
      t.inputSentInSession !== s.sessionEpoch &&
      (t.view.outcome?.kind === 'completed' ||
        t.view.outcome?.kind === 'interrupted' ||
        t.view.outcome?.kind === 'no-audio'),
  );
  const recent = answered.slice(-CARRY_OVER_TURNS);
  for (const t of recent) {
    const said = t.view.userText?.trim() || '(spoken message; no transcript available)';
    ctx.send(wire.userText(said), t.view.id);
    const reply = t.view.assistantText.trim();
    if (reply) ctx.send(wire.assistantText(reply), t.view.id);
  }
  return recent.length;
}

/** The socket is gone: in-flight replies are asked again in the next session, never lost. */
export function connectionDown(ctx: Step, code: string | null, reason: string | null): void {
  const s = ctx.s;
  if (code === 'beta_api_shape_disabled' && s.lostBecause !== code) {
    ctx.notice('error', reason ?? serverError(code, ''));
  }
  if (code) s.lostBecause = code;
  if (!s.connected) return;
  s.connected = false;
  s.sessionReady = false;
  for (const name of ['stall', 'created', 'cancel', 'expiry', 'session'] as const) ctx.clearTimer(name);
  const lost = new Set(
    [s.activeResponseId, s.awaitingCreatedId, s.cancellingId].filter((x): x is string => !!x),
  );
  s.activeResponseId = null;
  s.awaitingCreatedId = null;
  s.cancellingId = null;
  s.awaitingCommitted = [];
  for (const prev of s.turns) {
    const inFlight = (prev.responseId && lost.has(prev.responseId)) || lost.has(prev.view.id);
    if (!inFlight || isTerminal(prev)) continue;
    const t = ctx.turn(prev.view.id);
    if (!t) continue;
    if (t.pendingOutcome) {
      ctx.finishTurn(t, t.pendingOutcome);
      continue;
    }
    // The reply was lost with the socket: ask again in the new session (never lose the turn).
    if (t.playback === 'open' || t.playback === 'ended')
      ctx.emit({ kind: 'flushPlayback', turnId: t.view.id });
    ctx.resetAttempt(t);
    t.view.phase = 'queued';
    t.wantsResponse = true;
  }
}

/** New settings: session.update only when something the server sees changed (never `instructions: ""`). */
export function configChanged(ctx: Step, config: SessionConfig): void {
  const s = ctx.s;
  const prev = s.sentConfig;
  s.config = config;
  if (!s.connected || !prev) return;
  const changed =
    prev.voice !== config.voice ||
    prev.instructions !== config.instructions ||
    prev.audioFormat !== config.audioFormat ||
    prev.transcriptionModel !== config.transcriptionModel;
  if (!changed) return;
  ctx.send(wire.sessionUpdate(config));
  s.sentConfig = config;
  if (prev.instructions.trim() && !config.instructions.trim()) {
    ctx.notice(
      'info',
      'Session instructions were cleared. The server keeps the previous ones until the next connection (an empty text is never sent).',
    );
  }
}
