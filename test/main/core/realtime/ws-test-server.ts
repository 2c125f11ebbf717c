/**
 * A tiny real WebSocket server on 127.0.0.1 for connection tests: records upgrade headers and
 * messages, can refuse the upgrade with an HTTP status, and closes everything on demand.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestServer {
  port: number;
  url: string;
  /** Upgrade requests seen (including refused ones). */
  upgrades: IncomingMessage[];
  /** Accepted sockets, in order. */
  sockets: WebSocket[];
  /** Text messages received, parsed. */
  received: unknown[];
  /** Refuse upgrades with this HTTP status (null = accept). */
  refuseWith: number | null;
  /** Called for each accepted socket. */
  onConnection: ((ws: WebSocket) => void) | null;
  nextSocket(): Promise<WebSocket>;
  close(): Promise<void>;
}

export async function startTestServer(port = 0): Promise<TestServer> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const rawSockets = new Set<Socket>();
  const waiters: Array<(ws: WebSocket) => void> = [];
  const server: TestServer = {
    port: 0,
    url: '',
    upgrades: [],
    sockets: [],
    received: [],
    refuseWith: null,
    onConnection: null,
    nextSocket: () =>
      new Promise((resolve) => {
        waiters.push(resolve);
      }),
    close: async () => {
      for (const ws of server.sockets) ws.terminate();
      for (const s of rawSockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  http.on('connection', (socket: Socket) => {
    rawSockets.add(socket);
    socket.on('close', () => rawSockets.delete(socket));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    server.upgrades.push(req);
    if (server.refuseWith !== null) {
      socket.end(`HTTP/1.1 ${server.refuseWith} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      server.sockets.push(ws);
      ws.on('message', (data, isBinary) => {
        if (!isBinary) server.received.push(JSON.parse(String(data)) as unknown);
      });
      server.onConnection?.(ws);
      waiters.shift()?.(ws);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  server.port = (http.address() as AddressInfo).port;
  server.url = `ws://127.0.0.1:${server.port}/v1/realtime?model=test-model`;
  return server;
}

/** A port that nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const { port } = http.address() as AddressInfo;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return port;
}
