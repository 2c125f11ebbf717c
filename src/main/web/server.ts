/**
 * Browser mode's transport: serves the built renderer and the IPC contract over a WebSocket, on
 * 127.0.0.1 only. Same dispatcher as Electron IPC, so the handlers are the very same code.
 *
 * Who may talk to it: the WebSocket needs the random token from the printed page URL, an Origin equal
 * to this server's own origin (so other sites open in the same browser cannot drive it) and a Host
 * header naming loopback (so DNS rebinding cannot either).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../shared/contract';
import {
  WEB_API_PATH,
  WEB_TOKEN_PARAM,
  type WebClientMessage,
  type WebServerMessage,
} from '../../shared/web-protocol';
import type { Dispatch } from '../ipc/dispatch';

/** Where events come from: the app's emitter. Returns the unsubscribe function. */
export type EventSource = (listener: (name: EventName, payload: unknown) => void) => () => void;

export interface WebServerOptions {
  dispatch: Dispatch;
  events: EventSource;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** The page token (browser mode keeps one per data folder); random when not given. */
  token?: string;
  /** Largest accepted WebSocket message. */
  maxPayloadBytes?: number;
}

export interface WebServer {
  /** The page to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Largest WebSocket message by default: an attached image of up to 20 MB arrives as base64 in one command
 * (about 26.7 MB), with room for the JSON around it.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 28 * 1024 * 1024;

/** The CSP for browser mode: the Electron window's policy plus a WebSocket back to this server. */
export function browserModeCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://${HOST}:${port}`,
    "img-src 'self' data: blob:",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const sameToken = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Starts browser mode's HTTP + WebSocket server on 127.0.0.1. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  let port = 0;

  const loopbackHost = (host: string | undefined): boolean =>
    host === `${HOST}:${port}` || host === `localhost:${port}`;

  const server: Server = createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!loopbackHost(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', `http://${HOST}`).pathname);
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = normalize(join(rendererDir, relative));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      res.writeHead(404).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'content-security-policy': browserModeCsp(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WEB_API_PATH) return refuse(404, 'Not Found');
    if (!loopbackHost(req.headers.host)) return refuse(421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (origin !== `http://${HOST}:${port}` && origin !== `http://localhost:${port}`) {
      return refuse(403, 'Forbidden');
    }
    if (!sameToken(url.searchParams.get(WEB_TOKEN_PARAM) ?? '', token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  const send = (ws: WebSocket, message: WebServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      void handleMessage(ws, isBinary ? null : data.toString());
    });
  });

  async function handleMessage(ws: WebSocket, text: string | null): Promise<void> {
    let message: Partial<WebClientMessage>;
    try {
      message = text === null ? {} : (JSON.parse(text) as Partial<WebClientMessage>);
    } catch {
      message = {};
    }
    const id = typeof message.id === 'number' ? message.id : null;
    if (id === null || typeof message.command !== 'string') {
      send(ws, {
        id,
        result: {
          ok: false,
          error: { code: 'invalid-request', message: 'Expected {id, command, payload} as JSON' },
        },
      });
      return;
    }
    send(ws, { id, result: await options.dispatch(message.command, message.payload) });
  }

  const unsubscribe = options.events((name, payload) => {
    for (const ws of clients) send(ws, { event: name, payload });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?${WEB_TOKEN_PARAM}=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
