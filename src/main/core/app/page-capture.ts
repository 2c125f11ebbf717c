/**
 * Browser mode's screen capture for a global key: only the page can capture (getDisplayMedia), so main asks it
 * (`capture.request`) and waits for its answer (`screen.frame`). The first answer to a request wins; a page that
 * never answers (none open, or the share prompt left unanswered) ends the wait with a sentence saying so.
 */
import { randomBytes } from 'node:crypto';
import type { Emit } from '../../../shared/contract';

/** How long the page may take (the browser may ask the user which screen to share). */
export const PAGE_CAPTURE_TIMEOUT_MS = 60_000;

export interface PageCapture {
  /** One frame of the screen as the page captured it, or null when the user declined to share. */
  grab(): Promise<Buffer | null>;
  /** The page's answer: bytes (base64), or why there are none. False when no such request is waiting. */
  answer(requestId: string, frame: { data?: string | undefined; error?: string | undefined }): boolean;
  /** Ends every wait (shutting down). */
  dispose(): void;
}

export function createPageCapture(emit: Emit, timeoutMs = PAGE_CAPTURE_TIMEOUT_MS): PageCapture {
  const waiting = new Map<
    string,
    { resolve: (bytes: Buffer | null) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  return {
    grab() {
      const requestId = `cap_${randomBytes(6).toString('hex')}`;
      const frame = new Promise<Buffer | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(requestId);
          reject(new Error('no Talkie page answered (open Talkie in the browser, then try again)'));
        }, timeoutMs);
        timer.unref();
        waiting.set(requestId, { resolve, reject, timer });
      });
      emit('capture.request', { requestId });
      return frame;
    },
    answer(requestId, { data, error }) {
      const wait = waiting.get(requestId);
      if (!wait) return false;
      waiting.delete(requestId);
      clearTimeout(wait.timer);
      if (data) wait.resolve(Buffer.from(data, 'base64'));
      else if (error) wait.reject(new Error(error));
      else wait.resolve(null);
      return true;
    },
    dispose() {
      for (const [id, wait] of waiting) {
        clearTimeout(wait.timer);
        wait.reject(new Error('Talkie is shutting down'));
        waiting.delete(id);
      }
    },
  };
}
