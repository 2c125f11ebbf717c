import { describe, expect, test } from 'vitest';
import { expectAllValid, TestClient, useSimulator } from './client';

const { start, open } = useSimulator();

describe('the server', () => {
  test('listens on 127.0.0.1 and hands out a GA OpenAI-style URL', async () => {
    const sim = await start();
    expect(sim.url).toBe(`ws://127.0.0.1:${sim.port}/v1/realtime?model=gpt-realtime`);
    const client = await open(sim.url);
    await client.waitFor('session.created');
    expect(sim.connections()).toBe(1);
  });

  test("Azure's GA path works too and the path and model are recorded", async () => {
    const sim = await start();
    const client = await open(`ws://127.0.0.1:${sim.port}/openai/v1/realtime?model=my-deployment`);
    const created = await client.waitFor('session.created');
    expect((created.session as { model: string }).model).toBe('my-deployment');
    expect(sim.requests).toEqual([
      expect.objectContaining({
        id: 1,
        path: '/openai/v1/realtime?model=my-deployment',
        auth: 'none',
        outcome: 'open',
      }),
    ]);
  });
});

describe('authentication', () => {
  test('without a key the upgrade is refused with HTTP 401 and the real error body', async () => {
    const sim = await start({ apiKey: 'sk-sim-secret' });
    const refused = await TestClient.open(sim.url).catch((e: { status: number; body: string }) => e);
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key' },
    });
    expect(sim.requests[0]?.outcome).toBe('rejected-401');
  });

  test('a wrong key is refused with 401 and the key is never recorded', async () => {
    const sim = await start({ apiKey: 'sk-sim-secret' });
    const refused = await TestClient.open(sim.url, { Authorization: 'Bearer sk-wrong' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.stringify(sim.requests)).not.toContain('sk-');
  });

  test('Authorization: Bearer and api-key are both accepted', async () => {
    const sim = await start({ apiKey: 'sk-sim-secret' });
    const bearer = await open(sim.url, { Authorization: 'Bearer sk-sim-secret' });
    await bearer.waitFor('session.created');
    const azure = await open(sim.url.replace('/v1/', '/openai/v1/'), { 'api-key': 'sk-sim-secret' });
    await azure.waitFor('session.created');
    expect(sim.requests.map((r) => r.auth)).toEqual(['bearer', 'api-key']);
    expect(sim.connections()).toBe(2);
  });
});

describe('the beta dialect', () => {
  test('a connection with OpenAI-Beta: realtime=v1 gets beta_api_shape_disabled and close 4000', async () => {
    const sim = await start();
    const client = await open(sim.url, { 'OpenAI-Beta': 'realtime=v1' });
    const closed = await client.closed;
    expect(closed.code).toBe(4000);
    expect(client.events).toHaveLength(1);
    expect(client.events[0]).toMatchObject({
      type: 'error',
      error: {
        code: 'beta_api_shape_disabled',
        message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
      },
    });
    expect(sim.requests[0]?.outcome).toBe('beta-4000');
    expectAllValid(sim.emitted);
  });
});

describe('the handle', () => {
  test('dropAll cuts every socket without a close frame', async () => {
    const sim = await start();
    const a = await open(sim.url);
    const b = await open(sim.url);
    await Promise.all([a.waitFor('session.created'), b.waitFor('session.created')]);
    sim.dropAll();
    expect([(await a.closed).code, (await b.closed).code]).toEqual([1006, 1006]);
    expect(sim.connections()).toBe(0);
  });

  test('close() closes open sockets with 1001 and can be called twice', async () => {
    const sim = await start();
    const client = await open(sim.url);
    await client.waitFor('session.created');
    await sim.close();
    await sim.close();
    expect((await client.closed).code).toBe(1001);
  });

  test('records every client event with its connection', async () => {
    const sim = await start();
    const client = await open(sim.url);
    await client.waitFor('session.created');
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    expect(sim.received).toEqual([
      { at: expect.any(Number), connection: 1, event: { type: 'input_audio_buffer.clear' } },
    ]);
  });

  test('record: false keeps no logs (for long-running demo use)', async () => {
    const sim = await start({ record: false });
    const client = await open(sim.url);
    await client.waitFor('session.created');
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    expect([sim.received.length, sim.emitted.length]).toEqual([0, 0]);
    expect([sim.requests[0]?.received.length, sim.requests[0]?.emitted.length]).toEqual([0, 0]);
    // The upgrade itself is still recorded.
    expect(sim.requests[0]).toMatchObject({ outcome: 'open', hasAuthorization: false });
  });
});

