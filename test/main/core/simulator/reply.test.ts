import { describe, expect, test } from 'vitest';
import { replyText } from '../../../../src/main/core/simulator/reply';

describe('replyText', () => {
  test('echoes typed turns and measures audio turns', () => {
    expect(replyText({ kind: 'text', text: 'hi there' }, undefined)).toBe('Echo: hi there');
    expect(replyText({ kind: 'audio', ms: 1234 }, undefined)).toBe('I heard 1.2 seconds of audio.');
  });

  test('shows per-response instructions exactly as sent', () => {
    expect(replyText({ kind: 'text', text: 'hi' }, 'Be "brief".')).toBe(
      'Echo: hi [instructions: Be "brief".]',
    );
  });

  test('answers empty instructions with persona-less JSON, quotes escaped', () => {
    expect(replyText({ kind: 'text', text: 'say "x"' }, '')).toBe('{"response": "Echo: say \\"x\\""}');
    expect(JSON.parse(replyText({ kind: 'text', text: 'say "x"' }, ''))).toEqual({
      response: 'Echo: say "x"',
    });
  });
});
