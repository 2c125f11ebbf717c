/**
 * Browser mode's transport: the contract over a WebSocket to the server that served this page.
 * Requests made while the socket is (re)connecting wait for it; the token comes from the page URL.
 * A dropped socket is reopened by itself with a growing pause (250 ms doubling to 5 s), and `onStatus`
 * hears when the page loses main and when it has it again, so the window can say so and reload its state.
 */
import { COMMAND_NAMES } from '../../../shared/channels';
import type { Envelope, EventName, RawApi } from '../../../shared/contract';
import {
  WEB_API_PATH,
  WEB_TOKEN_PARAM,
  type WebClientMessage,
  type WebEvent,
  type WebResponse,
} from '../../../shared/web-protocol';

/** `connecting`: never reached yet; `open`: reachable; `lost`: was reachable, now retrying. */
export type TransportStatus = 'connecting' | 'open' | 'lost';

type Pending = { resolve: (envelope: Envelope<unknown>) => void };
type Listener = (payload: unknown) => void;

/** Opens the socket and returns an Envelope-level API shaped exactly like the preload's. */
export function connectWebSocketApi(
  location: { host: string; search: string },
  onStatus?: (status: TransportStatus) => void,
): RawApi {
  const token = new URLSearchParams(location.search).get(WEB_TOKEN_PARAM) ?? '';
  const url = `ws://${location.host}${WEB_API_PATH}?${WEB_TOKEN_PARAM}=${encodeURIComponent(token)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<Listener>>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let retryMs = 250;
  let opened = false;
  /** True while this socket is open (`opened` stays true once it ever was). */
  let live = false;

  const open = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      live = true;
      retryMs = 250;
      onStatus?.('open');
      for (const message of outbox.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      // Either a WebResponse or a WebEvent, unchecked: fields are tested before use.
      let message: Partial<WebResponse> & Partial<WebEvent>;
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        return;
      }
      if (message.event) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      } else if (typeof message.id === 'number' && message.result) {
        pending.get(message.id)?.resolve(message.result);
        pending.delete(message.id);
      }
    };
    ws.onclose = () => {
      // Requests in flight on a dead socket get an answer rather than hanging forever, and queued
      // ones are dropped: a press or a message must not fire minutes later when the socket returns.
      if (live) {
        live = false;
        onStatus?.('lost');
      }
      const message = opened
        ? 'Lost connection to Talkie.'
        : "Can't reach Talkie at this address: is browser mode still running, and does the page URL include its token?";
      outbox.length = 0;
      for (const [id, request] of pending) {
        request.resolve({ ok: false, error: { code: 'unavailable', message } });
        pending.delete(id);
      }
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  open();

  const invoke = (command: string, payload: unknown): Promise<Envelope<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve });
      const request: WebClientMessage = { id, command, payload };
      const message = JSON.stringify(request);
      if (socket?.readyState === WebSocket.OPEN) socket.send(message);
      else outbox.push(message);
    });

  const api: Record<string, unknown> = {};
  for (const name of COMMAND_NAMES) api[name] = (payload: unknown) => invoke(name, payload);
  api.on = (event: EventName, listener: Listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return api as RawApi;
}
