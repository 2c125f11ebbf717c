/**
 * Function tools and remote MCP tools over a real WebSocket: what a client offering tools sees, event by event.
 * Every client event sent here is checked against the GA schema before it goes out, and every server event the
 * simulator sent is checked strictly at the end of each test.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { validateClientEvent } from '../../../../src/main/core/simulator';
import { expectAllValid, useSimulator, type Ev, type TestClient } from './client';

const fixture = useSimulator({ audioPacing: 'fast', textDeltaMs: 0 });
const { sim } = fixture;

// Registered after useSimulator's, so it runs before the simulator is closed (after-hooks run as a stack).
afterEach(() => {
  expect(sim()).toBeDefined();
  expectAllValid(sim()?.emitted ?? []);
});

type Item = Record<string, unknown> & { id: string; type: string };
type Response = { id: string; status: string; output: Item[]; status_details?: Record<string, unknown> };

const TIME_TOOL = {
  type: 'function',
  name: 'get_current_time',
  description: 'The current local date and time.',
  parameters: { type: 'object', properties: {} },
};
const ADD_TOOL = {
  type: 'function',
  name: 'add',
  description: 'Adds two numbers.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
};

/** Sends a client event after checking it against the GA schema (a test that sends a bad event fails here). */
function send(client: TestClient, event: Record<string, unknown>): void {
  expect(validateClientEvent(event)).toEqual({ ok: true });
  client.send(event);
}

async function connect(session?: Record<string, unknown>): Promise<TestClient> {
  const client = await fixture.connect();
  if (session) await offer(client, session);
  return client;
}

/** `session.update`; resolves with the events up to `session.updated`. */
async function offer(client: TestClient, session: Record<string, unknown>): Promise<Ev[]> {
  const from = client.events.length;
  send(client, { type: 'session.update', session: { type: 'realtime', ...session } });
  await client.waitFor('session.updated', from);
  return client.events.slice(from);
}

