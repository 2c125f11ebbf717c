/**
 * Which notices the user dismissed, as keys that outlive a reload: the notice's id (main keeps ids in the list
 * a reloaded window gets) and, for a notice with a topic, its topic and words (the same warning raised again
 * after a restart has a new id but is no news). Clearing a topic forgets its dismissals: should it come to hold
 * again, it is news again. Pure, so the rules are unit-tested.
 */
import type { Notice } from '../../../shared/types';

const topicKey = (topic: string, text: string): string => `topic:${topic}\n${text}`;

/** The keys a dismissal of this notice is remembered by. */
export function dismissalKeys(notice: Pick<Notice, 'id' | 'topic' | 'text'>): string[] {
  const keys = [`id:${notice.id}`];
  if (notice.topic !== undefined) keys.push(topicKey(notice.topic, notice.text));
  return keys;
}

/** True when the user dismissed this notice (or the same words on the same topic). */
export function isDismissed(
  dismissed: readonly string[],
  notice: Pick<Notice, 'id' | 'topic' | 'text'>,
): boolean {
  return dismissalKeys(notice).some((key) => dismissed.includes(key));
}

/** Drops the topic's dismissals; the same array when there were none. */
export function forgetTopic(dismissed: readonly string[], topic: string): readonly string[] {
  const prefix = `topic:${topic}\n`;
  return dismissed.some((key) => key.startsWith(prefix))
    ? dismissed.filter((key) => !key.startsWith(prefix))
    : dismissed;
}

/** Reads the remembered keys from storage text; anything unreadable is an empty list. */
export function parseDismissals(text: string | null): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
