/** How a new turn starts out: its public view from the "next turn" options as they are now. */
import type { NextTurnOptions, TurnView } from '../../../shared/types';
import type { Step } from './step';
import type { TurnIdentity, TurnState } from './types';

/** Machine bookkeeping for a turn entering the machine (new, or asked again). */
export function freshState(view: TurnView): TurnState {
  return {
    view,
    inputSentInSession: null,
    liveInSession: null,
    wantsResponse: false,
    ownContext: false,
    requestedAt: null,
    responseIds: [],
    cancelOnCreate: false,
    textRecoveryUsed: false,
    textItemToDelete: null,
    acceptText: false,
    sawFirstPart: false,
    audioItemId: null,
    audioContentIndex: 0,
    receivedAudioMs: 0,
    playback: 'none',
    pendingOutcome: null,
    calls: [],
    followUp: false,
    mcpAwaitingReply: false,
    requests: view.attempts,
    userItemId: null,
  };
}

/**
 * A new turn with the "next turn" options (Reply as, instructions) as they are now, or with `preset` (a mode's
 * own hotkey), which leaves the next-turn options as they are.
 */
export function newTurn(
  ctx: Step,
  identity: TurnIdentity,
  input: 'voice' | 'text',
  preset?: NextTurnOptions,
): TurnState {
  const next = preset ?? ctx.s.next;
  const instructions = next.instructions.trim();
  const view: TurnView = {
    id: identity.id,
    conversationId: identity.conversationId,
    index: identity.index,
    input,
    replyAs: next.replyAs,
    ...(instructions ? { instructions: next.instructions, instructionsMode: next.instructionsMode } : {}),
    assistantText: '',
    hasAudio: false,
    phase: input === 'voice' ? 'listening' : 'queued',
    timings: {},
    startedAt: ctx.now,
    attempts: 0,
    ...(identity.images?.length ? { images: identity.images.map((i) => ({ ...i })) } : {}),
  };
  const t = freshState(view);
  ctx.addTurn(t);
  const resting = ctx.s.resting ?? { instructions: '' };
  if (!preset && instructions && next.instructions !== resting.instructions) {
    // "Instructions for this turn" go with this turn only; later turns fall back to the chosen mode's.
    ctx.s.next = { ...next, ...resting };
    ctx.emit({ kind: 'nextChanged', next: ctx.s.next });
  }
  return t;
}
