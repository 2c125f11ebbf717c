import { describe, expect, test } from 'vitest';
import { base64ToSamples, DEFAULT_INSTRUCTIONS, replyAudio } from '../../../../src/main/core/simulator';
import { expectAllValid, pcmBase64, useSimulator, type TestClient, type Ev } from './client';

const { connect, sim } = useSimulator({ audioPacing: 'fast', textDeltaMs: 0 });

function typeText(client: TestClient, text: string): void {
  client.send({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
}

function responseText(events: Ev[]): string {
  return events
    .filter(
      (e) => e.type === 'response.output_text.delta' || e.type === 'response.output_audio_transcript.delta',
    )
    .map((e) => e.delta as string)
    .join('');
}

describe('session', () => {
  test('session.created reports a GA realtime session with pcm 24 kHz, server VAD and the default persona', async () => {
    const client = await connect();
    const created = client.events[0] as Ev & { session: Record<string, unknown> };
    expect(created.type).toBe('session.created');
    expect(created.session).toMatchObject({
      type: 'realtime',
      model: 'gpt-realtime',
      instructions: DEFAULT_INSTRUCTIONS,
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' },
      },
    });
    expectAllValid(sim()?.emitted ?? []);
  });

  test('session.update merges and answers with the full effective session', async () => {
    const client = await connect();
    client.send({
      type: 'session.update',
      session: { type: 'realtime', instructions: 'Be brief.', audio: { input: { turn_detection: null } } },
    });
    const updated = (await client.waitFor('session.updated')) as Ev & { session: Record<string, unknown> };
    expect(updated.session).toMatchObject({
      instructions: 'Be brief.',
      audio: {
        input: { turn_detection: null, format: { type: 'audio/pcm', rate: 24000 } },
        output: { voice: 'alloy' },
      },
    });
    expectAllValid(sim()?.emitted ?? []);
  });
});

describe('a typed turn', () => {
  test('answers in text with the full GA event order and an echo of the user text', async () => {
    const client = await connect();
    typeText(client, 'hello there friend');
    client.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    const done = await client.waitFor('response.done');
    expect(client.types(1)).toEqual([
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    expect(responseText(client.events)).toBe('Echo: hello there friend');
    expect(client.events.find((e) => e.type === 'response.content_part.added')?.part).toEqual({
      type: 'text',
      text: '',
    });
    const response = done.response as Record<string, unknown>;
    expect(response.status).toBe('completed');
    expect(response.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
    });
    expect((response.usage as { total_tokens: number }).total_tokens).toBeGreaterThan(0);
    expectAllValid(sim()?.emitted ?? []);
  });

  test('per-response instructions are visible in the reply', async () => {
    const client = await connect();
    typeText(client, 'hi');
    client.send({
      type: 'response.create',
      response: { output_modalities: ['text'], instructions: 'Answer in one sentence.' },
    });
    await client.waitFor('response.done');
    expect(responseText(client.events)).toBe('Echo: hi [instructions: Answer in one sentence.]');
  });

  test('empty per-response instructions produce the persona-less JSON nonsense of field report 1', async () => {
    const client = await connect();
    typeText(client, 'hi');
    client.send({ type: 'response.create', response: { output_modalities: ['text'], instructions: '' } });
    await client.waitFor('response.done');
    expect(responseText(client.events)).toBe('{"response": "Echo: hi"}');
  });

  test('without output_modalities the session default (audio) is used', async () => {
    const client = await connect();
    typeText(client, 'hi');
    client.send({ type: 'response.create' });
    await client.waitFor('response.done');
    expect(client.events.find((e) => e.type === 'response.content_part.added')?.part).toEqual({
      type: 'audio',
      transcript: '',
    });
    expect(client.types()).toContain('response.output_audio.delta');
  });
});

describe('an audio turn', () => {
  test('commit then response.create delivers the reply signal in 100 ms chunks with a matching transcript', async () => {
    const client = await connect({ audioPacing: 'realtime' });
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    for (let i = 0; i < 12; i++) client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(100) });
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.waitFor('input_audio_buffer.committed');
    const added = await client.waitFor((e) => e.type === 'conversation.item.added');
    expect((added.item as { id: string }).id).toBe(committed.item_id);
    expect((added.item as { content: unknown[] }).content).toEqual([{ type: 'input_audio' }]);
    // What the server "heard" is kept for audio tests.
    expect(sim()?.committedAudio).toEqual([
      expect.objectContaining({
        itemId: committed.item_id,
        ms: 1200,
        pcm: Buffer.concat(Array(12).fill(Buffer.from(pcmBase64(100), 'base64'))),
      }),
    ]);

    client.send({ type: 'response.create', response: { output_modalities: ['audio'] } });
    const done = await client.waitFor('response.done');

    const text = 'I heard 1.2 seconds of audio.';
    expect(responseText(client.events)).toBe(text);
    const transcriptDone = client.events.find((e) => e.type === 'response.output_audio_transcript.done');
    expect(transcriptDone?.transcript).toBe(text);
    const deltas = client.events.filter((e) => e.type === 'response.output_audio.delta');
    const chunks = deltas.map((e) => base64ToSamples(e.delta as string));
    expect(chunks.slice(0, -1).every((c) => c.length === 2400)).toBe(true);
    const received = Int16Array.from(chunks.flatMap((c) => Array.from(c)));
    expect(received).toEqual(replyAudio(text));
    expect(received.length / 24).toBe(6 * 180);

    // Paced in real time: the deltas cannot arrive faster than the audio plays (a lower bound only). The pacer
    // keeps to its timeline, so a late first delta is followed by slightly closer ones: allow that catch-up.
    const sent = (sim()?.emitted ?? []).filter((e) => e.event.type === 'response.output_audio.delta');
    const spanMs = (sent.at(-1)?.at ?? 0) - (sent[0]?.at ?? 0);
    expect(spanMs).toBeGreaterThanOrEqual((chunks.length - 1) * 100 - 60);

    expect(client.types().indexOf('response.output_audio.done')).toBeLessThan(
      client.types().indexOf('response.content_part.done'),
    );
    expect((done.response as { status: string }).status).toBe('completed');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('with input transcription on, the commit is followed by a transcript naming the audio length', async () => {
    const client = await connect();
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } } },
    });
    await client.waitFor('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(1200) });
    client.send({ type: 'input_audio_buffer.commit' });
    const transcript = await client.waitFor('conversation.item.input_audio_transcription.completed');
    expect(transcript.transcript).toBe('(1.2 s of audio)');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('committing under 100 ms is refused with input_audio_buffer_commit_empty', async () => {
    const client = await connect();
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(40) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_commit' });
    const error = await client.waitFor('error');
    expect(error.error).toEqual({
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message:
        'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 40.00ms of audio.',
      param: null,
      event_id: 'evt_commit',
    });
    expectAllValid(sim()?.emitted ?? []);
  });

  test('clear empties the buffer, so a following commit is refused', async () => {
    const client = await connect();
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(500) });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    client.send({ type: 'input_audio_buffer.commit' });
    const error = await client.waitFor('error');
    expect((error.error as { code: string }).code).toBe('input_audio_buffer_commit_empty');
  });

  test('audio that is not base64 is refused with invalid_value', async () => {
    const client = await connect();
    client.send({ type: 'input_audio_buffer.append', audio: 'not base64!' });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({ code: 'invalid_value', param: 'audio' });
  });
});

