/**
 * How a reply is drawn in bounded time whatever its size: only its first `shown` characters go on screen (a
 * "Show more" adds more), and the Markdown is cut into blocks at blank lines outside code fences, so while a
 * reply streams only its last block is parsed again; the blocks before it are unchanged and drawn from memo.
 * Pure, so the cuts are unit-tested.
 */

/** Characters of a reply drawn at first, and added by each "Show more". */
export const REPLY_CHUNK_CHARS = 40_000;
/** A block longer than this is drawn as plain text: parsing it would cost more than a frame. */
export const MAX_MARKDOWN_BLOCK_CHARS = 60_000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits Markdown into top-level blocks at blank lines, never inside a fenced code block (an unclosed fence
 * runs to the end, as it does while a code block streams in). Joining the blocks with "\n\n" gives back the
 * text, up to the blank lines between blocks.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let fence: string | null = null;
  let start = 0;
  let pos = 0;
  let blank = false;
  while (pos <= text.length) {
    const end = text.indexOf('\n', pos);
    const lineEnd = end === -1 ? text.length : end;
    const line = text.slice(pos, lineEnd);
    if (fence !== null) {
      const m = FENCE.exec(line);
      if (m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1].trim())
        fence = null;
    } else if (line.trim() === '') {
      if (!blank && pos > start) blocks.push(text.slice(start, pos).replace(/\n+$/, ''));
      blank = true;
      start = lineEnd + 1;
    } else {
      if (blank) start = pos;
      blank = false;
      const m = FENCE.exec(line);
      if (m?.[1]) fence = m[1];
    }
    if (end === -1) break;
    pos = end + 1;
  }
  if (start < text.length) {
    const last = text.slice(start).replace(/\n+$/, '');
    if (last.trim() !== '') blocks.push(last);
  }
  return blocks.filter((b) => b.trim() !== '');
}

/** What of a reply is drawn: its first `shown` characters (cut at a line end when one is near). */
export function shownPart(text: string, shown: number): { text: string; hidden: number } {
  if (text.length <= shown) return { text, hidden: 0 };
  const cut = text.lastIndexOf('\n', shown);
  const at = cut > shown - 2000 ? cut : shown;
  return { text: text.slice(0, at), hidden: text.length - at };
}
