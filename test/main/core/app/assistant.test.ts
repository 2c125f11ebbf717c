/**
 * The Assistant façade with an in-memory connection and the FakeAudioEngine: what the UI receives
 * (connection view, turns, levels, notices, snapshot) for each command.
 */
import { testConversations } from '../../../helpers/conversations';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Assistant } from '../../../../src/main/core/app/assistant';
import { FakeAudioEngine } from '../../../../src/main/core/audio/fake-engine';
import { EventLog } from '../../../../src/main/core/eventlog/event-log';
import type { Endpoint } from '../../../../src/main/core/realtime/connection-types';
import type { EventName, EventPayload } from '../../../../src/shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import { FakeConnection } from '../turn/fake-connection';

const KEY = 'sk-test-0123456789abcdef';
const ENDPOINT: Endpoint = {
  provider: 'openai',
  url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
  headers: { Authorization: `Bearer ${KEY}` },
  sessionLimitMs: 60 * 60 * 1000,
};

interface Setup {
  assistant: Assistant;
  conns: FakeConnection[];
  events: Array<[EventName, unknown]>;
  log: EventLog;
  audio: FakeAudioEngine;
  settings: Settings;
}

let setups: Setup[] = [];

function setup(): Setup {
  const conns: FakeConnection[] = [];
  const events: Array<[EventName, unknown]> = [];
  const log = new EventLog();
  const audio = new FakeAudioEngine({ micSource: Buffer.alloc(24000 * 2 * 3, 1) });
  const s: Setup = {
    assistant: undefined as unknown as Assistant,
    conns,
    events,
    log,
    audio,
    settings: { ...DEFAULT_SETTINGS },
  };
  s.assistant = new Assistant({
    audio,
    log,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => events.push([event, payload]),
    settings: () => s.settings,
    conversations: testConversations((event, payload) => events.push([event, payload])).conversations,
    connect: () => {
      const c = new FakeConnection();
      conns.push(c);
      return c;
    },
  });
  setups.push(s);
  return s;
}

function of<E extends EventName>(s: Setup, name: E): Array<EventPayload<E>> {
  return s.events.filter(([n]) => n === name).map(([, p]) => p as EventPayload<E>);
}

