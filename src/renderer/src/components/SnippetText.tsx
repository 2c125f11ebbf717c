/**
 * A search snippet as text with <mark> around each match. Every part is a text child, which React escapes, so
 * "<img onerror=…>" in a message stays visible text.
 */
import type { ReactElement } from 'react';
import { snippetParts } from '../model/snippet';

export function SnippetText({ snippet }: { snippet: string }): ReactElement {
  return (
    <>
      {snippetParts(snippet).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : part.text))}
    </>
  );
}
