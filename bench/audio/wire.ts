/**
 * A local stand-in for the Realtime socket: a ws server on 127.0.0.1 that timestamps every
 * input_audio_buffer.append/commit it receives and can push response.output_audio.delta events, plus the client
 * side wired the way the turn runner uses the AudioEngine (frames -> appends, deltas -> playback.write).
 */
import { WebSocket, WebSocketServer } from 'ws';

export interface ReceivedAppend {
  at: number;
  /** Index of the frame's first sample in everything received. */
  start: number;
  samples: Int16Array;
}

/** Server side: records appends with receive times. */
export class WireServer {
  readonly appends: ReceivedAppend[] = [];
  readonly commits: number[] = [];
  private received = 0;
  private server: WebSocketServer;
  private socket: WebSocket | null = null;
  private connected: Promise<void>;

  constructor() {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.connected = new Promise((resolve) => {
      this.server.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data: Buffer) => {
          const at = performance.now();
          const msg = JSON.parse(data.toString()) as { type: string; audio?: string };
          if (msg.type === 'input_audio_buffer.append' && msg.audio) {
            const bytes = Buffer.from(msg.audio, 'base64');
            const samples = new Int16Array(bytes.length / 2);
            for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
            this.appends.push({ at, start: this.received, samples });
            this.received += samples.length;
          } else if (msg.type === 'input_audio_buffer.commit') {
            this.commits.push(at);
          }
        });
        resolve();
      });
    });
  }

  async url(): Promise<string> {
    await new Promise<void>((resolve) =>
      this.server.address() ? resolve() : this.server.once('listening', resolve),
    );
    const addr = this.server.address();
    if (typeof addr !== 'object' || !addr) throw new Error('no address');
    return `ws://127.0.0.1:${addr.port}`;
  }

  async waitClient(): Promise<void> {
    await this.connected;
  }

  /** Sends one output-audio delta; returns the send time. */
  sendDelta(pcm: Buffer): number {
    const at = performance.now();
    this.socket?.send(
      JSON.stringify({
        type: 'response.output_audio.delta',
        response_id: 'r',
        item_id: 'i',
        output_index: 0,
        content_index: 0,
        delta: pcm.toString('base64'),
      }),
    );
    return at;
  }

  sendDone(): void {
    this.socket?.send(JSON.stringify({ type: 'response.output_audio.done' }));
  }

  /** All received audio concatenated. */
  allSamples(): Int16Array {
    const out = new Int16Array(this.received);
    for (const a of this.appends) out.set(a.samples, a.start);
    return out;
  }

  /** Wall time at which received sample `index` was on the wire: its append's receive time. */
  arrivalOf(index: number): { at: number; offsetInFrame: number; frameLength: number } | null {
    for (const a of this.appends) {
      if (index >= a.start && index < a.start + a.samples.length) {
        return { at: a.at, offsetInFrame: index - a.start, frameLength: a.samples.length };
      }
    }
    return null;
  }

  reset(): void {
    this.appends.length = 0;
    this.commits.length = 0;
    this.received = 0;
  }

  async close(): Promise<void> {
    this.socket?.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Client side: a socket to the server. */
export async function connectClient(
  url: string,
  onMessage: (msg: { type: string; delta?: string }) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on('message', (data: Buffer) =>
    onMessage(JSON.parse(data.toString()) as { type: string; delta?: string }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}
