/**
 * Where images are fitted: in a worker thread when the built worker is there (the app, browser mode), so a large
 * photo never stalls main's audio and socket; in this thread otherwise (tests run the sources, where no built worker
 * exists), and also when the worker cannot start. Either way the result and the refusals are the same.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fitImage, ImageError, type FittedImage } from './fit';

export interface FitRequest {
  id: number;
  bytes: Uint8Array;
  maxSide: number;
}

export type FitReply =
  ({ id: number; ok: true } & FittedImage) | { id: number; ok: false; message: string; userFacing: boolean };

export interface ImageFitter {
  fit(bytes: Uint8Array, maxSide: number): Promise<FittedImage>;
  /** Stops the worker (pending fits are refused). */
  dispose(): Promise<void>;
}

/** Fits in this thread. */
export const inlineFitter: ImageFitter = {
  fit: async (bytes, maxSide) => fitImage(bytes, { maxSide }),
  dispose: async () => undefined,
};

/** A fitter using the worker script at `workerFile` when it exists, inline otherwise. */
export function createImageFitter(workerFile: string | null): ImageFitter {
  if (!workerFile || !existsSync(workerFile)) return inlineFitter;
  let worker: Worker | null = null;
  /** The worker could not run at all (e.g. it cannot be loaded here): fit in this thread from now on. */
  let broken = false;
  let answered = false;
  let nextId = 1;
  interface Pending {
    bytes: Uint8Array;
    maxSide: number;
    resolve(f: FittedImage): void;
    reject(e: Error): void;
  }
  const pending = new Map<number, Pending>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = new Worker(workerFile);
    // An idle worker must not keep the process alive (browser mode exits on SIGTERM).
    w.unref();
    w.on('message', (reply: FitReply) => {
      answered = true;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) {
        const { id: _id, ok: _ok, bytes, ...rest } = reply;
        p.resolve({ ...rest, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
      } else p.reject(reply.userFacing ? new ImageError(reply.message) : new Error(reply.message));
    });
    w.on('error', (error) => {
      worker = null;
      if (answered) {
        failAll(error);
        return;
      }
      // It never worked: what it was given is fitted here instead, and so is everything after.
      broken = true;
      const waiting = [...pending.values()];
      pending.clear();
      for (const p of waiting) inlineFitter.fit(p.bytes, p.maxSide).then(p.resolve, p.reject);
    });
    w.on('exit', () => {
      worker = null;
      failAll(new Error('The image worker stopped.'));
    });
    return w;
  };

  return {
    fit(bytes, maxSide) {
      if (broken) return inlineFitter.fit(bytes, maxSide);
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<FittedImage>((resolve, reject) => {
        pending.set(id, { bytes, maxSide, resolve, reject });
        w.postMessage({ id, bytes, maxSide } satisfies FitRequest);
      });
    },
    async dispose() {
      const w = worker;
      worker = null;
      failAll(new Error('Talkie is closing.'));
      await w?.terminate();
    },
  };
}
