import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SnippetText } from '../../../src/renderer/src/components/SnippetText';
import { snippetParts } from '../../../src/renderer/src/model/snippet';

/** Rendered the way the Conversations list renders it. */
const render = (snippet: string): string => renderToStaticMarkup(createElement(SnippetText, { snippet }));

describe('search snippets', () => {
  it('splits the words marked «like this» from the text around them', () => {
    expect(snippetParts('…the «walrus» sat on the «ice»')).toEqual([
      { text: '…the ', marked: false },
      { text: 'walrus', marked: true },
      { text: ' sat on the ', marked: false },
      { text: 'ice', marked: true },
    ]);
  });

  it('keeps a stray « or » as text and drops empty marks', () => {
    expect(snippetParts('a «b')).toEqual([{ text: 'a «b', marked: false }]);
    expect(snippetParts('a» b')).toEqual([{ text: 'a» b', marked: false }]);
    expect(snippetParts('x«»y')).toEqual([{ text: 'xy', marked: false }]);
    expect(snippetParts('')).toEqual([]);
  });

  it('marks the innermost pair when marks nest', () => {
    expect(snippetParts('«a «b» c»')).toEqual([
      { text: '«a ', marked: false },
      { text: 'b', marked: true },
      { text: ' c»', marked: false },
    ]);
  });

  it('highlights marked words with <mark>', () => {
    expect(render('say «hello» twice')).toBe('say <mark>hello</mark> twice');
  });

  it('never turns snippet text into HTML, inside or outside the marks', () => {
    const html = render('«<img src=x onerror=alert(1)>» and <img src=y onerror="alert(2)"> &amp;');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<(?!\/?mark>)/);
    expect(html).toBe(
      '<mark>&lt;img src=x onerror=alert(1)&gt;</mark> and &lt;img src=y onerror=&quot;alert(2)&quot;&gt; &amp;amp;',
    );
  });
});
