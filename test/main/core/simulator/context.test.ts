/**
 * `response.create` with `response.input` (a context of its own) and `response.conversation` (`auto` / `none`),
 * and client item ids: what the app's Retry (FIELD-REPORTS row 17) needs from the server.
 */
import { describe, expect, test } from 'vitest';
import { expectAllValid, pcmBase64, useSimulator, type Ev, type TestClient } from './client';

const { connect, sim } = useSimulator({ audioPacing: 'fast', textDeltaMs: 0 });

type Item = { id: string; role?: string; status?: string; content?: unknown[] };
type Response = {
  id: string;
  status: string;
  output: Item[];
  conversation_id: string | null;
  metadata: unknown;
  usage?: { input_tokens: number };
};

/** Types a user message; with `id`, the client names the item. Resolves with the item as the server added it. */
async function typeText(client: TestClient, text: string, id?: string): Promise<Item> {
  const from = client.events.length;
  client.send({
    type: 'conversation.item.create',
    item: { ...(id ? { id } : {}), type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
  return (await client.waitFor('conversation.item.added', from)).item as Item;
}

/** Sends `response.create` and resolves with the reply text and the finished response. */
async function respond(
  client: TestClient,
  response: Record<string, unknown> = {},
  eventId?: string,
): Promise<{ text: string; response: Response; events: Ev[] }> {
  const from = client.events.length;
  client.send({
    type: 'response.create',
    ...(eventId ? { event_id: eventId } : {}),
    response: { output_modalities: ['text'], ...response },
  });
  const done = await client.waitFor('response.done', from);
  const events = client.events.slice(from);
  const text = events
    .filter((e) => e.type === 'response.output_text.delta')
    .map((e) => e.delta as string)
    .join('');
  return { text, response: done.response as Response, events };
}

/** The conversation as the server holds it, asked item by item (`conversation.item.retrieve`). */
async function retrieve(client: TestClient, itemId: string): Promise<Ev> {
  const from = client.events.length;
  client.send({ type: 'conversation.item.retrieve', item_id: itemId });
  return client.waitFor((e) => e.type === 'conversation.item.retrieved' || e.type === 'error', from);
}

describe('a retry answers the failed message, not the newest one', () => {
  test('A fails, B is answered, then response.create with input [A] answers A and lands in the conversation', async () => {
    const client = await connect();
    const a = await typeText(client, 'first question', 'msg_a');
    expect(a.id).toBe('msg_a');

    sim()?.setFaults(['server-error']);
    const failed = await respond(client);
    expect(failed.response.status).toBe('failed');

    const b = await typeText(client, 'second question', 'msg_b');
    expect(b.id).toBe('msg_b');
    const answerB = await respond(client);
    expect(answerB.text).toBe('Echo: second question');

    // A bare response.create answers the end of the conversation, which is why Retry must say which message.
    const bare = await respond(client);
    expect(bare.text).toBe('Echo: second question');

    const retry = await respond(client, { input: [{ type: 'item_reference', id: 'msg_a' }] });
    expect(retry.text).toBe('Echo: first question');
    expect(retry.response).toMatchObject({ status: 'completed', conversation_id: 'conv_sim1' });
    // conversation "auto" (the default): the reply is added to the default conversation, at its end.
    const replyId = retry.response.output[0]?.id ?? '';
    const added = retry.events.find((e) => e.type === 'conversation.item.added');
    expect(added).toMatchObject({
      previous_item_id: bare.response.output[0]?.id,
      item: { id: replyId, role: 'assistant' },
    });
    expect(retry.events.find((e) => e.type === 'conversation.item.done')).toMatchObject({
      item: { id: replyId, status: 'completed' },
    });
    expect(await retrieve(client, replyId)).toMatchObject({
      type: 'conversation.item.retrieved',
      item: { id: replyId, content: [{ type: 'output_text', text: 'Echo: first question' }] },
    });
    expectAllValid(sim()?.emitted ?? []);
  });

  test('the order of input decides: the last user message in it is the one answered', async () => {
    const client = await connect();
    await typeText(client, 'alpha', 'msg_1');
    await typeText(client, 'beta', 'msg_2');
    const ref = (id: string): Record<string, string> => ({ type: 'item_reference', id });
    expect((await respond(client, { input: [ref('msg_2'), ref('msg_1')] })).text).toBe('Echo: alpha');
    expect((await respond(client, { input: [ref('msg_1'), ref('msg_2')] })).text).toBe('Echo: beta');
  });

  test("a referenced audio turn is answered from that turn's own audio", async () => {
    const client = await connect();
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(1200) });
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.waitFor('input_audio_buffer.committed');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(3000) });
    client.send({ type: 'input_audio_buffer.commit' });
    await client.waitFor((e) => e.type === 'input_audio_buffer.committed' && e.item_id !== committed.item_id);

    expect((await respond(client)).text).toBe('I heard 3.0 seconds of audio.');
    const retry = await respond(client, { input: [{ type: 'item_reference', id: committed.item_id }] });
    expect(retry.text).toBe('I heard 1.2 seconds of audio.');
  });

  test('a reference to an unknown item is an error naming it, echoing event_id, and no response starts', async () => {
    const client = await connect();
    await typeText(client, 'hello', 'msg_a');
    const from = client.events.length;
    client.send({
      type: 'response.create',
      event_id: 'evt_retry_1',
      response: {
        input: [
          { type: 'item_reference', id: 'msg_a' },
          { type: 'item_reference', id: 'msg_gone' },
        ],
      },
    });
    const error = await client.waitFor('error', from);
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_value',
      message:
        "Invalid 'response.input[1].id': the item with id 'msg_gone' does not exist in the conversation.",
      param: 'response.input[1].id',
      event_id: 'evt_retry_1',
    });
    // The socket goes on: a well-formed response.create right after works, and was the only response.
    expect((await respond(client)).text).toBe('Echo: hello');
    expect(client.types(from).filter((t) => t === 'response.created')).toHaveLength(1);
    expectAllValid(sim()?.emitted ?? []);
  });

  test('a reference to a deleted item is an error too', async () => {
    const client = await connect();
    await typeText(client, 'forget me', 'msg_a');
    client.send({ type: 'conversation.item.delete', item_id: 'msg_a' });
    await client.waitFor('conversation.item.deleted');
    const from = client.events.length;
    client.send({ type: 'response.create', response: { input: [{ type: 'item_reference', id: 'msg_a' }] } });
    const error = await client.waitFor('error', from);
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'response.input[0].id' });
    expect(client.types(from)).not.toContain('response.created');
  });
});

