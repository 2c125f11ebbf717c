/**
 * The renderer's only way to main. In Electron it wraps `window.api` (the preload); in browser mode it
 * speaks the same contract over a WebSocket to 127.0.0.1. Components see one `Bridge` either way.
 */
import type { Bridge } from '../../../shared/contract';
import { unwrap } from './unwrap';
import { connectWebSocketApi } from './websocket';

export { BridgeError } from './unwrap';

let instance: Bridge | undefined;

/** The app-wide bridge: Electron's preload when present, the browser-mode socket otherwise. */
export function getBridge(): Bridge {
  instance ??= unwrap(window.api ?? connectWebSocketApi(window.location));
  return instance;
}
