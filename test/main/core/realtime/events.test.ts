import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GA_SERVER_EVENT_TYPES,
  HANDLED_SERVER_EVENT_TYPES,
  isKnownServerEventType,
  parseServerEvent,
} from '../../../../src/main/core/realtime/events';

/** The official GA example payloads (see test/fixtures/realtime/README.md for their source). */
const fixture = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../fixtures/realtime/spec-examples-ga.json', import.meta.url)),
    'utf8',
  ),
) as { examples: Record<string, Record<string, unknown>> };

/** Some examples are kept as raw text with trailing commas; this makes them JSON again. */
function exampleText(type: string): string | null {
  const wrapper = fixture.examples[type];
  if (!wrapper) return null;
  const example = Object.values(wrapper)[0] as Record<string, unknown>;
  const raw = example['_raw_example_not_strict_json'];
  if (typeof raw === 'string') return raw.replace(/,(\s*[}\]])/g, '$1');
  return JSON.stringify(example);
}

describe('parseServerEvent on the official GA examples', () => {
  // The DTMF example's type has a leading space in the spec (" input_audio_buffer.dtmf_event_received").
  const types = GA_SERVER_EVENT_TYPES.filter((t) => t !== 'input_audio_buffer.dtmf_event_received');

  it.each(types)('accepts the spec example of %s as a known event', (type) => {
    const text = exampleText(type);
    expect(text, `no example for ${type}`).not.toBeNull();
    const parsed = parseServerEvent(text!);
    expect(parsed.kind, parsed.kind === 'malformed' ? parsed.problem : '').toBe('event');
    expect(parsed.kind === 'event' && parsed.event.type).toBe(type);
  });

  it('keeps fields the schema does not name (loose parsing)', () => {
    const parsed = parseServerEvent(exampleText('conversation.item.input_audio_transcription.delta')!);
    expect(parsed.kind).toBe('event');
    expect(
      parsed.kind === 'event' && (parsed.event as unknown as Record<string, unknown>)['obfuscation'],
    ).toBe('aLxx0jTEciOGe');
  });
});

describe('parseServerEvent on bad input', () => {
  it('reports invalid JSON as malformed, in words', () => {
    const parsed = parseServerEvent('{"type": "response.done",');
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toMatch(/^Not valid JSON/);
  });

  it.each([
    ['[1,2]', /Not a JSON object/],
    ['"hello"', /Not a JSON object/],
    ['null', /Not a JSON object/],
    ['{"event_id":"e1"}', /no "type" field/],
    ['{"type": 42}', /no "type" field/],
  ])('reports %s as malformed', (raw, problem) => {
    const parsed = parseServerEvent(raw);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toMatch(problem);
  });

  it('names the event type and the missing field when a known event lacks what we read', () => {
    const parsed = parseServerEvent(
      JSON.stringify({
        type: 'response.output_text.delta',
        response_id: 'r',
        item_id: 'i',
        content_index: 0,
      }),
    );
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toMatch(/^response\.output_text\.delta: delta:/);
  });

  it('rejects a wrongly typed field on a handled event', () => {
    const parsed = parseServerEvent(JSON.stringify({ type: 'response.created', response: { id: 7 } }));
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toMatch(/response\.id/);
  });

  it('returns an unknown-but-well-formed type as unknown with its fields', () => {
    const parsed = parseServerEvent(JSON.stringify({ type: 'response.text.delta', delta: 'hi' }));
    expect(parsed).toEqual({ kind: 'unknown', event: { type: 'response.text.delta', delta: 'hi' } });
  });

  it('keeps an error event whose details are incomplete, filling plain defaults', () => {
    const parsed = parseServerEvent(JSON.stringify({ type: 'error', error: { code: 'session_expired' } }));
    expect(parsed.kind).toBe('event');
    if (parsed.kind !== 'event' || parsed.event.type !== 'error') throw new Error('expected error event');
    expect(parsed.event.error.code).toBe('session_expired');
    expect(parsed.event.error.type).toBe('error');
    expect(parsed.event.error.message).toMatch(/without a message/);
  });

  it('accepts both conversation.item.created and conversation.item.added', () => {
    for (const type of ['conversation.item.created', 'conversation.item.added', 'conversation.item.done']) {
      const parsed = parseServerEvent(
        JSON.stringify({
          type,
          previous_item_id: null,
          item: { id: 'it1', type: 'message', role: 'user', content: [] },
        }),
      );
      expect(parsed.kind).toBe('event');
    }
  });

  it('accepts GA events the app does not act on, such as MCP progress', () => {
    const parsed = parseServerEvent(JSON.stringify({ type: 'mcp_list_tools.in_progress', item_id: 'x' }));
    expect(parsed.kind).toBe('event');
  });
});

describe('event type lists', () => {
  it('covers the 46 GA server types and handles a subset of them', () => {
    expect(GA_SERVER_EVENT_TYPES).toHaveLength(46);
    for (const t of HANDLED_SERVER_EVENT_TYPES) expect(isKnownServerEventType(t)).toBe(true);
    expect(isKnownServerEventType('response.audio.delta')).toBe(false);
  });
});
