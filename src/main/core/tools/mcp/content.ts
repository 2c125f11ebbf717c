import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult } from '../types';

/** What `Client.callTool` resolves to: a normal result, or the old protocol's `{ toolResult }`. */
export type McpCallResult = {
  content?: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  toolResult?: unknown;
};

/**
 * An MCP tool result as text for the model: a Realtime function output is a string, so text is kept, embedded
 * text resources are inlined, and media or links are named rather than dropped silently.
 */
export function toToolResult(result: McpCallResult): ToolResult {
  if (!result.content && result.toolResult !== undefined)
    return { ok: true, output: stringify(result.toolResult) };
  const parts = (result.content ?? []).map(describe);
  if (parts.length === 0 && result.structuredContent) parts.push(stringify(result.structuredContent));
  const text = parts.join('\n\n');
  if (result.isError) return { ok: false, error: text || 'The tool reported an error without saying what.' };
  return { ok: true, output: text || '(The tool returned nothing.)' };
}

function describe(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type} (${block.mimeType}), not shown]`;
    case 'resource':
      return 'text' in block.resource && typeof block.resource.text === 'string'
        ? block.resource.text
        : `[file ${block.resource.uri}${block.resource.mimeType ? ` (${block.resource.mimeType})` : ''}, not shown]`;
    case 'resource_link':
      return `[link to ${block.uri}${block.name ? ` "${block.name}"` : ''}]`;
    default:
      return stringify(block);
  }
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
