/**
 * Getting image bytes out of the page: files (picker, drop, paste) as base64 for `image.attach`, formats main does
 * not read (WebP, GIF, AVIF…) redrawn as PNG first, and one frame of a screen share (browser mode's "Capture
 * screen"). Main fits and checks everything again; the size check here only spares sending 30 MB to be refused.
 */
import { MAX_IMAGE_INPUT_BYTES } from '../../../shared/contract';

/** Formats main decodes itself. */
const NATIVE = new Set(['image/png', 'image/jpeg']);

/** The error text for a file over the limit (main says the same). */
export function tooBig(bytes: number): string | null {
  if (bytes <= MAX_IMAGE_INPUT_BYTES) return null;
  return `That image is ${(bytes / 1024 / 1024).toFixed(1)} MB; Talkie takes images up to ${
    MAX_IMAGE_INPUT_BYTES / 1024 / 1024
  } MB.`;
}

/** base64 of a blob (no data: prefix). */
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(blob);
  });
}

/** A PNG or JPEG blob main can read: other image formats the browser can draw are redrawn as PNG. */
export async function readableImage(blob: Blob): Promise<Blob> {
  if (NATIVE.has(blob.type) || !blob.type.startsWith('image/')) return blob;
  try {
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    return await canvas.convertToBlob({ type: 'image/png' });
  } catch {
    return blob; // main says what it is and why it cannot be attached
  }
}

/** The image files among a paste's or a drop's items. */
export function imageFiles(list: DataTransfer | null): File[] {
  if (!list) return [];
  const out: File[] = [];
  for (const file of Array.from(list.files)) if (file.type.startsWith('image/')) out.push(file);
  if (out.length === 0) {
    for (const item of Array.from(list.items)) {
      if (item.kind !== 'file' || !item.type.startsWith('image/')) continue;
      const file = item.getAsFile();
      if (file) out.push(file);
    }
  }
  return out;
}

/**
 * Browser mode's screen capture: the browser asks which screen, window or tab to share; one frame is drawn and the
 * share is stopped at once (nothing keeps recording). Resolves null when the user declined.
 */
export async function grabScreenFrame(): Promise<Blob | null> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (e) {
    if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'AbortError')) return null;
    throw e;
  }
  try {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    if (video.videoWidth === 0)
      await new Promise<void>((resolve) => video.addEventListener('resize', () => resolve(), { once: true }));
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    video.srcObject = null;
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    for (const track of stream.getTracks()) track.stop();
  }
}