function connected(s: Setup): FakeConnection {
  s.assistant.useEndpoint(ENDPOINT, { demoMode: false, provider: 'openai' });
  const c = s.conns.at(-1);
  if (!c) throw new Error('no connection');
  c.setStatus({ state: 'connected' });
  c.serverSends({ type: 'session.created', event_id: 'e0', session: { type: 'realtime', instructions: '' } });
  return c;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(async () => {
  for (const s of setups) {
    await s.assistant.dispose();
    await s.audio.close();
    s.log.dispose();
  }
  setups = [];
  vi.useRealTimers();
});

describe('Assistant', () => {
  it('shows the connection by host only, with the session limit, and never the key', () => {
    const s = setup();
    connected(s);
    const view = of(s, 'connection').at(-1);
    expect(view).toMatchObject({
      state: 'connected',
      provider: 'openai',
      demoMode: false,
      endpoint: 'api.openai.com',
    });
    expect(view?.expiresAt).toBe(Date.now() + 60 * 60 * 1000);
    expect(JSON.stringify(s.events)).not.toContain(KEY);
    expect(s.log.toJSONL()).not.toContain(KEY);
  });

  it('configures the session on connect and sends a typed message as a turn', async () => {
    const s = setup();
    const c = connected(s);
    const { turnId } = await s.assistant.sendText('  Hello  ');
    expect(turnId).toMatch(/^t_/);
    expect(c.types()).toEqual(['session.update', 'conversation.item.create', 'response.create']);
    expect(of(s, 'turn').at(-1)).toMatchObject({ id: turnId, userText: 'Hello', phase: 'waiting', index: 1 });
    expect(s.assistant.snapshot().turns.map((t) => t.id)).toEqual([turnId]);
  });

  it('the per-turn options are echoed to every window, used by the next turn, and the instructions only once', async () => {
    const s = setup();
    const c = connected(s);
    const next = s.assistant.setNext({
      replyAs: 'text',
      instructions: 'Be brief.',
      instructionsMode: 'replace',
    });
    expect(of(s, 'next').at(-1)).toEqual(next);
    const { turnId } = await s.assistant.sendText('hi');
    expect(c.sent.at(-1)).toEqual({
      type: 'response.create',
      event_id: `create-${turnId}-1`,
      response: { output_modalities: ['text'], instructions: 'Be brief.' },
    });
    // Reply-as stays; the instructions went with that turn, and every window hears so.
    const after = { ...next, instructions: '' };
    expect(s.assistant.snapshot().next).toEqual(after);
    expect(of(s, 'next').at(-1)).toEqual(after);
  });

  it('toggle starts talking when idle and sends when listening', async () => {
    const s = setup();
    const c = connected(s);
    await s.assistant.toggle('tray');
    await vi.advanceTimersByTimeAsync(300);
    await s.assistant.toggle('tray');
    await vi.advanceTimersByTimeAsync(5);
    expect(c.types().slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create']);
  });

  it('sends session.update when the voice changes', () => {
    const s = setup();
    const c = connected(s);
    s.settings = { ...s.settings, voice: 'cedar' };
    s.assistant.settingsChanged(s.settings);
    expect(c.sent.at(-1)).toMatchObject({
      type: 'session.update',
      session: { audio: { output: { voice: 'cedar' } } },
    });
  });

  it('shows Connecting until the server starts the session, and says when it does not', () => {
    vi.useFakeTimers();
    const s = setup();
    s.assistant.useEndpoint(ENDPOINT, { demoMode: false, provider: 'openai' });
    const c = s.conns[0];
    c?.setStatus({ state: 'connected' });
    expect(of(s, 'connection').at(-1)).toMatchObject({
      state: 'connecting',
      reason: 'Connected; waiting for the server to start the session…',
    });
    vi.advanceTimersByTime(s.settings.stallTimeoutMs);
    expect(of(s, 'connection').at(-1)).toMatchObject({
      state: 'connecting',
      reason: expect.stringMatching(/has not started a session/),
    });
    expect(of(s, 'notice').at(-1)?.text).toMatch(/has not started a session/);
    c?.serverSends({
      type: 'session.created',
      event_id: 'e0',
      session: { type: 'realtime', instructions: '' },
    });
    const view = of(s, 'connection').at(-1);
    expect(view?.state).toBe('connected');
    expect(view?.reason).toBeUndefined();
  });

  it('a repeated connected status is not treated as a new session', () => {
    const s = setup();
    const c = connected(s);
    c.setStatus({ state: 'connected' });
    expect(c.types()).toEqual(['session.update']);
  });

  it('explains why a turn cannot be retried', async () => {
    const s = setup();
    connected(s);
    await s.assistant.retry('turn-99');
    expect(of(s, 'notice').at(-1)?.text).toBe('That turn no longer exists.');
  });

  it('reconnect opens a fresh connection and closes the old one', () => {
    const s = setup();
    const first = connected(s);
    s.assistant.reconnect();
    expect(first.closed).toBe(true);
    expect(s.conns.length).toBe(2);
    expect(s.conns[1]?.connects).toBe(1);
  });

  it('switching endpoints ignores the old connection’s late events', () => {
    const s = setup();
    const first = connected(s);
    s.assistant.useEndpoint(
      { ...ENDPOINT, url: 'ws://127.0.0.1:9/v1/realtime' },
      { demoMode: true, provider: 'simulator' },
    );
    first.setStatus({ state: 'connected' });
    expect(of(s, 'connection').at(-1)).toMatchObject({
      state: 'connecting',
      demoMode: true,
      endpoint: '127.0.0.1:9',
    });
  });

  it('shows the beta-dialect failure in plain words', () => {
    const s = setup();
    s.assistant.useEndpoint(ENDPOINT, { demoMode: false, provider: 'openai' });
    const reason = 'This server only speaks the old beta protocol, which OpenAI switched off.';
    s.conns[0]?.setStatus({ state: 'failed', code: 'beta_api_shape_disabled', reason });
    expect(of(s, 'connection').at(-1)).toMatchObject({ state: 'failed', reason });
    expect(of(s, 'notice').map((n) => n.text)).toContain(reason);
  });

  it('levels reach the UI at most about 30 times a second', async () => {
    const s = setup();
    connected(s);
    await s.assistant.press('button');
    await vi.advanceTimersByTimeAsync(1000);
    await s.assistant.release('button');
    await vi.advanceTimersByTimeAsync(100);
    const levels = of(s, 'levels');
    expect(levels.length).toBeGreaterThan(5);
    expect(levels.length).toBeLessThanOrEqual(32);
    expect(levels.at(-1)).toEqual({ input: null, output: null });
  });
});
