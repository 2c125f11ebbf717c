/**
 * The rules for a list of notices, shared by main (what a reloaded window gets) and the window (what it shows):
 * one notice per topic (a newer one replaces it, and clearing the topic removes it, so nothing stale stays),
 * and the same words are never listed twice.
 */
import type { Notice } from './types';

/** What the rules look at; generic so the window's own notices (with its own buttons) follow them too. */
type NoticeKey = Pick<Notice, 'level' | 'text' | 'topic'>;

/** Adds a notice: it replaces one of the same topic, or with the same level and words; the newest `max` are kept. */
export function upsertNotice<N extends NoticeKey>(list: readonly N[], notice: N, max: number): N[] {
  const kept = list.filter(
    (n) =>
      !(notice.topic !== undefined && n.topic === notice.topic) &&
      !(n.level === notice.level && n.text === notice.text),
  );
  return [...kept, notice].slice(-max);
}

/** Removes the notice of a topic (what it said no longer holds). */
export function clearNoticeTopic<N extends NoticeKey>(list: readonly N[], topic: string): N[] {
  return list.filter((n) => n.topic !== topic);
}
