import { describe, expect, test } from 'vitest';
import fixture from '../../../fixtures/realtime/spec-examples-ga.json';
import {
  CLIENT_EVENT_TYPES,
  SERVER_EVENT_TYPES,
  validateClientEvent,
  validateServerEvent,
} from '../../../../src/main/core/simulator/validate';

type Examples = Record<string, Record<string, unknown>>;
const examples = (fixture as { examples: Examples }).examples;

/** Strict-JSON examples of the given direction (raw-string examples with comments are left out). */
function strictExamples(prefix: string, known: readonly string[]): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [type, byName] of Object.entries(examples)) {
    if (!known.includes(type)) continue;
    for (const [name, example] of Object.entries(byName)) {
      if (!name.startsWith(prefix)) continue;
      if (typeof example === 'object' && example !== null && '_raw_example_not_strict_json' in example)
        continue;
      out.push([type, example]);
    }
  }
  return out;
}

const clientExamples = strictExamples('RealtimeClientEvent', CLIENT_EVENT_TYPES);
const serverExamples = strictExamples('RealtimeServerEvent', SERVER_EVENT_TYPES);

// Two official examples still use beta content types inside GA items; the GA schema (and GA servers) use
// output_text / output_audio, so these examples contradict their own schema.
const STALE_SERVER_EXAMPLES: Record<string, string> = {
  'conversation.item.retrieved': 'item.content[0].type',
  'response.output_item.done': 'item.content[0].type',
};

describe('official GA examples', () => {
  test('the fixture holds examples for most event types', () => {
    expect(clientExamples.length).toBeGreaterThanOrEqual(9);
    expect(serverExamples.length).toBeGreaterThanOrEqual(35);
  });

  test.each(clientExamples)('client example %s is accepted', (_type, example) => {
    expect(validateClientEvent(example)).toEqual({ ok: true });
  });

  test.each(serverExamples.filter(([t]) => !(t in STALE_SERVER_EXAMPLES)))(
    'server example %s is accepted by the lenient reader',
    (_type, example) => {
      expect(validateServerEvent(example)).toEqual({ ok: true });
    },
  );

  test.each(Object.entries(STALE_SERVER_EXAMPLES))(
    'server example %s is rejected for its stale beta content type',
    (type, param) => {
      const example = serverExamples.find(([t]) => t === type)?.[1];
      expect(validateServerEvent(example)).toMatchObject({ ok: false, code: 'invalid_value', param });
    },
  );

  test('strict server validation flags fields the spec does not list, like obfuscation', () => {
    const example = serverExamples.find(
      ([t]) => t === 'conversation.item.input_audio_transcription.delta',
    )?.[1];
    expect(validateServerEvent(example)).toEqual({ ok: true });
    expect(validateServerEvent(example, { strict: true })).toMatchObject({
      ok: false,
      code: 'unknown_parameter',
      param: 'obfuscation',
    });
  });

  test('the lenient reader accepts null for absent optional fields, as real servers send them', () => {
    const done = {
      type: 'response.done',
      event_id: 'event_1',
      response: { id: 'resp_1', object: 'realtime.response', status: 'completed', status_details: null },
    };
    expect(validateServerEvent(done)).toEqual({ ok: true });
    expect(validateServerEvent(done, { strict: true })).toMatchObject({
      ok: false,
      param: 'response.status_details',
    });
  });
});

describe('beta shapes are refused like the GA server refuses them', () => {
  test('session.modalities is an unknown parameter', () => {
    const result = validateClientEvent({
      type: 'session.update',
      session: { type: 'realtime', modalities: ['text', 'audio'] },
    });
    expect(result).toEqual({
      ok: false,
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.modalities'.",
      param: 'session.modalities',
    });
  });

  test('session.input_audio_format is an unknown parameter', () => {
    expect(
      validateClientEvent({
        type: 'session.update',
        session: { type: 'realtime', input_audio_format: 'pcm16' },
      }),
    ).toMatchObject({ ok: false, code: 'unknown_parameter', param: 'session.input_audio_format' });
  });

  test('session.turn_detection at the top level is an unknown parameter', () => {
    expect(
      validateClientEvent({ type: 'session.update', session: { type: 'realtime', turn_detection: null } }),
    ).toMatchObject({ ok: false, code: 'unknown_parameter', param: 'session.turn_detection' });
  });

  test('response.modalities is an unknown parameter', () => {
    expect(validateClientEvent({ type: 'response.create', response: { modalities: ['text'] } })).toEqual({
      ok: false,
      code: 'unknown_parameter',
      message: "Unknown parameter: 'response.modalities'.",
      param: 'response.modalities',
    });
  });

  test('a session.update without session.type names the missing parameter', () => {
    expect(validateClientEvent({ type: 'session.update', session: { instructions: 'hi' } })).toMatchObject({
      ok: false,
      code: 'missing_required_parameter',
      param: 'session.type',
    });
  });
});