async function say(client: TestClient, text: string): Promise<void> {
  const from = client.events.length;
  send(client, {
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
  await client.waitFor('conversation.item.added', from);
}

/** Sends a function call's output; resolves with the item as the server added it. */
async function answer(client: TestClient, callId: string, output: string): Promise<Item> {
  const from = client.events.length;
  send(client, {
    type: 'conversation.item.create',
    item: { type: 'function_call_output', call_id: callId, output },
  });
  return (await client.waitFor((e) => e.type === 'conversation.item.added' || e.type === 'error', from))
    .item as Item;
}

interface Reply {
  response: Response;
  /** This response's events, `response.created` … `response.done`. */
  events: Ev[];
  /** Their types, runs of the same delta type squashed to one. */
  types: string[];
  /** The message text (`response.output_text.delta`s), '' for a response of calls. */
  text: string;
}

async function respond(client: TestClient, response: Record<string, unknown> = {}): Promise<Reply> {
  const from = client.events.length;
  send(client, { type: 'response.create', response: { output_modalities: ['text'], ...response } });
  const done = await client.waitFor('response.done', from);
  const events = client.events.slice(from, client.events.indexOf(done) + 1);
  const text = events
    .filter((e) => e.type === 'response.output_text.delta')
    .map((e) => e.delta as string)
    .join('');
  return { response: done.response as Response, events, types: squash(events.map((e) => e.type)), text };
}

/** Event types with each run of the same `….delta` type shown once (how many deltas depends on the length). */
function squash(types: string[]): string[] {
  return types.filter((t, i) => !(t.endsWith('.delta') && types[i - 1] === t));
}

const FUNCTION_CALL_EVENTS = [
  'response.output_item.added',
  'conversation.item.added',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.output_item.done',
  'conversation.item.done',
];

describe('function calls', () => {
  test('"what time is it" → one get_current_time call; its output is used in the next reply', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL], tool_choice: 'auto' });
    await say(client, 'Hey, what time is it?');
    const call = await respond(client);
    expect(call.types).toEqual(['response.created', ...FUNCTION_CALL_EVENTS, 'response.done']);
    const added = call.events[1] as Ev & { item: Item; output_index: number };
    expect(added.output_index).toBe(0);
    expect(added.item).toMatchObject({
      type: 'function_call',
      status: 'in_progress',
      name: 'get_current_time',
      arguments: '',
    });
    const callId = added.item.call_id as string;
    expect(callId).toMatch(/^call_/);
    const where = { response_id: call.response.id, item_id: added.item.id, output_index: 0, call_id: callId };
    expect(call.events[3]).toMatchObject({ ...where, delta: '{}' });
    expect(call.events[4]).toMatchObject({ ...where, name: 'get_current_time', arguments: '{}' });
    expect(call.response).toMatchObject({
      status: 'completed',
      output: [
        { id: added.item.id, type: 'function_call', status: 'completed', call_id: callId, arguments: '{}' },
      ],
    });
    expect(call.text).toBe('');

    const output = await answer(client, callId, '2026-11-23 14:05');
    expect(output).toMatchObject({
      type: 'function_call_output',
      call_id: callId,
      output: '2026-11-23 14:05',
    });
    const reply = await respond(client);
    expect(reply.response.status).toBe('completed');
    expect(reply.response.output.map((i) => i.type)).toEqual(['message']);
    expect(reply.text).toBe('The get_current_time tool returned: 2026-11-23 14:05.');
  });

  test('several "call … with …" clauses → parallel calls in one response, arguments exactly as written', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL] });
    await say(
      client,
      'Please call add with {"a": 1, "b": 2} and call lookup_city with {"name": "Paris, \\"FR\\""} and call get_current_time.',
    );
    const call = await respond(client);
    expect(call.response.status).toBe('completed');
    const calls = call.response.output;
    expect(calls.map((i) => [i.type, i.name, i.arguments])).toEqual([
      ['function_call', 'add', '{"a": 1, "b": 2}'],
      ['function_call', 'lookup_city', '{"name": "Paris, \\"FR\\""}'],
      ['function_call', 'get_current_time', '{}'],
    ]);
    expect(new Set(calls.map((i) => i.call_id)).size).toBe(3);
    // Each call's deltas add up to its arguments, on its own output_index.
    for (const [index, item] of calls.entries()) {
      const deltas = call.events.filter(
        (e) => e.type === 'response.function_call_arguments.delta' && e.item_id === item.id,
      );
      expect(deltas.every((e) => e.output_index === index && e.call_id === item.call_id)).toBe(true);
      expect(deltas.map((e) => e.delta).join('')).toBe(item.arguments);
    }

    // Outputs sent in another order: the reply follows the calls' order.
    await answer(client, calls[2]?.call_id as string, '09:30');
    await answer(client, calls[0]?.call_id as string, '3');
    await answer(client, calls[1]?.call_id as string, '{"population": 2100000}');
    const reply = await respond(client);
    expect(reply.text).toBe(
      'The add tool returned: 3. The lookup_city tool returned: {"population": 2100000}. The get_current_time tool returned: 09:30.',
    );
  });

  test('arguments that are not valid JSON are passed on exactly', async () => {
    const client = await connect({ tools: [ADD_TOOL] });
    await say(client, 'call add with {"a": 1,} please');
    const call = await respond(client);
    expect(call.response.output[0]).toMatchObject({ name: 'add', arguments: '{"a": 1,}' });
  });

  test('"then" makes a second call after the first one has its output (multi-step), then the reply', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL] });
    await say(client, 'call get_current_time, then call add with {"a": 2, "b": 3}');
    const first = await respond(client);
    expect(first.response.output.map((i) => i.name)).toEqual(['get_current_time']);
    await answer(client, first.response.output[0]?.call_id as string, '10:00');

    const second = await respond(client);
    expect(second.types).toEqual(['response.created', ...FUNCTION_CALL_EVENTS, 'response.done']);
    expect(second.response.output).toMatchObject([{ name: 'add', arguments: '{"a": 2, "b": 3}' }]);
    await answer(client, second.response.output[0]?.call_id as string, '5');

    const reply = await respond(client);
    expect(reply.text).toBe('The get_current_time tool returned: 10:00. The add tool returned: 5.');
    // A new user message starts afresh.
    await say(client, 'call add with {"a": 1, "b": 1}');
    expect((await respond(client)).response.output).toMatchObject([
      { name: 'add', arguments: '{"a": 1, "b": 1}' },
    ]);
  });

  test('response.create while a call still lacks its output answers with what it has', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL] });
    await say(client, 'call add with {"a": 1, "b": 2} and call get_current_time');
    const call = await respond(client);
    await answer(client, call.response.output[0]?.call_id as string, '3');
    const reply = await respond(client);
    expect(reply.response.output.map((i) => i.type)).toEqual(['message']);
    expect(reply.text).toBe('The add tool returned: 3. The get_current_time tool has not answered.');
  });

  test('tool_choice "none" (session or response) → no calls, a plain reply', async () => {
    const client = await connect({ tools: [TIME_TOOL], tool_choice: 'none' });
    await say(client, 'what time is it');
    const none = await respond(client);
    expect(none.types).not.toContain('response.function_call_arguments.delta');
    expect(none.text).toBe('Echo: what time is it');

    await offer(client, { tool_choice: 'auto' });
    expect((await respond(client, { tool_choice: 'none' })).text).toBe('Echo: what time is it');
    expect((await respond(client)).response.output[0]).toMatchObject({ type: 'function_call' });
  });

  test('tool_choice "required" forces a call; {type: "function", name} forces that one', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL], tool_choice: 'required' });
    await say(client, 'hello there');
    const required = await respond(client);
    expect(required.response.output).toMatchObject([
      { type: 'function_call', name: 'get_current_time', arguments: '{}' },
    ]);

    await say(client, 'what time is it');
    const forced = await respond(client, { tool_choice: { type: 'function', name: 'add' } });
    expect(forced.response.output).toMatchObject([{ type: 'function_call', name: 'add', arguments: '{}' }]);
    // The forced tool's own clause keeps its arguments.
    await say(client, 'call get_current_time and call add with {"a": 4, "b": 4}');
    const own = await respond(client, { tool_choice: { type: 'function', name: 'add' } });
    expect(own.response.output).toMatchObject([{ name: 'add', arguments: '{"a": 4, "b": 4}' }]);
  });

  test('parallel_tool_calls: false keeps the first call only', async () => {
    const client = await connect({ tools: [TIME_TOOL, ADD_TOOL], parallel_tool_calls: false });
    await say(client, 'call add with {"a": 1, "b": 2} and call get_current_time');
    expect((await respond(client)).response.output.map((i) => i.name)).toEqual(['add']);
  });

  test('an output for an unknown call_id is an invalid_tool_call_id error and adds nothing', async () => {
    const client = await connect({ tools: [TIME_TOOL] });
    const from = client.events.length;
    send(client, {
      type: 'conversation.item.create',
      event_id: 'evt_out_1',
      item: { type: 'function_call_output', call_id: 'call_nope', output: '42' },
    });
    const error = await client.waitFor('error', from);
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_tool_call_id',
      message: "Tool call ID 'call_nope' not found in conversation.",
      param: null,
      event_id: 'evt_out_1',
    });
    expect(client.types(from)).toEqual(['error']);
  });

  test('without tools, "call … with …" is just a message (the behaviour of clients offering no tools)', async () => {
    const client = await connect();
    await say(client, 'call add with {"a": 1}');
    const reply = await respond(client);
    expect(reply.text).toBe('Echo: call add with {"a": 1}');
    // Offered tools but the name is neither offered nor given arguments: ordinary speech.
    await offer(client, { tools: [TIME_TOOL] });
    await say(client, 'please call me later');
    expect((await respond(client)).text).toBe('Echo: please call me later');
  });
});

