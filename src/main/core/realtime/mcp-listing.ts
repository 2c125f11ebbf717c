/**
 * Remote MCP servers are listed by the Realtime server when the session offers them: an `mcp_list_tools` item
 * names the server, and `mcp_list_tools.failed` refers to that item only by id. This remembers the names, so a
 * failed listing can be told to the user by server (a wrong URL or token would otherwise show only as calls that
 * fail later).
 */
import type { RealtimeServerEvent } from './connection-types';

/** Remote MCP listings of one session. */
export class RemoteMcpListings {
  private readonly labels = new Map<string, string>();

  /** The server whose listing failed with this event, if it is such an event. */
  failedServer(event: RealtimeServerEvent): string | null {
    const loose = event as { type: string; item?: unknown; item_id?: unknown };
    if (loose.type === 'conversation.item.added' || loose.type === 'conversation.item.done') {
      const item = loose.item as { type?: unknown; id?: unknown; server_label?: unknown } | undefined;
      if (
        item?.type === 'mcp_list_tools' &&
        typeof item.id === 'string' &&
        typeof item.server_label === 'string'
      )
        this.labels.set(item.id, item.server_label);
      return null;
    }
    if (loose.type === 'mcp_list_tools.failed' && typeof loose.item_id === 'string')
      return this.labels.get(loose.item_id) ?? 'a remote MCP server';
    return null;
  }
}