describe('wrong values', () => {
  test('an unsupported output modality is an invalid value naming the supported ones', () => {
    expect(
      validateClientEvent({ type: 'response.create', response: { output_modalities: ['video'] } }),
    ).toEqual({
      ok: false,
      code: 'invalid_value',
      message: "Invalid value: 'video'. Supported values are: 'text' and 'audio'.",
      param: 'response.output_modalities[0]',
    });
  });

  test('an unknown audio format type is an invalid value', () => {
    const result = validateClientEvent({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { format: { type: 'audio/mp3' } } } },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid_value',
      param: 'session.audio.input.format.type',
    });
  });

  test('a wrong field type is reported in plain words', () => {
    expect(validateClientEvent({ type: 'response.create', response: { instructions: 42 } })).toEqual({
      ok: false,
      code: 'invalid_value',
      message: "Invalid type for 'response.instructions': expected a string, but got an integer instead.",
      param: 'response.instructions',
    });
  });

  test('an unknown event type is an invalid value of type', () => {
    expect(validateClientEvent({ type: 'response.text.delta' })).toMatchObject({
      ok: false,
      code: 'invalid_value',
      param: 'type',
    });
  });

  test('an event without type is an invalid event', () => {
    expect(validateClientEvent({ item_id: 'x' })).toEqual({
      ok: false,
      code: 'invalid_event',
      message: "The 'type' field is missing.",
    });
    expect(validateClientEvent('hello')).toMatchObject({ ok: false, code: 'invalid_event' });
  });

  test('a user message item with an assistant-only content type is refused', () => {
    const result = validateClientEvent({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'output_text', text: 'hi' }] },
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid_value', param: 'item.content[0].type' });
  });

  test('an unknown role is an invalid value', () => {
    const result = validateClientEvent({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'robot', content: [] },
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid_value', param: 'item.role' });
  });

  test('the GA push-to-talk session.update is accepted', () => {
    const result = validateClientEvent({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'Be brief.',
        output_modalities: ['audio'],
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
        },
      },
    });
    expect(result).toEqual({ ok: true });
  });
});

describe('response.create input (item references)', () => {
  test("the spec's own out-of-band example (item_reference plus an inline message) is accepted", () => {
    // RealtimeClientEventResponseCreate's x-oaiMeta example, without its comment and trailing commas.
    const example = {
      type: 'response.create',
      response: {
        instructions: 'Provide a concise answer.',
        tools: [],
        conversation: 'none',
        output_modalities: ['text'],
        metadata: { response_purpose: 'summarization' },
        input: [
          { type: 'item_reference', id: 'item_12345' },
          {
            type: 'message',
            role: 'user',
            content: [{ type: 'input_text', text: 'Summarize the above message in one sentence.' }],
          },
        ],
      },
    };
    expect(validateClientEvent(example)).toEqual({ ok: true });
    expect(validateClientEvent({ type: 'response.create', response: { input: [] } })).toEqual({ ok: true });
  });

  test('an item reference needs its id, takes nothing else, and the id is a string', () => {
    expect(
      validateClientEvent({ type: 'response.create', response: { input: [{ type: 'item_reference' }] } }),
    ).toEqual({
      ok: false,
      code: 'missing_required_parameter',
      message: "Missing required parameter: 'response.input[0].id'.",
      param: 'response.input[0].id',
    });
    expect(
      validateClientEvent({
        type: 'response.create',
        response: { input: [{ type: 'item_reference', id: 'a', role: 'user' }] },
      }),
    ).toMatchObject({ ok: false, code: 'unknown_parameter', param: 'response.input[0].role' });
    expect(
      validateClientEvent({
        type: 'response.create',
        response: { input: [{ type: 'item_reference', id: 7 }] },
      }),
    ).toMatchObject({ ok: false, code: 'invalid_value', param: 'response.input[0].id' });
  });

  test('inline input items are checked like conversation items', () => {
    expect(
      validateClientEvent({
        type: 'response.create',
        response: {
          input: [{ type: 'message', role: 'user', content: [{ type: 'output_text', text: 'x' }] }],
        },
      }),
    ).toMatchObject({ ok: false, code: 'invalid_value', param: 'response.input[0].content[0].type' });
  });

  test('an item reference is not a conversation item (conversation.item.create refuses it)', () => {
    expect(
      validateClientEvent({ type: 'conversation.item.create', item: { type: 'item_reference', id: 'a' } }),
    ).toMatchObject({ ok: false, code: 'invalid_value', param: 'item.type' });
  });

  test('an out-of-band response.done with conversation_id null passes the strict check', () => {
    const done = {
      type: 'response.done',
      event_id: 'event_1',
      response: {
        object: 'realtime.response',
        id: 'resp_1',
        status: 'completed',
        output: [],
        conversation_id: null,
        metadata: null,
      },
    };
    expect(validateServerEvent(done, { strict: true })).toEqual({ ok: true });
  });
});