describe('options', () => {
  test('recordLimit keeps the newest events only', async () => {
    const sim = await start({ recordLimit: 10 });
    const client = await open(sim.url);
    await client.waitFor('session.created');
    for (let i = 0; i < 30; i++) client.send({ type: 'input_audio_buffer.clear', event_id: `evt_${i}` });
    await client.waitFor((e) => e.type === 'input_audio_buffer.cleared' && client.types().length === 31);
    expect(sim.received.length).toBeLessThanOrEqual(10);
    expect(sim.received.at(-1)?.event).toMatchObject({ event_id: 'evt_29' });
    expect(sim.requests[0]?.received.length).toBeLessThanOrEqual(10);
    expect(sim.requests[0]?.received.at(-1)?.event).toMatchObject({ event_id: 'evt_29' });
  });

  test('replyAudio replaces the reply signal', async () => {
    const custom = (text: string): Int16Array => new Int16Array(text.length * 240).fill(1000);
    const sim = await start({ audioPacing: 'fast', replyAudio: custom });
    const client = await open(sim.url);
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    client.send({ type: 'response.create' });
    await client.waitFor('response.done');
    const samples = client.events
      .filter((e) => e.type === 'response.output_audio.delta')
      .reduce((n, e) => n + Buffer.from(e.delta as string, 'base64').length / 2, 0);
    expect(samples).toBe('Echo: hi'.length * 240);
    const transcript = client.events.find((e) => e.type === 'response.output_audio_transcript.done');
    expect(transcript?.transcript).toBe('Echo: hi');
  });
});

describe('per-connection records', () => {
  const types = (entries: Array<{ event: unknown }>): string[] =>
    entries.map((e) => (e.event as { type: string }).type);

  test('each connection lists its auth header names (never values) and the events it alone received', async () => {
    const sim = await start();
    const anonymous = await open(sim.url);
    await anonymous.waitFor('session.created');
    anonymous.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.' } });
    await anonymous.waitFor('session.updated');

    const keyed = await open(sim.url, {
      Authorization: 'Bearer sk-sim-value-42',
      'X-Trace': 'trace-value-xyz',
    });
    await keyed.waitFor('session.created');
    keyed.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    keyed.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    await keyed.waitFor('response.done');

    const [first, second] = sim.requests;
    expect(first).toMatchObject({ id: 1, auth: 'none', hasAuthorization: false, hasApiKey: false });
    expect(first?.headerNames).not.toContain('authorization');
    expect(first?.headerNames).toEqual(expect.arrayContaining(['host', 'upgrade', 'sec-websocket-key']));
    expect(types(first?.received ?? [])).toEqual(['session.update']);
    expect(types(first?.emitted ?? [])).toEqual(['session.created', 'session.updated']);

    expect(second).toMatchObject({ id: 2, auth: 'bearer', hasAuthorization: true, hasApiKey: false });
    expect(second?.headerNames).toEqual(expect.arrayContaining(['authorization', 'x-trace']));
    expect(types(second?.received ?? [])).toEqual(['conversation.item.create', 'response.create']);
    expect(second?.received.every((r) => r.connection === 2)).toBe(true);
    expect(types(second?.emitted ?? [])).toContain('response.done');

    // The handle's own logs still hold both connections, in arrival order.
    expect(types(sim.received)).toEqual(['session.update', 'conversation.item.create', 'response.create']);
    expect(JSON.stringify(sim.requests)).not.toContain('sk-sim-value-42');
    expect(JSON.stringify(sim.requests)).not.toContain('trace-value-xyz');
  });

  test('a refused upgrade records which auth header it had and received nothing', async () => {
    const sim = await start({ apiKey: 'sk-sim-secret' });
    await TestClient.open(sim.url).catch(() => undefined);
    await TestClient.open(sim.url, { Authorization: 'Basic Zm9vOmJhcg==' }).catch(() => undefined);
    const ok = await open(sim.url.replace('/v1/', '/openai/v1/'), { 'api-key': 'sk-sim-secret' });
    await ok.waitFor('session.created');

    expect(
      sim.requests.map(({ auth, hasAuthorization, hasApiKey, outcome, received, emitted }) => ({
        auth,
        hasAuthorization,
        hasApiKey,
        outcome,
        received: received.length,
        emitted: emitted.length,
      })),
    ).toEqual([
      {
        auth: 'none',
        hasAuthorization: false,
        hasApiKey: false,
        outcome: 'rejected-401',
        received: 0,
        emitted: 0,
      },
      // An Authorization header that is not Bearer counts as no credential, but its presence is recorded.
      {
        auth: 'none',
        hasAuthorization: true,
        hasApiKey: false,
        outcome: 'rejected-401',
        received: 0,
        emitted: 0,
      },
      { auth: 'api-key', hasAuthorization: false, hasApiKey: true, outcome: 'open', received: 0, emitted: 1 },
    ]);
    expect(JSON.stringify(sim.requests)).not.toContain('sk-sim-secret');
    expect(JSON.stringify(sim.requests)).not.toContain('Zm9vOmJhcg');
  });

  test("a beta connection's error event is on its own record", async () => {
    const sim = await start();
    const client = await open(sim.url, { 'OpenAI-Beta': 'realtime=v1' });
    await client.closed;
    expect(sim.requests[0]?.headerNames).toContain('openai-beta');
    expect(sim.requests[0]?.emitted.map((e) => e.event.type)).toEqual(['error']);
  });
});
