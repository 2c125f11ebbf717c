/**
 * A conversation as Markdown, for the user to keep: who said what, with each turn's outcome when it was not a plain
 * answer. Attached images are embedded as data: URLs, so the one file holds everything that was sent.
 */
import type { ConversationSummary, ImageRef, TurnView } from '../../../shared/types';

/** The Markdown text of a conversation. `exportedAt` is stated at the top; `imageUrl` gives an image's bytes. */
export function toMarkdown(
  summary: ConversationSummary,
  turns: readonly TurnView[],
  exportedAt: Date,
  imageUrl: (image: ImageRef) => string | null = () => null,
): string {
  const lines = [
    `# ${oneLine(summary.title)}`,
    '',
    `_Exported from Talkie on ${exportedAt.toISOString()}_`,
    '',
  ];
  for (const turn of turns) {
    const when = new Date(turn.startedAt).toISOString();
    const said = turn.userText?.trim() || (turn.input === 'voice' ? '_(voice message, no transcript)_' : '');
    lines.push(`**You** (${turn.input === 'voice' ? 'spoken' : 'typed'}, ${when}):`, '', quote(said), '');
    for (const image of turn.images ?? []) {
      const url = imageUrl(image);
      const what = `Attached image, ${image.width}×${image.height}`;
      lines.push(url ? `![${what}](${url})` : `_(${what}: the file is no longer available)_`, '');
    }
    if (turn.instructions)
      lines.push(
        `_Instructions for this turn (${turn.instructionsMode ?? 'append'}): ${oneLine(turn.instructions)}_`,
        '',
      );
    if (turn.assistantText.trim())
      lines.push(`**Assistant** (${turn.replyAs}):`, '', quote(turn.assistantText.trim()), '');
    const o = turn.outcome;
    if (turn.phase === 'unsent') lines.push('_Not sent._', '');
    else if (o && o.kind !== 'completed')
      lines.push(`_${o.kind}: ${'reason' in o ? oneLine(o.reason) : ''}_`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const quote = (text: string): string =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
