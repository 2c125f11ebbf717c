/**
 * The server session around the turns: configured on connect (push-to-talk sequence step 1), ready once
 * session.created/updated says which instructions it has (row 1), re-sent when settings change, warned
 * about before its time limit and replaced by a new one with the conversation carried over as text
 * (row 11); the beta-dialect refusal is shown in plain words (row 12). A lost socket never loses a turn.
 */
import { reasons, serverError, words } from '../words';
import { isTerminal, type Step } from './step';
import { stopTools } from './tools';
import type { CarriedTurn, SessionConfig } from './types';

/** Warn this long before the server's session limit (row 11). */
export const EXPIRY_WARNING_MS = 2 * 60 * 1000;
/** At most this many earlier turns are carried into a new session as text. */
export const CARRY_OVER_TURNS = 20;
/** How a carried summary introduces itself to the model. */
export const SUMMARY_PREFIX = 'Summary of the conversation so far (its last turns follow as they were): ';
/** Move to a new session this long before the limit at most (a quarter of a short session). */
export const MAX_ROTATION_LEAD_MS = 5 * 60 * 1000;

/** How long before a session's limit Talkie looks for a quiet moment to move to a new one. */
export function rotationLeadMs(sessionMs: number): number {
  return Math.min(MAX_ROTATION_LEAD_MS, Math.max(0, sessionMs) / 4);
}

/** Nothing in flight: no key held, no response open, every turn finished and its audio played out. */
function quiet(ctx: Step): boolean {
  const s = ctx.s;
  return (
    s.mic.phase === 'idle' &&
    s.response.phase === 'idle' &&
    s.turns.every((t) => isTerminal(t) && t.playback !== 'open' && t.playback !== 'ended')
  );
}

/**
 * Before the session's time limit, at a quiet moment, a new session takes over with the conversation carried
 * over (row 11): the limit never cuts a turn off. Runs after every input.
 */
export function rotateWhenQuiet(ctx: Step): void {
  const s = ctx.s;
  if (!s.rotateDue || !s.connected || !quiet(ctx)) return;
  s.rotateDue = false;
  ctx.emit({ kind: 'rotateSession' });
}

/** The session describes itself: its instructions are now known (row 1, append mode). */
export function sessionDescribed(ctx: Step, instructions: string | null, model: string | null): void {
  const s = ctx.s;
  s.serverInstructions = instructions;
  if (model) s.sessionModel = model;
  if (s.sessionReady !== 'described') {
    ctx.clearTimer('session');
    ctx.emit({ kind: 'session', state: 'ready' });
  }
  s.sessionReady = 'described';
}

/** A server that never describes its session: go ahead with what we asked for. */
export function sessionTimer(ctx: Step): void {
  const s = ctx.s;
  if (s.connected && !s.sessionReady) {
    s.sessionReady = 'assumed';
    s.serverInstructions = s.config.instructions.trim() ? s.config.instructions : null;
    ctx.emit({ kind: 'session', state: 'missing' });
  }
}

/** The session's time limit is near (row 11). */
export function expiryTimer(ctx: Step): void {
  if (ctx.s.connected) ctx.notice('warning', reasons.expiresSoon, 'session');
}

/**
 * A new socket is a new server session with an empty conversation: configure it, then carry the
 * conversation's earlier answered turns over as text (row 11). `history` comes from the conversation, and
 * only when this session is on the server the conversation was held with.
 */