describe('one response at a time', () => {
  test('a second response.create while one is active gets conversation_already_has_active_response', async () => {
    const client = await connect({ audioPacing: 'realtime' });
    typeText(client, 'one');
    client.send({ type: 'response.create' });
    const created = await client.waitFor('response.created');
    const id = (created.response as { id: string }).id;
    client.send({ type: 'response.create' });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({
      code: 'conversation_already_has_active_response',
      message: `Conversation already has an active response in progress: ${id}. Wait until the response is finished before creating a new one.`,
    });
    await client.waitFor('response.done');
    expect(client.types().filter((t) => t === 'response.created')).toHaveLength(1);
  });

  test('response.cancel ends the active response with a cancelled response.done and no more deltas', async () => {
    const client = await connect({ audioPacing: 'realtime' });
    typeText(client, 'please talk for a while');
    client.send({ type: 'response.create' });
    await client.waitFor('response.output_audio.delta');
    client.send({ type: 'response.cancel' });
    const done = await client.waitFor('response.done');
    expect(done.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    const count = client.events.length;
    // A new turn works straight after the cancelled done.
    client.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    await client.waitFor('response.done', count);
    const afterCancel = client.types(count);
    expect(afterCancel).not.toContain('response.output_audio.delta');
    expect(afterCancel[0]).toBe('response.created');
    expectAllValid(sim()?.emitted ?? []);
  });

  test('response.cancel with nothing active is a harmless error', async () => {
    const client = await connect();
    client.send({ type: 'response.cancel' });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
    });
  });
});

