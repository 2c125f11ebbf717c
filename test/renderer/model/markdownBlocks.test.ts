import { describe, expect, it } from 'vitest';
import { shownPart, splitBlocks } from '../../../src/renderer/src/model/markdownBlocks';

describe('splitBlocks', () => {
  it('cuts at blank lines, never inside a code fence', () => {
    expect(splitBlocks('a\nb\n\n\n- x\n- y\n\n```\ncode\n\nmore\n```\n\nend')).toEqual([
      'a\nb',
      '- x\n- y',
      '```\ncode\n\nmore\n```',
      'end',
    ]);
  });

  it('keeps an unclosed fence (a code block still streaming) as one block to the end', () => {
    expect(splitBlocks('Echo: hi\n\n```js\nunclosed\n\nstill')).toEqual([
      'Echo: hi',
      '```js\nunclosed\n\nstill',
    ]);
  });

  it('drops leading and trailing blank lines', () => {
    expect(splitBlocks('\n\nx\n')).toEqual(['x']);
    expect(splitBlocks('')).toEqual([]);
  });

  it('leaves the blocks before the last unchanged as text streams in', () => {
    const before = splitBlocks('# Title\n\nfirst para\n\nsecond pa');
    const after = splitBlocks('# Title\n\nfirst para\n\nsecond paragraph grows');
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
  });
});

describe('shownPart', () => {
  it('shows all of a short reply', () => {
    expect(shownPart('hello', 10)).toEqual({ text: 'hello', hidden: 0 });
  });

  it('cuts a long one at a line end near the limit, and says how much is hidden', () => {
    const text = `${'a'.repeat(90)}\n${'b'.repeat(50)}`;
    expect(shownPart(text, 100)).toEqual({ text: 'a'.repeat(90), hidden: 51 });
  });

  it('cuts a reply with no line ends at the limit', () => {
    expect(shownPart('x'.repeat(5000), 3000)).toEqual({ text: 'x'.repeat(3000), hidden: 2000 });
  });
});
