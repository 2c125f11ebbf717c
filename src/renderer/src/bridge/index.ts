/**
 * The renderer's only way to main. In Electron it wraps `window.api` (the preload); in browser mode it
 * speaks the same contract over a WebSocket to 127.0.0.1. Components see one `Bridge` either way.
 */
import type { Bridge } from '../../../shared/contract';
import { createTransportState, type TransportState } from './transport';
import { unwrap } from './unwrap';
import { connectWebSocketApi } from './websocket';

export { BridgeError } from './unwrap';
export type { TransportStatus } from './transport';

let instance: Bridge | undefined;
let transport: TransportState | undefined;

/** Whether main can be reached (always, in Electron). */
export function getTransport(): TransportState {
  transport ??= createTransportState(window.api ? 'open' : 'connecting');
  return transport;
}

/** The app-wide bridge: Electron's preload when present, the browser-mode socket otherwise. */
export function getBridge(): Bridge {
  if (!instance) {
    const state = getTransport();
    instance = unwrap(window.api ?? connectWebSocketApi(window.location, (status) => state.set(status)));
  }
  return instance;
}
