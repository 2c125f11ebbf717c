/**
 * The rules for a list of notices, shared by main (what a reloaded window gets) and the window (what it shows):
 * one notice per topic (a newer one replaces it, and clearing the topic removes it, so nothing stale stays),
 * and the same words are never listed twice.
 */
import type { Notice } from './types';

/** Adds a notice: it replaces one of the same topic, or with the same level and words; the newest `max` are kept. */
export function upsertNotice(list: readonly Notice[], notice: Notice, max: number): Notice[] {
  const kept = list.filter(
    (n) =>
      !(notice.topic !== undefined && n.topic === notice.topic) &&
      !(n.level === notice.level && n.text === notice.text),
  );
  return [...kept, notice].slice(-max);
}

/** Removes the notice of a topic (what it said no longer holds). */
export function clearNoticeTopic(list: readonly Notice[], topic: string): Notice[] {
  return list.filter((n) => n.topic !== topic);
}