describe('input replaces the default conversation as the context', () => {
  test('input: [] is an empty context: a reply to nothing, and fewer input tokens than the full conversation', async () => {
    const client = await connect();
    await typeText(client, 'a long message that costs some input tokens to read back', 'msg_a');
    const full = await respond(client);
    const empty = await respond(client, { input: [] });
    expect(empty.text).toBe('Hello! How can I help?');
    expect(empty.response.usage?.input_tokens).toBeLessThan(full.response.usage?.input_tokens ?? 0);
  });

  test('inline items are the context but are not added to the conversation', async () => {
    const client = await connect();
    await typeText(client, 'in the conversation', 'msg_a');
    const inline = await respond(client, {
      input: [
        { type: 'item_reference', id: 'msg_a' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'only for this reply' }] },
      ],
    });
    expect(inline.text).toBe('Echo: only for this reply');
    // Only the reply was added, not the inline message.
    const added = inline.events
      .filter((e) => e.type === 'conversation.item.added')
      .map((e) => e.item as Item);
    expect(added.map((i) => i.role)).toEqual(['assistant']);
    // The default conversation still ends with the typed message's answer as its last user turn.
    expect((await respond(client)).text).toBe('Echo: in the conversation');
  });

  test('an inline audio message is answered from its own audio', async () => {
    const client = await connect();
    const reply = await respond(client, {
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_audio', audio: pcmBase64(1500) }] }],
    });
    expect(reply.text).toBe('I heard 1.5 seconds of audio.');
  });

  test('per-response instructions still apply to a response with input', async () => {
    const client = await connect();
    await typeText(client, 'hi', 'msg_a');
    const reply = await respond(client, {
      instructions: 'Be brief.',
      input: [{ type: 'item_reference', id: 'msg_a' }],
    });
    expect(reply.text).toBe('Echo: hi [instructions: Be brief.]');
  });
});

