/**
 * One active response at a time (row 2): the next queued turn gets its response.create only when nothing
 * is active, created-but-unconfirmed or being cancelled, and then under the `created` watchdog (row 3).
 * `output_modalities` and instructions go on every create (rows 1, 4, 5; built in wire.ts).
 */
import { commit } from './capture';
import type { Step } from './step';
import * as wire from './wire';

/** Sends the next queued turn when nothing is active (rows 2 and 3). Runs after every input. */
export function dispatch(ctx: Step): void {
  const s = ctx.s;
  if (!s.connected || !s.sessionReady || s.activeResponseId || s.awaitingCreatedId || s.cancellingId) return;
  const next = s.turns.find((t) => t.wantsResponse);
  if (!next) return;
  // Retry throttling (row 6, retry.ts) sets notBefore.
  if (ctx.now < s.notBefore) {
    ctx.timer('backoff', s.notBefore - ctx.now);
    return;
  }
  // While the user holds the key nothing new starts talking over them (and the input buffer is theirs).
  if (s.listeningId || s.stoppingId) return;
  const t = ctx.turn(next.view.id);
  if (!t) return;
  if (t.inputSentInSession !== s.sessionEpoch) {
    if (t.view.input === 'voice') {
      ctx.emit({ kind: 'sendAudio', turnId: t.view.id, fromStart: true });
      commit(ctx, t);
    } else {
      ctx.send(wire.userText(t.view.userText ?? ''), t.view.id);
      t.inputSentInSession = s.sessionEpoch;
    }
  }
  t.wantsResponse = false;
  t.view.phase = 'waiting';
  t.view.attempts += 1;
  const instructions = wire.responseInstructions(
    t.view.instructions,
    t.view.instructionsMode,
    s.serverInstructions,
  );
  ctx.send(
    wire.responseCreate(t.view.replyAs, instructions, `create-${t.view.id}-${t.view.attempts}`),
    t.view.id,
  );
  s.awaitingCreatedId = t.view.id;
  ctx.timer('created', s.config.stallTimeoutMs);
}
