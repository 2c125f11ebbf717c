/**
 * Browser mode's wire protocol, spoken by src/main/web/server.ts and the renderer's WebSocket bridge.
 * JSON text frames over one WebSocket at `WEB_API_PATH`; the page's random token travels as the
 * `WEB_TOKEN_PARAM` query parameter of the upgrade request (there is no hello message: a socket that
 * opens is authorised). The contract's commands and events go over it unchanged.
 */
import type { Envelope, EventName } from './contract';

/** The WebSocket endpoint on the browser-mode server. */
export const WEB_API_PATH = '/api';

/** The query parameter carrying the token, in the page URL and in the WebSocket URL. */
export const WEB_TOKEN_PARAM = 'token';

/** Browser → server: run a contract command. `id` pairs the request with its response. */
export interface WebRequest {
  id: number;
  command: string;
  payload: unknown;
}

/** Server → browser: a command's outcome. `id` is null when the request could not be read at all. */
export interface WebResponse {
  id: number | null;
  result: Envelope<unknown>;
}

/** Server → browser: a contract event, sent to every connected page. */
export interface WebEvent {
  event: EventName;
  payload: unknown;
}

/** Everything the browser sends. */
export type WebClientMessage = WebRequest;

/** Everything the server sends. */
export type WebServerMessage = WebResponse | WebEvent;
