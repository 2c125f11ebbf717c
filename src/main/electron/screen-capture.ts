/**
 * "Capture screen" in the desktop app: the screens and windows desktopCapturer offers, never Talkie's own window,
 * and one frame of the one the user picked, grabbed as a full-size thumbnail (no stream is opened, so nothing keeps
 * recording). The frame goes through the same fitting as any attached image; the user sees it before sending.
 */
import { desktopCapturer, screen, type BrowserWindow } from 'electron';
import type { ScreenSource } from '../../shared/types';

/** Preview size in the picker. */
const PREVIEW = { width: 320, height: 200 };

/** Thrown with a message for the user. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
}

export interface ScreenCapture {
  /** Screens and windows the user may pick, without Talkie's window. */
  sources(): Promise<ScreenSource[]>;
  /** One frame of a source, as PNG bytes. */
  capture(sourceId: string): Promise<Buffer>;
  /**
   * One frame of the primary screen, as PNG bytes: the Capture screen key and push-to-talk with the capture
   * modifier, pressed while another app has focus, so there is no picker to answer.
   */
  capturePrimary(): Promise<Buffer>;
}

/** The largest display at its pixel density: a full screen comes back at its real resolution. */
function fullSize(): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const display of screen.getAllDisplays()) {
    width = Math.max(width, Math.round(display.size.width * display.scaleFactor));
    height = Math.max(height, Math.round(display.size.height * display.scaleFactor));
  }
  return { width: width || 1920, height: height || 1080 };
}

/** The frame as PNG, or why there is none. */
function framePng(thumbnail: Electron.NativeImage): Buffer {
  if (thumbnail.isEmpty())
    throw new CaptureError(
      'The capture came back empty. On macOS, allow Talkie under Privacy & Security › Screen Recording.',
    );
  return thumbnail.toPNG();
}

/** The capture glue for one app; `ownWindow` is the window to leave out (Talkie's). */
export function createScreenCapture(ownWindow: () => BrowserWindow | null): ScreenCapture {
  const ownId = (): string | null => {
    const win = ownWindow();
    return win && !win.isDestroyed() ? win.getMediaSourceId() : null;
  };
  return {
    async sources() {
      const own = ownId();
      const list = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: PREVIEW });
      return list
        .filter((s) => s.id !== own)
        .map((s) => ({
          id: s.id,
          name: s.name,
          kind: s.id.startsWith('screen:') ? 'screen' : 'window',
          thumbnail: s.thumbnail.toDataURL(),
        }));
    },
    async capture(sourceId) {
      if (sourceId === ownId()) throw new CaptureError('Talkie does not capture its own window.');
      const list = await desktopCapturer.getSources({
        types: [sourceId.startsWith('screen:') ? 'screen' : 'window'],
        thumbnailSize: fullSize(),
      });
      const source = list.find((s) => s.id === sourceId);
      if (!source) throw new CaptureError('That screen or window is no longer there. Pick another one.');
      return framePng(source.thumbnail);
    },
    async capturePrimary() {
      const primary = String(screen.getPrimaryDisplay().id);
      const list = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: fullSize() });
      const source = list.find((s) => s.display_id === primary) ?? list[0];
      if (!source) throw new CaptureError('No screen was found to capture.');
      return framePng(source.thumbnail);
    },
  };
}