describe('tool faults', () => {
  test('tool-call-then-fail: the call streams in full, then the response ends failed', async () => {
    const client = await connect({ tools: [ADD_TOOL] });
    sim()?.setFaults(['tool-call-then-fail']);
    await say(client, 'call add with {"a": 1, "b": 2}');
    const failed = await respond(client);
    expect(failed.types).toEqual(['response.created', ...FUNCTION_CALL_EVENTS, 'response.done']);
    expect(failed.response).toMatchObject({
      status: 'failed',
      output: [{ type: 'function_call', status: 'completed', name: 'add' }],
      status_details: { type: 'failed', error: { type: 'server_error' } },
    });
    // Used up: the next call response completes.
    await say(client, 'call add with {"a": 3, "b": 4}');
    expect((await respond(client)).response.status).toBe('completed');
  });

  test('tool-call-then-fail is not used up by a response without calls', async () => {
    const client = await connect({ tools: [ADD_TOOL] });
    sim()?.setFaults(['tool-call-then-fail']);
    await say(client, 'hello');
    expect((await respond(client)).response.status).toBe('completed');
    await say(client, 'call add with {"a": 1, "b": 2}');
    expect((await respond(client)).response.status).toBe('failed');
  });

  test('tool-call-stall: cancelled mid-arguments, the call ends incomplete and the response cancelled', async () => {
    const client = await connect({ tools: [ADD_TOOL] });
    sim()?.setFaults(['tool-call-stall']);
    await say(client, 'call add with {"a": 123456, "b": 654321}');
    const from = client.events.length;
    send(client, { type: 'response.create', response: { output_modalities: ['text'] } });
    await client.waitFor('response.function_call_arguments.delta', from);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.types(from).at(-1)).toBe('response.function_call_arguments.delta');
    send(client, { type: 'response.cancel' });
    const done = await client.waitFor('response.done', from);
    expect(client.types(from)).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    const partial = client.events.slice(from).find((e) => e.type === 'response.function_call_arguments.done');
    expect(partial?.arguments).toBe('{"a": 123456');
    expect(done.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
      output: [{ type: 'function_call', status: 'incomplete', arguments: '{"a": 123456' }],
    });
  });
});

