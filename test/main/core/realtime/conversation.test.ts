import { describe, expect, it } from 'vitest';
import {
  initialConversation,
  reduceConversation,
  type ConversationState,
} from '../../../../src/main/core/realtime/conversation';
import { parseServerEvent } from '../../../../src/main/core/realtime/events';

/** Folds wire events through the real parser, as the app does. */
function fold(
  events: Array<Record<string, unknown>>,
  from: ConversationState = initialConversation(),
): ConversationState {
  return events.reduce((state, raw) => {
    const parsed = parseServerEvent(JSON.stringify(raw));
    if (parsed.kind !== 'event') throw new Error(`test event did not parse: ${JSON.stringify(raw)}`);
    return reduceConversation(state, parsed.event);
  }, from);
}

/** base64 of n zero bytes. */
function audio(bytes: number): string {
  return Buffer.alloc(bytes).toString('base64');
}

const R = 'resp_1';
const A = 'item_a';
const part = { response_id: R, item_id: A, output_index: 0, content_index: 0 };

/** The assistant's item as the server describes it when added and when done (stringified per event). */
const itemAdded = { id: A, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
const itemDone = {
  id: A,
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_audio', transcript: 'Hello there.' }],
};

/** A complete GA voice reply: output item, audio part, transcript and audio deltas, done. */
const voiceReply = [
  { type: 'response.created', response: { id: R, status: 'in_progress', output: [] } },
  {
    type: 'response.output_item.added',
    response_id: R,
    output_index: 0,
    item: itemAdded,
  },
  {
    type: 'conversation.item.added',
    previous_item_id: 'item_u',
    item: itemAdded,
  },
  { type: 'response.content_part.added', ...part, part: { type: 'output_audio', transcript: '' } },
  { type: 'response.output_audio_transcript.delta', ...part, delta: 'Hello ' },
  { type: 'response.output_audio.delta', ...part, delta: audio(4800) },
  { type: 'response.output_audio_transcript.delta', ...part, delta: 'there' },
  { type: 'response.output_audio.delta', ...part, delta: audio(2400) },
  { type: 'response.output_audio.done', ...part },
  { type: 'response.output_audio_transcript.done', ...part, transcript: 'Hello there.' },
  { type: 'response.content_part.done', ...part, part: { type: 'output_audio', transcript: 'Hello there.' } },
  {
    type: 'response.output_item.done',
    response_id: R,
    output_index: 0,
    item: itemDone,
  },
  {
    type: 'conversation.item.done',
    previous_item_id: 'item_u',
    item: itemDone,
  },
  {
    type: 'response.done',
    response: {
      id: R,
      status: 'completed',
      output: [],
      usage: { total_tokens: 10, input_tokens: 4, output_tokens: 6 },
    },
  },
];

describe('reduceConversation', () => {
  it('starts empty', () => {
    expect(initialConversation()).toEqual({
      items: [],
      activeResponseId: null,
      lastResponse: null,
      session: null,
      usage: null,
      rateLimits: [],
      lastError: null,
    });
  });

  it('follows a voice reply: transcript, audio bytes and milliseconds, final status, usage', () => {
    const s = fold(voiceReply);
    expect(s.items).toHaveLength(1);
    const item = s.items[0]!;
    expect(item).toMatchObject({
      id: A,
      role: 'assistant',
      type: 'message',
      status: 'completed',
      responseId: R,
    });
    expect(item.parts).toHaveLength(1);
    expect(item.parts[0]).toMatchObject({
      index: 0,
      type: 'output_audio',
      transcript: 'Hello there.',
      audioBytes: 7200,
      audioMs: 150, // PCM16 24 kHz: 48 bytes per ms
      done: true,
    });
    expect(s.activeResponseId).toBeNull();
    expect(s.lastResponse).toEqual({ id: R, status: 'completed', statusDetails: null });
    expect(s.usage).toEqual({ total_tokens: 10, input_tokens: 4, output_tokens: 6 });
  });

  it('never stores the audio itself', () => {
    const s = fold(voiceReply);
    expect(JSON.stringify(s)).not.toContain(audio(4800).slice(0, 40));
  });

  it('marks a response active from response.created until its response.done', () => {
    const created = fold(voiceReply.slice(0, 1));
    expect(created.activeResponseId).toBe(R);
    const mid = fold(voiceReply.slice(0, 6));
    expect(mid.activeResponseId).toBe(R);
    expect(fold(voiceReply).activeResponseId).toBeNull();
  });

  it('keeps the active response when a response.done for another id arrives', () => {
    const s = fold([
      { type: 'response.created', response: { id: 'resp_2' } },
      { type: 'response.done', response: { id: 'resp_old', status: 'cancelled' } },
    ]);
    expect(s.activeResponseId).toBe('resp_2');
  });

  it('keeps a failed response and its reason', () => {
    const s = fold([
      { type: 'response.created', response: { id: R } },
      {
        type: 'response.done',
        response: {
          id: R,
          status: 'failed',
          status_details: { type: 'failed', error: { type: 'server_error', code: null } },
        },
      },
    ]);
    expect(s.lastResponse).toEqual({
      id: R,
      status: 'failed',
      statusDetails: { type: 'failed', error: { type: 'server_error', code: null } },
    });
    expect(s.activeResponseId).toBeNull();
  });

  it('appends text deltas per item and content index, and the done text wins', () => {
    const s = fold([
      { type: 'response.content_part.added', ...part, part: { type: 'output_text', text: '' } },
      { type: 'response.output_text.delta', ...part, delta: 'Sure, ' },
      { type: 'response.output_text.delta', ...part, content_index: 1, delta: 'second part' },
      { type: 'response.output_text.delta', ...part, delta: 'I can' },
    ]);
    expect(s.items[0]!.parts.map((p) => [p.index, p.type, p.text])).toEqual([
      [0, 'output_text', 'Sure, I can'],
      [1, 'output_text', 'second part'],
    ]);
    const done = fold([{ type: 'response.output_text.done', ...part, text: 'Sure, I can help.' }], s);
    expect(done.items[0]!.parts[0]!.text).toBe('Sure, I can help.');
  });

  it('creates the assistant item when deltas arrive before the item was announced', () => {
    const s = fold([{ type: 'response.output_text.delta', ...part, delta: 'Hi' }]);
    expect(s.items[0]).toMatchObject({ id: A, role: 'assistant', responseId: R });
    expect(s.items[0]!.parts[0]).toMatchObject({ type: 'output_text', text: 'Hi' });
  });

  it('counts G.711 audio at 8 bytes per millisecond once the session says so', () => {
    const s = fold([
      { type: 'session.updated', session: { audio: { output: { format: { type: 'audio/pcmu' } } } } },
      { type: 'response.output_audio.delta', ...part, delta: audio(800) },
    ]);
    expect(s.items[0]!.parts[0]).toMatchObject({ audioBytes: 800, audioMs: 100 });
  });

  it('orders items by previous_item_id and appends when the predecessor is unknown', () => {
    const msg = (id: string, role = 'user') => ({ id, type: 'message', role, content: [] });
    const s = fold([
      { type: 'conversation.item.added', previous_item_id: null, item: msg('i1') },
      { type: 'conversation.item.added', previous_item_id: 'i1', item: msg('i3') },
      { type: 'conversation.item.created', previous_item_id: 'i1', item: msg('i2') },
      { type: 'conversation.item.added', previous_item_id: 'nope', item: msg('i4') },
    ]);
    expect(s.items.map((i) => i.id)).toEqual(['i1', 'i2', 'i3', 'i4']);
  });

  it('records the user transcript of input audio (delta, completed) and a failed transcription', () => {
    const u = { item_id: 'item_u', content_index: 0 };
    const s = fold([
      { type: 'input_audio_buffer.committed', previous_item_id: null, item_id: 'item_u' },
      {
        type: 'conversation.item.added',
        previous_item_id: null,
        item: {
          id: 'item_u',
          type: 'message',
          role: 'user',
          status: 'completed',
          content: [{ type: 'input_audio', transcript: null }],
        },
      },
      { type: 'conversation.item.input_audio_transcription.delta', ...u, delta: 'What is ' },
      { type: 'conversation.item.input_audio_transcription.delta', ...u, delta: 'the time' },
    ]);
    expect(s.items).toHaveLength(1);
    expect(s.items[0]!.parts[0]).toMatchObject({ type: 'input_audio', transcript: 'What is the time' });
    const done = fold(
      [
        {
          type: 'conversation.item.input_audio_transcription.completed',
          ...u,
          transcript: 'What is the time?',
        },
      ],
      s,
    );
    expect(done.items[0]!.parts[0]!.transcript).toBe('What is the time?');
    const failed = fold(
      [
        {
          type: 'conversation.item.input_audio_transcription.failed',
          ...u,
          error: { message: 'The audio could not be transcribed.' },
        },
      ],
      s,
    );
    expect(failed.items[0]!.parts[0]!.transcriptionError).toBe('The audio could not be transcribed.');
  });

  it('removes deleted items', () => {
    const s = fold([...voiceReply, { type: 'conversation.item.deleted', item_id: A }]);
    expect(s.items).toEqual([]);
  });

  it('records a truncation and drops the transcript the user never heard', () => {
    const s = fold([
      ...voiceReply,
      { type: 'conversation.item.truncated', item_id: A, content_index: 0, audio_end_ms: 80 },
    ]);
    expect(s.items[0]!.parts[0]).toMatchObject({ truncatedAtMs: 80, transcript: '', audioBytes: 7200 });
    // A later snapshot of the item does not bring the unheard words back.
    const again = fold(
      [
        {
          type: 'conversation.item.done',
          item: {
            id: A,
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_audio', transcript: 'Hello there.' }],
          },
        },
      ],
      s,
    );
    expect(again.items[0]!.parts[0]!.transcript).toBe('');
  });

  it('remembers the session instructions, voice and output modalities', () => {
    const s = fold([
      {
        type: 'session.created',
        session: {
          id: 'sess_1',
          model: 'gpt-realtime',
          instructions: 'Be brief.',
          output_modalities: ['audio'],
          audio: { output: { voice: 'marin', format: { type: 'audio/pcm', rate: 24000 } } },
        },
      },
    ]);
    expect(s.session).toEqual({
      id: 'sess_1',
      model: 'gpt-realtime',
      instructions: 'Be brief.',
      voice: 'marin',
      outputModalities: ['audio'],
      outputFormat: { type: 'audio/pcm', rate: 24000 },
      expiresAt: null,
    });
    const updated = fold(
      [
        {
          type: 'session.updated',
          session: {
            instructions: 'Be verbose.',
            output_modalities: ['text'],
            audio: { output: { voice: { id: 'voice_custom' } } },
          },
        },
      ],
      s,
    );
    expect(updated.session).toMatchObject({
      instructions: 'Be verbose.',
      voice: 'voice_custom',
      outputModalities: ['text'],
    });
  });

  it('starts over on session.created: a new session has an empty conversation', () => {
    const before = fold(voiceReply);
    const after = fold([{ type: 'session.created', session: { id: 'sess_2', instructions: 'Hi.' } }], before);
    expect(after.items).toEqual([]);
    expect(after.usage).toBeNull();
    expect(after.session).toMatchObject({ id: 'sess_2', instructions: 'Hi.' });
    expect(before.items).toHaveLength(1);
  });

  it('collects function call arguments by item', () => {
    const fc = { response_id: R, item_id: 'fc_1', output_index: 0, call_id: 'call_1' };
    const s = fold([
      {
        type: 'response.output_item.added',
        response_id: R,
        output_index: 0,
        item: {
          id: 'fc_1',
          type: 'function_call',
          status: 'in_progress',
          name: 'get_time',
          call_id: 'call_1',
          arguments: '',
        },
      },
      { type: 'response.function_call_arguments.delta', ...fc, delta: '{"tz":' },
      { type: 'response.function_call_arguments.delta', ...fc, delta: '"UTC"}' },
    ]);
    expect(s.items[0]).toMatchObject({
      type: 'function_call',
      name: 'get_time',
      callId: 'call_1',
      arguments: '{"tz":"UTC"}',
    });
    const done = fold(
      [{ type: 'response.function_call_arguments.done', ...fc, name: 'get_time', arguments: '{"tz":"UTC"}' }],
      s,
    );
    expect(done.items[0]!.arguments).toBe('{"tz":"UTC"}');
  });

  it('keeps the latest rate limits and the latest server error', () => {
    const s = fold([
      {
        type: 'rate_limits.updated',
        rate_limits: [{ name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 }],
      },
      {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'input_audio_buffer_commit_empty',
          message: 'buffer too small',
          param: null,
          event_id: 'evt_9',
        },
      },
    ]);
    expect(s.rateLimits).toEqual([{ name: 'requests', limit: 1000, remaining: 999, resetSeconds: 60 }]);
    expect(s.lastError).toEqual({
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message: 'buffer too small',
      param: null,
      eventId: 'evt_9',
    });
  });

  it('returns the same state object for events it does not track', () => {
    const s = fold(voiceReply);
    for (const raw of [
      { type: 'input_audio_buffer.speech_started', audio_start_ms: 10, item_id: 'x' },
      { type: 'input_audio_buffer.cleared' },
      { type: 'output_audio_buffer.started', response_id: R },
      { type: 'mcp_list_tools.completed', item_id: 'm' },
      { type: 'conversation.item.deleted', item_id: 'not-there' },
    ]) {
      expect(fold([raw], s)).toBe(s);
    }
  });

  it('never mutates the previous state', () => {
    const before = fold(voiceReply.slice(0, 5));
    const snapshot = JSON.parse(JSON.stringify(before)) as unknown;
    fold(voiceReply.slice(5), before);
    fold([{ type: 'conversation.item.deleted', item_id: A }], before);
    expect(before).toEqual(snapshot);
  });
});
