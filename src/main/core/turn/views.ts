/** A turn's public view: how a new turn starts out, and the list the UI shows. */
import type { TurnView } from '../../../shared/types';
import type { Step } from './step';
import type { MachineState, TurnState } from './types';

/** The public views of all turns, oldest first. */
export function turnViews(state: MachineState): TurnView[] {
  return state.turns.map((t) => t.view);
}

/** A new turn with the "next turn" options (Reply as, instructions) as they are now. */
export function newTurn(ctx: Step, input: 'voice' | 'text'): TurnState {
  ctx.s.turnSeq += 1;
  const next = ctx.s.next;
  const instructions = next.instructions.trim();
  const view: TurnView = {
    id: `turn-${ctx.s.turnSeq}`,
    index: ctx.s.turnSeq,
    input,
    replyAs: next.replyAs,
    ...(instructions ? { instructions: next.instructions, instructionsMode: next.instructionsMode } : {}),
    assistantText: '',
    hasAudio: false,
    phase: input === 'voice' ? 'listening' : 'queued',
    timings: {},
    startedAt: ctx.now,
    attempts: 0,
  };
  const t: TurnState = {
    view,
    inputSentInSession: null,
    liveInSession: null,
    wantsResponse: false,
    requestedAt: null,
    responseId: null,
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
    toolCalls: [],
    userItemId: null,
  };
  ctx.addTurn(t);
  if (instructions) {
    // "Instructions for this turn" go with this turn only; later turns fall back to the session's.
    ctx.s.next = { ...next, instructions: '' };
    ctx.emit({ kind: 'nextChanged', next: ctx.s.next });
  }
  return t;
}
