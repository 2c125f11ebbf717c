import { describe, expect, test } from 'vitest';
import { type FaultPlan } from '../../../../src/main/core/simulator';
import { FaultBook, parseFaultQuery } from '../../../../src/main/core/simulator/faults';
import { expectAllValid, useSimulator, type TestClient, type Ev } from './client';

const fixture = useSimulator({ audioPacing: 'fast', textDeltaMs: 0 });
const sim = fixture.sim;

/** A client on the test's simulator, started with `faults` (a URL `query` can add per-connection ones). */
function connect(faults: FaultPlan = [], query = ''): Promise<TestClient> {
  return fixture.connect({ faults }, query);
}

/** Types a message and asks for a reply; resolves with the index the turn's events start at. */
function turn(client: TestClient, modalities: string[] = ['audio']): number {
  const from = client.events.length;
  client.send({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'tell me something' }] },
  });
  client.send({ type: 'response.create', response: { output_modalities: modalities } });
  return from;
}

const partOf = (client: TestClient, from: number): unknown =>
  client.events.slice(from).find((e) => e.type === 'response.content_part.added')?.part;

describe('fault plans', () => {
  test('parse the URL forms, including counts, always, delays and the -always alias', () => {
    expect(
      parseFaultQuery([
        'stall',
        'text-instead-of-audio*2,slow-first-delta@500',
        'drop*always',
        'text-instead-of-audio-always',
      ]),
    ).toEqual({
      plan: [
        { kind: 'stall' },
        { kind: 'text-instead-of-audio', times: 2 },
        { kind: 'slow-first-delta', ms: 500 },
        { kind: 'drop', times: 'always' },
        { kind: 'text-instead-of-audio', times: 'always' },
      ],
      problems: [],
    });
    expect(parseFaultQuery(['explode']).problems).toEqual([
      "Unknown fault 'explode'. Known faults: stall, text-instead-of-audio, server-error, drop, slow-first-delta, session-expired, tool-call-then-fail, tool-call-stall.",
    ]);
  });

  test('a rule fires as many times as asked, then is used up', () => {
    const book = new FaultBook([{ kind: 'stall', times: 2 }, 'drop']);
    expect([book.take('stall'), book.take('stall'), book.take('stall')].map((r) => r?.kind)).toEqual([
      'stall',
      'stall',
      undefined,
    ]);
    expect(book.take('drop')?.kind).toBe('drop');
    expect(book.has('drop')).toBe(false);
  });
});

describe('stall', () => {
  test('the response stops after content_part.added until the client cancels it', async () => {
    const client = await connect(['stall']);
    const from = turn(client);
    await client.waitFor('response.content_part.added', from);
    // Let the simulator run a few more event-loop turns: nothing else may arrive.
    await new Promise((r) => setTimeout(r, 100));
    expect(client.types(from).at(-1)).toBe('response.content_part.added');
    client.send({ type: 'response.cancel' });
    const done = await client.waitFor('response.done', from);
    expect((done.response as { status: string }).status).toBe('cancelled');
    // Used up: the next turn completes.
    const next = turn(client);
    expect(((await client.waitFor('response.done', next)).response as { status: string }).status).toBe(
      'completed',
    );
    expectAllValid(sim()?.emitted ?? []);
  });
});