export function connectionUp(
  ctx: Step,
  expiresAt: number | null,
  history: CarriedTurn[],
  summary?: string,
): void {
  const s = ctx.s;
  s.connected = true;
  s.sessionEpoch += 1;
  // Turns wait for the session's description: append mode needs the new session's instructions (row 1).
  s.sessionReady = false;
  s.serverInstructions = null;
  s.sessionModel = null;
  s.spokeInSession = false;
  ctx.timer('session', s.config.stallTimeoutMs);
  // A voice that waited for a new session (row 15) is used now.
  if (s.sentConfig && s.sentConfig.voice !== s.config.voice) ctx.clearNotice('voice');
  ctx.emit({ kind: 'updateSession', config: s.config });
  s.sentConfig = s.config;
  const recent = history.slice(-CARRY_OVER_TURNS);
  // The earlier part of a long conversation, in short, before the turns carried as they were.
  if (summary?.trim())
    ctx.emit({
      kind: 'createMessage',
      turnId: recent[0]?.turnId ?? '',
      itemId: `summary_c${s.sessionEpoch}`,
      role: 'system',
      text: `${SUMMARY_PREFIX}${summary.trim()}`,
    });
  for (const turn of recent) {
    const said = turn.user.trim() || '(spoken message; no transcript available)';
    ctx.emit({
      kind: 'createMessage',
      turnId: turn.turnId,
      itemId: `${turn.turnId}_c${s.sessionEpoch}`,
      role: 'user',
      text: said,
      ...(turn.images?.length ? { images: turn.images } : {}),
    });
    const reply = turn.assistant.trim();
    if (reply)
      ctx.emit({
        kind: 'createMessage',
        turnId: turn.turnId,
        itemId: `${turn.turnId}_r${s.sessionEpoch}`,
        role: 'assistant',
        text: reply,
      });
  }
  if ((recent.length > 0 || summary) && s.lostBecause !== null) {
    ctx.notice(
      'info',
      s.lostBecause === 'session_expired' ? reasons.sessionExpiredCarried : reasons.reconnectedCarried,
      'session',
    );
  }
  s.lostBecause = null;
  s.rotateDue = false;
  if (expiresAt !== null && expiresAt - EXPIRY_WARNING_MS > ctx.now)
    ctx.timer('expiry', expiresAt - EXPIRY_WARNING_MS - ctx.now);
  if (expiresAt !== null && expiresAt > ctx.now) {
    const length = expiresAt - ctx.now;
    ctx.timer('rotate', length - rotationLeadMs(length));
  }
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
  s.rotateDue = false;
  for (const name of ['stall', 'created', 'cancel', 'expiry', 'session', 'rotate'] as const)
    ctx.clearTimer(name);
  const lostTurn = s.response.phase === 'idle' ? null : s.response.turnId;
  s.response = { phase: 'idle' };
  s.awaitingCommitted = [];
  const t = ctx.turn(lostTurn);
  if (!t || isTerminal(t)) return;
  if (t.pendingOutcome) {
    ctx.finishTurn(t, t.pendingOutcome);
    return;
  }
  // The reply was lost with the socket: ask again in the new session (never lose the turn).
  if (t.playback === 'open' || t.playback === 'ended') ctx.emit({ kind: 'flushPlayback', turnId: t.view.id });
  ctx.resetAttempt(t);
  t.view.attemptReason = words.attemptAfterDrop;
  t.view.phase = 'queued';
  t.wantsResponse = true;
}

/**
 * The user left the conversation (switched, started a new one, or the server changed): every turn in
 * flight ends now, cancelled with the reason, so none of it reaches a session of another conversation.
 */
export function abandon(ctx: Step, reason: string): void {
  const s = ctx.s;
  if (s.mic.phase !== 'idle') ctx.emit({ kind: 'stopCapture', turnId: s.mic.turnId });
  s.mic = { phase: 'idle' };
  if (s.response.phase === 'active') ctx.cancelResponse(s.response.responseId, s.response.turnId);
  for (const prev of s.turns) {
    const t = ctx.turn(prev.view.id);
    if (!t) continue;
    if (t.playback === 'open' || t.playback === 'ended')
      ctx.emit({ kind: 'flushPlayback', turnId: t.view.id });
    t.playback = 'flushed';
    stopTools(ctx, t);
    if (!isTerminal(t)) ctx.finishTurn(t, { kind: 'cancelled', reason });
  }
  s.awaitingCommitted = [];
}