describe('conversation items', () => {
  async function audioReply(client: TestClient): Promise<string> {
    typeText(client, 'hi');
    client.send({ type: 'response.create' });
    const done = await client.waitFor('response.done');
    return ((done.response as { output: Array<{ id: string }> }).output[0] as { id: string }).id;
  }

  test('truncating an assistant audio item is confirmed and recorded', async () => {
    const client = await connect();
    const itemId = await audioReply(client);
    client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 200 });
    const truncated = await client.waitFor('conversation.item.truncated');
    expect(truncated).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 200 });
    expect(sim()?.truncations).toEqual([
      expect.objectContaining({ itemId, contentIndex: 0, audioEndMs: 200, itemAudioMs: 360, clamped: false }),
    ]);
    expectAllValid(sim()?.emitted ?? []);
  });

  test('truncating beyond the audio is an error, and the item is clamped to its real end', async () => {
    const client = await connect();
    const itemId = await audioReply(client);
    const from = client.events.length;
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 5000,
    });
    const error = await client.waitFor('error', from);
    expect(error.error).toMatchObject({
      code: null,
      message: 'Audio content of 360ms is already shorter than 5000ms',
    });
    const truncated = await client.waitFor('conversation.item.truncated', from);
    expect(truncated.audio_end_ms).toBe(360);
    expect(sim()?.truncations[0]).toMatchObject({ clamped: true, audioEndMs: 5000 });
    expectAllValid(sim()?.emitted ?? []);
  });

  test('truncating an unknown item is an error', async () => {
    const client = await connect();
    client.send({
      type: 'conversation.item.truncate',
      item_id: 'item_nope',
      content_index: 0,
      audio_end_ms: 10,
    });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({ code: 'item_truncate_invalid_item_id', param: 'item_id' });
  });

  test('delete removes an item; deleting it again is an error', async () => {
    const client = await connect();
    typeText(client, 'forget me');
    const added = await client.waitFor('conversation.item.added');
    const id = (added.item as { id: string }).id;
    client.send({ type: 'conversation.item.delete', item_id: id });
    expect((await client.waitFor('conversation.item.deleted')).item_id).toBe(id);
    client.send({ type: 'conversation.item.delete', item_id: id });
    const error = await client.waitFor('error');
    expect(error.error).toMatchObject({ code: 'item_delete_invalid_item_id' });
    // With the typed item gone there is nothing to echo.
    client.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    await client.waitFor('response.done');
    expect(responseText(client.events)).toBe('Hello! How can I help?');
    expectAllValid(sim()?.emitted ?? []);
  });
});

describe('invalid client events', () => {
  test('are answered with the server error and the socket stays usable', async () => {
    const client = await connect();
    client.send({
      type: 'session.update',
      event_id: 'evt_1',
      session: { type: 'realtime', modalities: ['text'] },
    });
    const first = await client.waitFor('error');
    expect(first.error).toEqual({
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.modalities'.",
      param: 'session.modalities',
      event_id: 'evt_1',
    });
    client.ws.send('{not json');
    await client.waitFor((e) => e.type === 'error' && (e.error as { code: string }).code === 'invalid_json');
    client.send({ type: 'response.create', response: { output_modalities: ['text', 'video'] } });
    await client.waitFor((e) => e.type === 'error' && (e.error as { code: string }).code === 'invalid_value');
    expect(client.types()).not.toContain('session.updated');
    expect(client.types()).not.toContain('response.created');

    typeText(client, 'still here');
    client.send({ type: 'response.create', response: { output_modalities: ['text'] } });
    await client.waitFor('response.done');
    expect(responseText(client.events)).toBe('Echo: still here');
    expect(sim()?.received.map((r) => (typeof r.event === 'string' ? 'raw' : (r.event as Ev).type))).toEqual([
      'session.update',
      'raw',
      'response.create',
      'conversation.item.create',
      'response.create',
    ]);
    expectAllValid(sim()?.emitted ?? []);
  });
});