describe('text instead of audio', () => {
  test('the first audio-requested response streams a text part; the second is audio again', async () => {
    const client = await connect(['text-instead-of-audio']);
    const first = turn(client);
    await client.waitFor('response.done', first);
    expect(partOf(client, first)).toEqual({ type: 'text', text: '' });
    expect(client.types(first)).toContain('response.output_text.delta');
    expect(client.types(first)).not.toContain('response.output_audio.delta');

    const second = turn(client);
    await client.waitFor('response.done', second);
    expect(partOf(client, second)).toEqual({ type: 'audio', transcript: '' });
    expectAllValid(sim()?.emitted ?? []);
  });

  test('text-only turns do not use up the fault', async () => {
    const client = await connect(['text-instead-of-audio']);
    const text = turn(client, ['text']);
    await client.waitFor('response.done', text);
    const audio = turn(client);
    await client.waitFor('response.done', audio);
    expect(partOf(client, audio)).toEqual({ type: 'text', text: '' });
  });

  test('from the URL, "-always" keeps every audio request in text', async () => {
    const client = await connect([], '&fault=text-instead-of-audio-always');
    for (let i = 0; i < 3; i++) {
      const from = turn(client);
      await client.waitFor('response.done', from);
      expect(partOf(client, from)).toEqual({ type: 'text', text: '' });
    }
  });
});

describe('server error', () => {
  test('response.done fails with a server_error and the next response works', async () => {
    const client = await connect([{ kind: 'server-error', code: 'inference_failed' }]);
    const from = turn(client);
    const done = await client.waitFor('response.done', from);
    expect(done.response).toMatchObject({
      status: 'failed',
      output: [],
      status_details: {
        type: 'failed',
        error: {
          type: 'server_error',
          code: 'inference_failed',
          message: 'The server had an error while processing your request.',
        },
      },
    });
    expect(client.types(from)).toEqual([
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.done',
    ]);
    const next = turn(client);
    expect(((await client.waitFor('response.done', next)).response as { status: string }).status).toBe(
      'completed',
    );
    expectAllValid(sim()?.emitted ?? []);
  });
});

describe('drop', () => {
  test('the socket is cut mid-response without a close frame', async () => {
    const client = await connect([], '&fault=drop');
    const from = turn(client);
    const closed = await client.closed;
    expect(closed.code).toBe(1006);
    expect(client.types(from)).toContain('response.content_part.added');
    expect(client.types(from).filter((t) => t === 'response.output_audio.delta')).toHaveLength(3);
    expect(client.types(from)).not.toContain('response.done');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('a URL fault fires once across reconnects with the same URL', async () => {
    const first = await connect([], '&fault=drop');
    turn(first);
    await first.closed;
    const second = await connect([], '&fault=drop');
    const from = turn(second);
    const done = await second.waitFor('response.done', from);
    expect((done.response as { status: string }).status).toBe('completed');
  });
});

describe('slow first delta', () => {
  test('the first delta comes only after the configured delay', async () => {
    const client = await connect([{ kind: 'slow-first-delta', ms: 400 }]);
    const from = turn(client, ['text']);
    await client.waitFor('response.done', from);
    const sent = (sim()?.emitted ?? []).map((e) => ({ type: e.event.type, at: e.at }));
    const part = sent.find((e) => e.type === 'response.content_part.added');
    const delta = sent.find((e) => e.type === 'response.output_text.delta');
    // A lower bound only: a slow machine can only make the gap longer.
    expect((delta?.at ?? 0) - (part?.at ?? 0)).toBeGreaterThanOrEqual(390);
    expectAllValid(sim()?.emitted ?? []);
  });
});

describe('session expired', () => {
  test('after the set time: error session_expired, then close 1001', async () => {
    const client = await connect([], '&fault=session-expired@200');
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({
      code: 'session_expired',
      message: 'Your session hit the maximum duration of 60 minutes.',
    });
    expect((await client.closed).code).toBe(1001);
    expectAllValid(sim()?.emitted ?? []);
  });

  test('setFaults arms it on a session that is already open', async () => {
    const client = await connect();
    sim()?.setFaults([{ kind: 'session-expired', ms: 50 }]);
    expect((await client.closed).code).toBe(1001);
    expect(client.events.map((e: Ev) => (e.error as { code?: string } | undefined)?.code)).toContain(
      'session_expired',
    );
  });

  test('an unknown fault in the URL is reported on connect', async () => {
    const client = await connect([], '&fault=explode');
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'fault' });
  });
});