const MCP = {
  type: 'mcp',
  server_label: 'demo',
  server_url: 'https://mcp.example.test/mcp',
  headers: { 'X-Api-Key': 'not-a-real-key' },
  require_approval: 'never',
};

/** Offers MCP servers; resolves with the events of the listing (after `session.updated`). */
async function offerMcp(client: TestClient, tools: unknown[], lists = 1): Promise<Ev[]> {
  const from = client.events.length;
  await offer(client, { tools });
  let seen = 0;
  await client.waitFor(
    (e) =>
      (e.type === 'conversation.item.done' &&
        (e.item as Item).type === 'mcp_list_tools' &&
        ++seen === lists) ||
      false,
    from,
  );
  const events = client.events.slice(from);
  return events.slice(events.findIndex((e) => e.type === 'session.updated') + 1);
}

const MCP_CALL_EVENTS = [
  'response.output_item.added',
  'conversation.item.added',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
  'response.mcp_call.in_progress',
  'response.mcp_call.completed',
  'response.output_item.done',
  'conversation.item.done',
];

describe('remote MCP tools', () => {
  test('offering a server lists its tools: mcp_list_tools item, in_progress, completed; same config → no relisting', async () => {
    const client = await connect();
    const listing = await offerMcp(client, [{ ...MCP, allowed_tools: ['echo'] }]);
    expect(listing.map((e) => e.type)).toEqual([
      'conversation.item.added',
      'mcp_list_tools.in_progress',
      'mcp_list_tools.completed',
      'conversation.item.done',
    ]);
    const item = listing[3]?.item as Item;
    expect(listing[0]?.item).toMatchObject({
      id: item.id,
      type: 'mcp_list_tools',
      server_label: 'demo',
      tools: [],
    });
    expect(listing[1]).toMatchObject({ item_id: item.id });
    expect(item.tools).toEqual([
      expect.objectContaining({ name: 'echo', input_schema: expect.objectContaining({ type: 'object' }) }),
    ]);

    const again = await offer(client, {
      tools: [{ ...MCP, allowed_tools: ['echo'] }],
      instructions: 'Be brief.',
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(again.map((e) => e.type)).toEqual(['session.updated']);
    expect(client.types(client.events.indexOf(again[0] as Ev) + 1)).toEqual([]);
    // Another filter is another listing: both tools, `read_only` keeps the annotated one.
    const all = await offerMcp(client, [MCP]);
    expect(((all.at(-1)?.item as Item).tools as Item[]).map((t) => t.name)).toEqual(['echo', 'add']);
    const readOnly = await offerMcp(client, [{ ...MCP, allowed_tools: { read_only: true } }]);
    expect(((readOnly.at(-1)?.item as Item).tools as Item[]).map((t) => t.name)).toEqual(['echo']);
  });

  test('a server whose URL contains "fail": mcp_list_tools.failed, and a call on it fails', async () => {
    const client = await connect();
    const listing = await offerMcp(client, [
      { ...MCP, server_label: 'broken', server_url: 'https://fail.example.test/mcp' },
    ]);
    expect(listing.map((e) => e.type)).toEqual([
      'conversation.item.added',
      'mcp_list_tools.in_progress',
      'mcp_list_tools.failed',
      'conversation.item.done',
    ]);
    expect(listing[3]?.item).toMatchObject({ type: 'mcp_list_tools', server_label: 'broken', tools: [] });

    await say(client, 'use broken echo with {"text": "hi"}');
    const call = await respond(client);
    expect(call.types).toContain('response.mcp_call.failed');
    expect(call.types).not.toContain('response.mcp_call.completed');
    expect(call.response.output[0]).toMatchObject({
      type: 'mcp_call',
      output: null,
      error: { type: 'http_error', code: 424 },
    });
    expect((await respond(client)).text).toMatch(/^The broken echo tool failed: Error retrieving tool list/);
  });

  test('"use <label> <tool> with <json>" without approval: arguments, in_progress, completed, the output; then the reply', async () => {
    const client = await connect();
    await offerMcp(client, [MCP]);
    await say(client, 'use demo add with {"a": 2, "b": 3}');
    const call = await respond(client);
    expect(call.types).toEqual(['response.created', ...MCP_CALL_EVENTS, 'response.done']);
    const item = call.response.output[0] as Item;
    expect(item).toEqual({
      type: 'mcp_call',
      id: expect.any(String) as string,
      server_label: 'demo',
      name: 'add',
      arguments: '{"a": 2, "b": 3}',
      approval_request_id: null,
      output: '5',
      error: null,
    });
    const where = { response_id: call.response.id, item_id: item.id, output_index: 0 };
    expect(call.events.find((e) => e.type === 'response.mcp_call_arguments.done')).toMatchObject({
      ...where,
      arguments: '{"a": 2, "b": 3}',
    });
    expect(call.events.find((e) => e.type === 'response.mcp_call.completed')).toMatchObject({
      item_id: item.id,
      output_index: 0,
    });
    expect(call.events.find((e) => e.type === 'response.output_item.added')?.item).toMatchObject({
      output: null,
      arguments: '',
    });
    expect((await respond(client)).text).toBe('The demo add tool returned: 5.');
  });

  test('a tool that fails on the server: response.mcp_call.failed and the error on the item', async () => {
    const client = await connect();
    await offerMcp(client, [MCP]);
    await say(client, 'use demo add with {"a": "two"}');
    const call = await respond(client);
    expect(call.types).toEqual([
      'response.created',
      ...MCP_CALL_EVENTS.map((t) => (t === 'response.mcp_call.completed' ? 'response.mcp_call.failed' : t)),
      'response.done',
    ]);
    expect(call.response.output[0]).toMatchObject({
      output: null,
      error: { type: 'tool_execution_error', message: 'add needs numbers "a" and "b".' },
    });
    expect((await respond(client)).text).toBe('The demo add tool failed: add needs numbers "a" and "b"..');
  });

  test('approval approved: an mcp_approval_request ends the first response; after the approval the next one runs the call', async () => {
    const client = await connect();
    // No require_approval: the spec's default is "always".
    const { require_approval: _omit, ...always } = MCP;
    await offerMcp(client, [always]);
    await say(client, 'use demo echo with {"text": "hello MCP"}');
    const ask = await respond(client);
    expect(ask.types).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    const request = ask.response.output[0] as Item;
    expect(request).toEqual({
      type: 'mcp_approval_request',
      id: expect.any(String) as string,
      server_label: 'demo',
      name: 'echo',
      arguments: '{"text": "hello MCP"}',
    });
    expect(ask.response.status).toBe('completed');

    // Answered as OpenAI's Realtime Agents SDK does: no item id, placed after the request.
    const from = client.events.length;
    send(client, {
      type: 'conversation.item.create',
      previous_item_id: request.id,
      item: { type: 'mcp_approval_response', approval_request_id: request.id, approve: true },
    });
    const added = await client.waitFor('conversation.item.added', from);
    expect(added).toMatchObject({
      previous_item_id: request.id,
      item: { type: 'mcp_approval_response', approval_request_id: request.id, approve: true },
    });
    expect((added.item as Item).id).toEqual(expect.any(String));

    const run = await respond(client);
    expect(run.types).toEqual(['response.created', ...MCP_CALL_EVENTS, 'response.done']);
    expect(run.response.output[0]).toMatchObject({
      type: 'mcp_call',
      name: 'echo',
      approval_request_id: request.id,
      output: 'hello MCP',
    });
    expect((await respond(client)).text).toBe('The demo echo tool returned: hello MCP.');
  });

  test('approval denied: the next response says the user declined and nothing runs', async () => {
    const client = await connect();
    await offerMcp(client, [{ ...MCP, require_approval: 'always' }]);
    await say(client, 'use demo add with {"a": 1, "b": 1}');
    const ask = await respond(client);
    const request = ask.response.output[0] as Item;
    // A response before the answer: the request is still waiting.
    expect((await respond(client)).text).toBe('The demo add call is waiting for approval.');
    send(client, {
      type: 'conversation.item.create',
      item: {
        type: 'mcp_approval_response',
        id: 'apr_1',
        approval_request_id: request.id,
        approve: false,
        reason: 'Not now.',
      },
    });
    const reply = await respond(client);
    expect(reply.types).not.toContain('response.mcp_call.in_progress');
    expect(reply.response.output.map((i) => i.type)).toEqual(['message']);
    expect(reply.text).toBe('The user declined the demo add call.');
  });

  test('per-tool require_approval and parallel MCP clauses: one call runs, the other asks first', async () => {
    const client = await connect();
    await offerMcp(client, [{ ...MCP, require_approval: { never: { tool_names: ['echo'] } } }]);
    await say(client, 'use demo echo with {"text": "hi"} and use demo add with {"a": 1, "b": 1}');
    const first = await respond(client);
    expect(first.response.output.map((i) => [i.type, i.name])).toEqual([
      ['mcp_call', 'echo'],
      ['mcp_approval_request', 'add'],
    ]);
    send(client, {
      type: 'conversation.item.create',
      item: {
        type: 'mcp_approval_response',
        approval_request_id: first.response.output[1]?.id,
        approve: true,
      },
    });
    const second = await respond(client);
    expect(second.response.output).toMatchObject([{ type: 'mcp_call', name: 'add', output: '2' }]);
    expect((await respond(client)).text).toBe(
      'The demo echo tool returned: hi. The demo add tool returned: 2.',
    );
  });

  test('an approval for an unknown request is an error and adds nothing', async () => {
    const client = await connect();
    await offerMcp(client, [MCP]);
    const from = client.events.length;
    send(client, {
      type: 'conversation.item.create',
      item: { type: 'mcp_approval_response', approval_request_id: 'mcpr_nope', approve: true },
    });
    const error = await client.waitFor('error', from);
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'item.approval_request_id' });
    expect(client.types(from)).toEqual(['error']);
  });

  test('function and MCP tools together: "what time is it" and an MCP call in one response', async () => {
    const client = await connect();
    await offerMcp(client, [TIME_TOOL, MCP]);
    await say(client, 'what time is it? Also use demo echo with {"text": "x"}');
    const call = await respond(client);
    expect(call.response.output.map((i) => [i.type, i.name])).toEqual([
      ['function_call', 'get_current_time'],
      ['mcp_call', 'echo'],
    ]);
    await answer(client, call.response.output[0]?.call_id as string, 'noon');
    expect((await respond(client)).text).toBe(
      'The get_current_time tool returned: noon. The demo echo tool returned: x.',
    );
  });
});
