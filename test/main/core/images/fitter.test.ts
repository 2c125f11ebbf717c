/**
 * Where images are fitted: the worker thread when its built script is there, this thread otherwise, and this
 * thread again when the worker cannot run here. The picture and the refusals are the same whichever did it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImageFitter, inlineFitter } from '../../../../src/main/core/images/fitter';
import { ImageError } from '../../../../src/main/core/images/fit';
import { solidPng } from '../../../helpers/images';

const dir = mkdtempSync(join(tmpdir(), 'talkie-fitter-'));

describe('the image fitter', () => {
  it('fits in this thread when there is no built worker', async () => {
    expect(createImageFitter(join(dir, 'missing.js'))).toBe(inlineFitter);
    const fitted = await inlineFitter.fit(solidPng(3000, 1500, [0, 0, 0, 255]), 1000);
    expect([fitted.width, fitted.height]).toEqual([1000, 500]);
    await expect(inlineFitter.fit(Buffer.from('nope'), 1000)).rejects.toBeInstanceOf(ImageError);
  });

  it('answers through a worker: the fitted bytes, or the refusal as an ImageError with its words', async () => {
    // A stand-in worker speaking the same messages (the real one is built into out/main/image-worker.js).
    const file = join(dir, 'echo-worker.js');
    writeFileSync(
      file,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (r) => parentPort.postMessage(r.maxSide > 0
         ? { id: r.id, ok: true, bytes: r.bytes, mime: 'image/png', width: r.maxSide, height: 1 }
         : { id: r.id, ok: false, message: 'That image is empty.', userFacing: true }));`,
    );
    const fitter = createImageFitter(file);
    const fitted = await fitter.fit(Buffer.from('abc'), 7);
    expect(fitted).toMatchObject({ mime: 'image/png', width: 7, height: 1 });
    expect(Buffer.isBuffer(fitted.bytes) && fitted.bytes.toString()).toBe('abc');
    await expect(fitter.fit(Buffer.from('abc'), 0)).rejects.toThrow(new ImageError('That image is empty.'));
    await fitter.dispose();
  });

  it('fits in this thread when the worker cannot run', async () => {
    const file = join(dir, 'broken-worker.js');
    writeFileSync(file, `throw new Error('cannot load here');`);
    const fitter = createImageFitter(file);
    const fitted = await fitter.fit(solidPng(64, 32, [255, 0, 0, 255]), 1536);
    expect([fitted.mime, fitted.width, fitted.height]).toEqual(['image/png', 64, 32]);
    await fitter.dispose();
  });
});
