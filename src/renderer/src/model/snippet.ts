/**
 * Search snippets from main mark the matching words «like this». The snippet is the user's and the
 * assistant's own text, so it is split here into plain parts and never interpreted as markup.
 */
/** A run of snippet text; `marked` runs matched the query. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

const MARKED = /«([^«»]*)»/g;

/** Splits on «…» pairs; a stray « or » is kept as text, empty pairs are dropped. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, marked: boolean): void => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let at = 0;
  for (const match of snippet.matchAll(MARKED)) {
    push(snippet.slice(at, match.index), false);
    push(match[1] ?? '', true);
    at = match.index + match[0].length;
  }
  push(snippet.slice(at), false);
  return parts;
}
