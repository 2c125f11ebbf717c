/**
 * Core ↔ simulator over real sockets: the Assistant with the real `ws` connection and the FakeAudioEngine,
 * talking to the real GA simulator on 127.0.0.1 (port 0). Helpers wait for what the user would see.
 */
import { testConversations } from '../helpers/conversations';
import { expect } from 'vitest';
import { Assistant, type AssistantDeps } from '../../src/main/core/app/assistant';
import { FakeAudioEngine } from '../../src/main/core/audio/fake-engine';
import { EventLog } from '../../src/main/core/eventlog/event-log';
import { createConnection } from '../../src/main/core/realtime/connection';
import type { RealtimeConnection } from '../../src/main/core/realtime/connection-types';
import {
  startSimulator,
  validateClientEvent,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../src/main/core/simulator';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import type { ConnectionView, Notice, TurnView } from '../../src/shared/types';

/** A mic signal: a 440 Hz tone, so levels and audio are non-trivial. */
export function tone(ms: number): Buffer {
  const n = Math.round((ms * 24000) / 1000);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24000)), i * 2);
  return out;
}

export interface RigOptions {
  sim?: SimulatorOptions;
  settings?: Partial<Settings>;
  /** First reconnect delay (ms). Default 50. */
  reconnectMs?: number;
  /** Query appended to the simulator URL, e.g. `fault=stall`. */
  query?: string;
  /** Extra upgrade headers (e.g. a proxy forcing `OpenAI-Beta`). */
  headers?: Record<string, string>;
  /** Wait for the first connection (default true). */
  waitConnected?: boolean;
  /** The data folder holding the conversation database (default: a fresh temp folder). */
  dataDir?: string;
  /** Functions the model may call (default: none). */
  tools?: AssistantDeps['tools'];
  /** The endpoint's session limit (as OpenAI's 60 min or Azure's 30 min would be), ms. */
  sessionLimitMs?: number;
  /** Above this many characters a carried conversation goes as a summary (the Assistant's default otherwise). */
  summaryThresholdChars?: number;
  /** The screen as a global key captures it (desktop: the primary screen; browser mode: the page). */
  captureScreen?: AssistantDeps['captureScreen'];
}

export class Rig {
  readonly events: Array<[EventName, unknown]> = [];
  settings: Settings;
  assistant!: Assistant;
  audio!: FakeAudioEngine;
  sim!: SimulatorHandle;
  log!: EventLog;
  conversations!: ReturnType<typeof testConversations>;
  private readonly connections: RealtimeConnection[] = [];

  private constructor(private readonly options: RigOptions) {
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
  }

  /** Starts a simulator and an Assistant connected to it; resolves once connected. */
  static async start(options: RigOptions = {}): Promise<Rig> {
    const rig = new Rig(options);
    rig.sim = await startSimulator({ port: 0, ...options.sim });
    rig.audio = new FakeAudioEngine({ micSource: tone(20_000) });
    rig.log = new EventLog();
    rig.conversations = testConversations(
      (event, payload) => rig.events.push([event, payload]),
      options.dataDir,
    );
    const delay = options.reconnectMs ?? 50;
    rig.assistant = new Assistant({
      audio: rig.audio,
      log: rig.log,
      emit: <E extends EventName>(event: E, payload: EventPayload<E>) => rig.events.push([event, payload]),
      settings: () => rig.settings,
      conversations: rig.conversations.conversations,
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.summaryThresholdChars ? { summaryThresholdChars: options.summaryThresholdChars } : {}),
      ...(options.captureScreen ? { captureScreen: options.captureScreen } : {}),
      connect: (endpoint) => {
        const c = createConnection(endpoint, {
          backoff: { initialMs: delay, maxMs: delay * 4, jitter: 0 },
          keepAlive: false,
        });
        rig.connections.push(c);
        return c;
      },
    });
    const url = options.query ? `${rig.sim.url}&${options.query}` : rig.sim.url;
    rig.assistant.useEndpoint(
      {
        provider: 'simulator',
        url,
        headers: options.headers ?? {},
        ...(options.sessionLimitMs ? { sessionLimitMs: options.sessionLimitMs } : {}),
      },
      { demoMode: true, provider: 'simulator' },
    );
    if (options.waitConnected !== false) {
      await rig.until(() => rig.connection()?.state === 'connected', 'the first connection');
    }
    return rig;
  }

  async close(): Promise<void> {
    await this.assistant.dispose();
    await this.audio.close();
    await this.sim.close();
    this.log.dispose();
    this.conversations.store.close();
  }

  /** Polls until `cond` holds (the machine is loaded: generous limit, but fails with a clear message). */
  async until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  of<E extends EventName>(name: E): Array<EventPayload<E>> {
    return this.events.filter(([n]) => n === name).map(([, p]) => p as EventPayload<E>);
  }

  connection(): ConnectionView | undefined {
    return this.of('connection').at(-1);
  }

  notices(): Notice[] {
    return this.of('notice');
  }

  turn(id: string): TurnView | undefined {
    return this.assistant.snapshot().turns.find((t) => t.id === id);
  }

  /** Waits until the turn reaches a terminal phase, and returns it. */
  async settled(id: string, timeoutMs?: number): Promise<TurnView> {
    await this.until(
      () => ['done', 'failed', 'cancelled'].includes(this.turn(id)?.phase ?? ''),
      `${id} to settle`,
      timeoutMs,
    );
    const t = this.turn(id);
    if (!t) throw new Error(`no ${id}`);
    return t;
  }

  /** Hold the key for `ms` of fake-microphone time, then release. Returns the turn id. */
  async talk(ms: number): Promise<string> {
    await this.assistant.press('keyboard');
    const id = this.assistant.snapshot().turns.at(-1)?.id ?? '';
    await this.until(() => (this.turn(id)?.recordedMs ?? 0) >= ms, `${ms} ms recorded`);
    await this.assistant.release('keyboard');
    return id;
  }

  /** Client events the simulator received (optionally on one connection), parsed. */
  received(connection?: number): Array<{ type: string } & Record<string, unknown>> {
    return this.sim.received
      .filter((r) => connection === undefined || r.connection === connection)
      .map((r) => r.event as { type: string } & Record<string, unknown>);
  }

  receivedTypes(connection?: number): string[] {
    return this.received(connection)
      .map((e) => e.type)
      .filter((t) => t !== 'input_audio_buffer.append');
  }

  /** Every client event on the wire validates against the official GA schema. */
  expectAllValid(): void {
    for (const event of this.received())
      expect(validateClientEvent(event), JSON.stringify(event).slice(0, 300)).toEqual({ ok: true });
  }
}