describe('conversation: "none" (out-of-band)', () => {
  test('the output reaches the client but never the conversation; conversation_id is null and metadata echoed', async () => {
    const client = await connect();
    await typeText(client, 'keep this', 'msg_a');
    const oob = await respond(client, {
      conversation: 'none',
      metadata: { purpose: 'retry-probe' },
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'side question' }] }],
    });
    expect(oob.text).toBe('Echo: side question');
    expect(oob.response).toMatchObject({
      status: 'completed',
      conversation_id: null,
      metadata: { purpose: 'retry-probe' },
    });
    expect(oob.events.map((e) => e.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    const outputId = oob.response.output[0]?.id ?? '';
    expect((await retrieve(client, outputId)).error).toMatchObject({ code: 'item_retrieve_invalid_item_id' });
    // Nor can a later response refer to it.
    const from = client.events.length;
    client.send({ type: 'response.create', response: { input: [{ type: 'item_reference', id: outputId }] } });
    expect((await client.waitFor('error', from)).error).toMatchObject({ param: 'response.input[0].id' });
    // An in-band response after it is appended right after the typed message.
    const next = await respond(client);
    expect(next.text).toBe('Echo: keep this');
    expect(next.events.find((e) => e.type === 'conversation.item.added')?.previous_item_id).toBe('msg_a');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('without input, an out-of-band response reads the default conversation', async () => {
    const client = await connect();
    await typeText(client, 'summarise me', 'msg_a');
    expect((await respond(client, { conversation: 'none' })).text).toBe('Echo: summarise me');
  });

  test('an out-of-band response runs beside the in-band one; only in-band ones are one at a time', async () => {
    const client = await connect({ audioPacing: 'realtime' });
    await typeText(client, 'talk for a while', 'msg_a');
    client.send({ type: 'response.create', response: { output_modalities: ['audio'] } });
    const created = await client.waitFor('response.created');
    const inBandId = (created.response as Response).id;

    const oob = await respond(client, { conversation: 'none' });
    expect(oob.response.status).toBe('completed');
    expect(oob.response.id).not.toBe(inBandId);

    const from = client.events.length;
    client.send({ type: 'response.create' });
    expect((await client.waitFor('error', from)).error).toMatchObject({
      code: 'conversation_already_has_active_response',
      message: expect.stringContaining(inBandId),
    });
    const inBandDone = await client.waitFor(
      (e) => e.type === 'response.done' && (e.response as Response).id === inBandId,
    );
    expect((inBandDone.response as Response).status).toBe('completed');
    expect(client.types().filter((t) => t === 'error')).toHaveLength(1);
  });

  test('response.cancel with an out-of-band response id cancels that one', async () => {
    const client = await connect({ audioPacing: 'realtime' });
    await typeText(client, 'please talk for quite a while now', 'msg_a');
    await client.waitFor('conversation.item.done');
    const from = client.events.length;
    client.send({
      type: 'response.create',
      response: { conversation: 'none', output_modalities: ['audio'] },
    });
    const created = await client.waitFor('response.created');
    const id = (created.response as Response).id;
    await client.waitFor('response.output_audio.delta');
    client.send({ type: 'response.cancel', response_id: id });
    const done = await client.waitFor('response.done');
    expect(done.response).toMatchObject({ id, status: 'cancelled', conversation_id: null });
    // Its cut-short item is closed for the client only.
    expect(client.events.find((e) => e.type === 'response.output_item.done')?.item).toMatchObject({
      status: 'incomplete',
    });
    expect(client.types(from)).not.toContain('conversation.item.done');
    expect(client.types(from)).not.toContain('conversation.item.added');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('a conversation other than auto or none is refused', async () => {
    const client = await connect();
    client.send({ type: 'response.create', event_id: 'evt_c', response: { conversation: 'conv_other' } });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({
      code: 'invalid_value',
      message: "Invalid value: 'conv_other'. Supported values are: 'auto' and 'none'.",
      param: 'response.conversation',
      event_id: 'evt_c',
    });
    expect(client.types()).not.toContain('response.created');
  });
});

describe('client item ids', () => {
  test('an item keeps the id the client gave it, everywhere the server names it', async () => {
    const client = await connect();
    const item = await typeText(client, 'named', 'msg_client_1');
    expect(item.id).toBe('msg_client_1');
    expect((await client.waitFor('conversation.item.done')).item).toMatchObject({ id: 'msg_client_1' });
    expect(await retrieve(client, 'msg_client_1')).toMatchObject({ item: { id: 'msg_client_1' } });
    // previous_item_id can name it too.
    client.send({
      type: 'conversation.item.create',
      previous_item_id: 'msg_client_1',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'after' }] },
    });
    const next = await client.waitFor(
      (e) => e.type === 'conversation.item.added' && (e.item as Item).id !== 'msg_client_1',
    );
    expect(next.previous_item_id).toBe('msg_client_1');
  });

  test('a duplicate id is refused with the event_id and the first item stays as it was', async () => {
    const client = await connect();
    await typeText(client, 'original', 'msg_a');
    const from = client.events.length;
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_dup',
      item: { id: 'msg_a', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'copy' }] },
    });
    expect((await client.waitFor('error', from)).error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_value',
      message: "Item with id 'msg_a' already exists.",
      param: 'item.id',
      event_id: 'evt_dup',
    });
    expect(client.types(from)).not.toContain('conversation.item.added');
    expect((await respond(client, { input: [{ type: 'item_reference', id: 'msg_a' }] })).text).toBe(
      'Echo: original',
    );
  });

  test('an id over 32 characters is refused, as the live service does', async () => {
    const client = await connect();
    const id = `msg_${'0123456789abcdef'.repeat(2)}`; // 36 characters, like a UUID
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_long',
      item: { id, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] },
    });
    expect((await client.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'string_above_max_length',
      message:
        "Invalid 'item.id': string too long. Expected a string with maximum length 32, but got a string with length 36 instead.",
      param: 'item.id',
      event_id: 'evt_long',
    });
    expect(client.types()).not.toContain('conversation.item.added');
  });
});
