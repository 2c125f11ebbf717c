/**
 * A reply drawn as Markdown (headings, lists, tables, code blocks with Copy code, links) and never as markup:
 * react-markdown builds React elements from the parsed text (no innerHTML), raw HTML in the reply shows as the
 * text it is, `javascript:` and other unsafe URLs are emptied, images become links (a reply must not make the
 * window fetch anything). Links go through main's check (`link.open`) before anything opens them.
 *
 * Bounded time whatever the size: only the first REPLY_CHUNK_CHARS are drawn (Show more adds more) and the
 * Markdown is parsed block by block, each block memoised, so a streaming reply re-parses only its last block.
 */
import { memo, useState, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { getBridge } from '../bridge';
import { copyText } from '../dom/clipboard';
import { MAX_MARKDOWN_BLOCK_CHARS, REPLY_CHUNK_CHARS, shownPart, splitBlocks } from '../model/markdownBlocks';
import { CopyIcon } from './icons';

/** The text of a React subtree (a code block's children), for Copy code. */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) {
    return textOf((node.props as { children?: ReactNode }).children);
  }
  return '';
}

function CopyCodeButton({ code }: { code: string }): ReactElement {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <button
      type="button"
      className="button button-small button-quiet code-copy"
      onClick={() =>
        void copyText(code).then((ok) => {
          setCopied(ok);
          window.setTimeout(() => setCopied(null), 2000);
        })
      }
    >
      <CopyIcon />
      {copied === true ? 'Copied' : copied === false ? 'Could not copy' : 'Copy code'}
    </button>
  );
}

/** Asks main to check the link; opens it here (browser mode) only once main said it may. */
async function openLink(url: string, onRefused: (reason: string) => void): Promise<void> {
  try {
    const answer = await getBridge()['link.open']({ url });
    if (!answer.ok) onRefused(answer.reason);
    else if (!answer.openedByApp) window.open(url, '_blank', 'noopener,noreferrer');
  } catch (e) {
    onRefused(e instanceof Error ? e.message : String(e));
  }
}

function ReplyLink({
  href,
  children,
  onRefused,
}: {
  href: string | undefined;
  children: ReactNode;
  onRefused(reason: string): void;
}): ReactElement {
  if (!href) return <span className="md-link-refused">{children}</span>;
  const open = (event: MouseEvent<HTMLAnchorElement>): void => {
    event.preventDefault();
    void openLink(href, onRefused);
  };
  // onAuxClick: a middle click must not open the page past the check either.
  return (
    <a href={href} title={href} rel="noopener noreferrer" onClick={open} onAuxClick={open}>
      {children}
    </a>
  );
}

function components(onRefused: (reason: string) => void): Components {
  return {
    a: ({ href, children }) => (
      <ReplyLink href={href} onRefused={onRefused}>
        {children}
      </ReplyLink>
    ),
    // A picture from a reply would be fetched from wherever the server says: shown as a link instead.
    img: ({ src, alt }) => (
      <ReplyLink href={typeof src === 'string' ? src : undefined} onRefused={onRefused}>
        {alt ? `Image: ${alt}` : 'Image'}
      </ReplyLink>
    ),
    pre: ({ children }) => (
      <div className="md-code">
        <CopyCodeButton code={textOf(children).replace(/\n$/, '')} />
        <pre>{children}</pre>
      </div>
    ),
    table: ({ children }) => (
      <div className="md-table">
        <table>{children}</table>
      </div>
    ),
  };
}

const REMARK_PLUGINS = [remarkGfm];

/** One block, parsed only when its text changes. */
const Block = memo(function Block({
  text,
  onRefused,
}: {
  text: string;
  onRefused(reason: string): void;
}): ReactElement {
  if (text.length > MAX_MARKDOWN_BLOCK_CHARS) return <p className="md-plain">{text}</p>;
  return (
    <Markdown remarkPlugins={REMARK_PLUGINS} components={components(onRefused)}>
      {text}
    </Markdown>
  );
});

/** The reply's text, as Markdown, within bounds. */
export function ReplyText({ text }: { text: string }): ReactElement {
  const [shown, setShown] = useState(REPLY_CHUNK_CHARS);
  const [refused, setRefused] = useState<string | null>(null);
  const part = shownPart(text, shown);
  const blocks = splitBlocks(part.text);
  return (
    <div className="md">
      {blocks.map((block, i) => (
        <Block key={i} text={block} onRefused={setRefused} />
      ))}
      {part.hidden > 0 && (
        <p className="md-more">
          <span>
            Showing {part.text.length.toLocaleString('en-US')} of {text.length.toLocaleString('en-US')}{' '}
            characters. Copy reply copies all of it.
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => setShown(part.text.length + REPLY_CHUNK_CHARS)}
          >
            Show more
          </button>
        </p>
      )}
      {refused && (
        <p className="md-refused" role="alert">
          {refused}
        </p>
      )}
    </div>
  );
}
