/**
 * One active response at a time (row 2): the next queued turn gets its response request only when the
 * server's response slot is idle, and then under the `created` watchdog (row 3). The turn's input goes
 * first when it is not yet in this session's conversation. Instructions follow row 1 (never "", appended
 * to the session's unless the user chose replace); a Retry answers the turn's own message (row 17).
 */
import type { InstructionsMode } from '../../../shared/types';
import { commit } from './capture';
import type { Step } from './step';

/**
 * The per-response instructions (row 1): undefined (field omitted) when the turn has none; appended to the
 * session's last-seen instructions in 'append' mode; alone in 'replace' mode. Never "".
 */
export function responseInstructions(
  turnInstructions: string | undefined,
  mode: InstructionsMode | undefined,
  sessionInstructions: string | null,
): string | undefined {
  const own = turnInstructions?.trim() ?? '';
  if (!own) return undefined;
  if (mode === 'replace') return own;
  const base = sessionInstructions?.trim() ?? '';
  return base ? `${base}\n\n${own}` : own;
}

/** The user item id of a typed message in a session: ours, so Retry can reference it (row 17). */
export const textItemId = (turnId: string, epoch: number): string => `${turnId}_u${epoch}`;

/** Sends the next queued turn when nothing is active (rows 2 and 3). Runs after every input. */
export function dispatch(ctx: Step): void {
  const s = ctx.s;
  if (!s.connected || !s.sessionReady || s.response.phase !== 'idle') return;
  const next = s.turns.find((t) => t.wantsResponse);
  if (!next) return;
  // Retry throttling (row 6, retry.ts) sets notBefore.
  if (ctx.now < s.notBefore) {
    ctx.timer('backoff', s.notBefore - ctx.now);
    return;
  }
  // While the user holds the key nothing new starts talking over them (and the input buffer is theirs).
  if (s.mic.phase !== 'idle') return;
  const t = ctx.turn(next.view.id);
  if (!t) return;
  let upToItemId: string | undefined;
  if (t.inputSentInSession !== s.sessionEpoch) {
    // Sent now, so it is the newest item: the default conversation ends with it.
    if (t.view.input === 'voice') {
      ctx.emit({ kind: 'appendAudio', turnId: t.view.id, fromStart: true });
      commit(ctx, t);
    } else {
      const itemId = textItemId(t.view.id, s.sessionEpoch);
      ctx.emit({
        kind: 'createMessage',
        turnId: t.view.id,
        itemId,
        role: 'user',
        text: t.view.userText ?? '',
        ...(t.view.images?.length ? { images: t.view.images } : {}),
      });
      t.inputSentInSession = s.sessionEpoch;
      t.userItemId = itemId;
    }
  } else if (t.ownContext && t.userItemId) {
    upToItemId = t.userItemId;
  }
  t.wantsResponse = false;
  t.view.phase = 'waiting';
  // A turn's timings count from when its first request goes out: time spent queued behind another reply or
  // waiting for the connection is not the server's slowness (issue 19: "first reply after 17 s").
  if (t.view.attempts === 0 && !t.followUp) t.requestedAt = ctx.now;
  // A step after tool outputs continues the same attempt.
  if (!t.followUp) t.view.attempts += 1;
  t.followUp = false;
  t.requests += 1;
  const instructions = responseInstructions(
    t.view.instructions,
    t.view.instructionsMode,
    s.serverInstructions,
  );
  if (t.view.replyAs === 'voice') ctx.emit({ kind: 'warmSpeaker' });
  ctx.emit({
    kind: 'requestResponse',
    turnId: t.view.id,
    eventId: `create-${t.view.id}-${t.requests}`,
    replyAs: t.view.replyAs,
    ...(instructions ? { instructions } : {}),
    ...(upToItemId ? { upToItemId } : {}),
  });
  s.response = { phase: 'requested', turnId: t.view.id };
  ctx.timer('created', s.config.stallTimeoutMs);
}
