/**
 * The push-to-talk turn machine: `step(state, input, now) → { state, effects }`, pure.
 *
 * This file routes inputs; each FIELD-REPORTS rule lives in one module. The machine holds only turns in
 * flight and speaks in intents; realtime/ga-dialect.ts is its one door to the wire.
 * - row 1 (never `instructions: ""`, append to the session's): dispatch.ts, session.ts
 * - row 2 (one active response, queued turns): dispatch.ts
 * - row 3 (stall watchdogs, every output event handled): watchdogs.ts, response.ts
 * - rows 4/5 (explicit output_modalities, text-instead-of-audio recovery): ga-dialect.ts, modality.ts
 * - row 6 (failed responses with reasons, throttled Retry): response.ts, server-errors.ts, retry.ts
 * - row 14 (function calls: run after completion, outputs, one follow-up): tools.ts
 * - row 17 (Retry answers its own message): retry.ts, dispatch.ts
 * - row 7 (100 ms minimum commit): capture.ts
 * - rows 8/9 (barge-in truncation, drain-not-flush): playback.ts
 * - rows 11/12 (new session with the conversation as text, beta-dialect notice): session.ts
 * step.ts holds one step's working copy and the verbs they share; views.ts builds a turn's view.
 */
import type { NextTurnOptions } from '../../../shared/types';
import {
  addImages,
  captureFailed,
  captureStopped,
  frame,
  inputCommitted,
  press,
  release,
  typed,
  userTranscript,
} from './capture';
import { dispatch } from './dispatch';
import { playbackDrained, playbackStarted, stopAssistant } from './playback';
import { responseCreated, responseDone, responseEvent } from './response';
import { cancelTurn, retry } from './retry';
import { toolProgress, toolResult } from './tools';
import { serverErrorEvent } from './server-errors';
import {
  abandon,
  configChanged,
  connectionDown,
  connectionUp,
  expiryTimer,
  rotateWhenQuiet,
  sessionDescribed,
  sessionTimer,
} from './session';
import { Step } from './step';
import type { Input, MachineState, SessionConfig, StepResult, TimerName } from './types';
import { cancelTimer, createdTimer, stallTimer } from './watchdogs';

export { MIN_COMMIT_MS } from './capture';
export { MAX_BACKOFF_MS, canRetry } from './retry';
export { CARRY_OVER_TURNS, EXPIRY_WARNING_MS, rotationLeadMs } from './session';

/** What the instructions box returns to after a turn while `next` is the chosen mode's: its instructions. */
function restingFor(next: NextTurnOptions): MachineState['resting'] {
  return next.instructions.trim() === ''
    ? null
    : { instructions: next.instructions, instructionsMode: next.instructionsMode };
}

/** A fresh machine: not connected, no turns. `mode`: the chosen mode's options (they are the next turn's). */
export function initialState(
  config: SessionConfig,
  next: NextTurnOptions,
  mode?: NextTurnOptions,
): MachineState {
  return {
    resting: mode ? restingFor(mode) : null,
    connected: false,
    sessionEpoch: 0,
    sessionReady: false,
    serverInstructions: null,
    sessionModel: null,
    spokeInSession: false,
    rotateDue: false,
    sentConfig: null,
    config,
    next,
    turns: [],
    mic: { phase: 'idle' },
    response: { phase: 'idle' },
    awaitingCommitted: [],
    failureStreak: 0,
    lastFailureAt: 0,
    notBefore: 0,
    lostBecause: null,
    noticeSeq: 0,
  };
}

/** Advances the machine by one input. Pure: the input state is not modified. */
export function step(state: MachineState, input: Input, now: number): StepResult {
  const ctx = new Step(state, now);
  handle(ctx, input);
  dispatch(ctx);
  rotateWhenQuiet(ctx);
  return ctx.finish();
}

function handle(ctx: Step, input: Input): void {
  switch (input.type) {
    case 'press':
      return press(ctx, input.turn, input.playedMs, input.preset);
    case 'release':
      return release(ctx, input.heldMs ?? null);
    case 'frame':
      return frame(ctx, input.ms);
    case 'captureStopped':
      return captureStopped(ctx, null);
    case 'captureFailed':
      return captureFailed(ctx, input.reason);
    case 'text':
      return typed(ctx, input.turn, input.text);
    case 'addImages':
      return addImages(ctx, input.turnId, input.images);
    case 'sessionDescribed':
      return sessionDescribed(ctx, input.instructions, input.model ?? null);
    case 'inputCommitted':
      return inputCommitted(ctx, input.itemId);
    case 'userTranscript':
      return userTranscript(ctx, input.itemId, input.text, input.complete);
    case 'responseCreated':
      return responseCreated(ctx, input.responseId);
    case 'responseDone':
      return responseDone(ctx, input);
    case 'serverError':
      return serverErrorEvent(ctx, input);
    case 'contentPart':
    case 'textDelta':
    case 'audioDelta':
    case 'audioDone':
    case 'functionCall':
    case 'mcpApprovalRequest':
    case 'mcpCall':
    case 'responseActivity':
      return responseEvent(ctx, input);
    case 'timer':
      return timerFired(ctx, input.name);
    case 'playbackStarted':
      return playbackStarted(ctx, input.turnId);
    case 'playbackDrained':
      return playbackDrained(ctx, input.turnId);
    case 'playbackFailed':
      ctx.notice('error', `Playback stopped: ${input.reason}`);
      return playbackDrained(ctx, input.turnId);
    case 'connectionUp':
      return connectionUp(ctx, input.expiresAt, input.history, input.summary);
    case 'connectionDown':
      return connectionDown(ctx, input.code, input.reason);
    case 'retry':
      return retry(ctx, input.turn);
    case 'toolProgress':
      return toolProgress(ctx, input.turnId, input.callId, input.status);
    case 'toolResult':
      return toolResult(ctx, input);
    case 'cancelTurn':
      return cancelTurn(ctx, input.turnId);
    case 'abandon':
      return abandon(ctx, input.reason);
    case 'stopReply':
      return stopAssistant(ctx, input.playedMs, 'stop');
    case 'config':
      return configChanged(ctx, input.config);
    case 'setNext':
      ctx.s.next = { ...input.next };
      return;
    case 'setMode':
      ctx.s.next = { ...input.next };
      ctx.s.resting = restingFor(input.next);
      ctx.emit({ kind: 'nextChanged', next: ctx.s.next });
      return;
  }
}

function timerFired(ctx: Step, name: TimerName): void {
  switch (name) {
    case 'stall':
      return stallTimer(ctx);
    case 'created':
      return createdTimer(ctx);
    case 'cancel':
      return cancelTimer(ctx);
    case 'backoff':
      return; // dispatch() runs after every input
    case 'session':
      return sessionTimer(ctx);
    case 'expiry':
      return expiryTimer(ctx);
    case 'rotate':
      ctx.s.rotateDue = ctx.s.connected;
      return;
  }
}
