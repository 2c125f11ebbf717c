/** A small ws test client for the simulator tests: collects server events and waits for the ones asked for. */
import WebSocket from 'ws';
import { expect } from 'vitest';
import { validateServerEvent, type EmittedEvent } from '../../../../src/main/core/simulator';

/** A server event as received. */
export type Ev = { type: string; [key: string]: unknown };

export class TestClient {
  readonly events: Ev[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as Ev);
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const w of this.waiters) w();
      });
    });
  }

  /** Connects; resolves once open. Rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () =>
          reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })),
        );
      });
      ws.once('error', reject);
    });
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  /** The first event (from index `from`) matching `match`, waiting up to `timeoutMs`. */
  waitFor(match: string | ((e: Ev) => boolean), from = 0, timeoutMs = 10000): Promise<Ev> {
    const pred = typeof match === 'string' ? (e: Ev) => e.type === match : match;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find(pred);
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          cleanup();
          reject(new Error(`socket closed before ${String(match)}; got ${this.types().join(', ')}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${String(match)}; got ${this.types().join(', ')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      const waiter = (): void => void check();
      if (!check()) this.waiters.push(waiter);
    });
  }

  /** Types of the events received so far (from index `from`). */
  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.terminate();
  }
}

/** PCM16 24 kHz silence-ish audio (a quiet ramp) of `ms`, base64. */
export function pcmBase64(ms: number): string {
  const samples = Math.round((ms * 24000) / 1000);
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) buf.writeInt16LE((i % 200) - 100, i * 2);
  return buf.toString('base64');
}

/** Asserts every event the simulator sent passes the strict GA schema check. */
export function expectAllValid(emitted: EmittedEvent[]): void {
  expect(emitted.length).toBeGreaterThan(0);
  for (const { event } of emitted) {
    const copy = structuredClone(event) as {
      response?: { status_details?: { error?: { message?: unknown } } };
    };
    // The real service adds `message` to a failed response's error; the spec's schema does not list it.
    if (copy.response?.status_details?.error) delete copy.response.status_details.error.message;
    const result = validateServerEvent(copy, { strict: true });
    expect(result.ok ? result : { ...result, event }).toEqual({ ok: true });
  }
}
