/**
 * Fits images off the main thread: decoding a 12-megapixel JPEG in JavaScript takes seconds, and main also runs the
 * audio, the socket and the window's commands. One request at a time, answered with the fitted bytes or the
 * refusal's words. Built as its own entry (out/main/image-worker.js).
 */
import { parentPort } from 'node:worker_threads';
import { fitImage, ImageError } from './fit';
import type { FitReply, FitRequest } from './fitter';

parentPort?.on('message', (request: FitRequest) => {
  let reply: FitReply;
  try {
    const fitted = fitImage(request.bytes, { maxSide: request.maxSide });
    reply = { id: request.id, ok: true, ...fitted };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      userFacing: error instanceof ImageError,
    };
  }
  parentPort?.postMessage(reply);
});