/**
 * New settings: a session update only when something the server sees changed (never `instructions: ""`). Once the
 * model has spoken in this session its voice is fixed (row 15): the update keeps the session's voice, the user is
 * told the new one applies from the next session (with a button to start one), and the next session gets it.
 */
export function configChanged(ctx: Step, config: SessionConfig): void {
  const s = ctx.s;
  const prev = s.sentConfig;
  const wanted = s.config;
  s.config = config;
  if (!s.connected || !prev) return;
  const voiceLocked = s.spokeInSession && config.voice !== prev.voice;
  if (voiceLocked && config.voice !== wanted.voice)
    ctx.notice('info', reasons.voiceNextSession(config.voice), 'voice', {
      label: 'Start new session',
      command: 'connection.reconnect',
    });
  // A voice change that was waiting for the next session was undone (or may now be sent).
  if (!voiceLocked && wanted.voice !== prev.voice) ctx.clearNotice('voice');
  // Noise reduction is switched off by omission at the start of a session: an update cannot send "off"
  // (the GA schema types it as an object; null is only in its description), so it waits for the next session.
  const noiseStays = Boolean(prev.noiseReduction) && !config.noiseReduction;
  if (noiseStays && wanted.noiseReduction)
    ctx.notice('info', reasons.noiseReductionOffNextSession, 'noise', {
      label: 'Start new session',
      command: 'connection.reconnect',
    });
  // Turned back on before the next session: nothing waits any more.
  if (!noiseStays && prev.noiseReduction && !wanted.noiseReduction) ctx.clearNotice('noise');
  // Transcripts likewise: the schema has no "off" for an update, so turning them off waits for the next session.
  const transcriptionStays = Boolean(prev.transcriptionModel) && !config.transcriptionModel;
  if (transcriptionStays && wanted.transcriptionModel)
    ctx.notice('info', reasons.transcriptionOffNextSession, 'transcription', {
      label: 'Start new session',
      command: 'connection.reconnect',
    });
  if (!transcriptionStays && prev.transcriptionModel && !wanted.transcriptionModel)
    ctx.clearNotice('transcription');
  const effective: SessionConfig = {
    ...config,
    ...(voiceLocked ? { voice: prev.voice } : {}),
    ...(noiseStays ? { noiseReduction: prev.noiseReduction ?? null } : {}),
    ...(transcriptionStays
      ? {
          transcriptionModel: prev.transcriptionModel,
          transcriptionLanguage: prev.transcriptionLanguage ?? null,
        }
      : {}),
  };
  const changed =
    (prev.noiseReduction ?? null) !== (effective.noiseReduction ?? null) ||
    prev.voice !== effective.voice ||
    prev.instructions !== effective.instructions ||
    prev.audioFormat !== effective.audioFormat ||
    prev.transcriptionModel !== effective.transcriptionModel ||
    (prev.transcriptionLanguage ?? null) !== (effective.transcriptionLanguage ?? null) ||
    (prev.truncationRetention ?? null) !== (effective.truncationRetention ?? null) ||
    JSON.stringify(prev.tools) !== JSON.stringify(effective.tools) ||
    JSON.stringify(prev.remoteMcp ?? []) !== JSON.stringify(effective.remoteMcp ?? []);
  if (!changed) return;
  const offered = (c: SessionConfig): boolean => c.tools.length > 0 || (c.remoteMcp?.length ?? 0) > 0;
  // A session keeps the tools it was given: the last one withdrawn must be withdrawn explicitly.
  ctx.emit({
    kind: 'updateSession',
    config: {
      ...effective,
      ...(offered(prev) && !offered(effective) ? { clearTools: true } : {}),
      ...(prev.truncationRetention && !effective.truncationRetention ? { resetTruncation: true } : {}),
    },
  });
  s.sentConfig = effective;
  if (prev.instructions.trim() && !config.instructions.trim())
    ctx.notice('info', reasons.instructionsCleared);
}
