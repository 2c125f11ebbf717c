/**
 * Tools the assistant can call: built-ins and local MCP servers behind one registry. Wiring, in the
 * composition root:
 *
 *   const builtins = createBuiltinTools({ openExternal, clipboard, search }, { disabled });
 *   const mcp = new McpManager({ log });
 *   void mcp.setServers(configs);
 *   const tools = createToolRegistry({ providers: [builtins, mcp] });
 *   ... await tools.dispose(); // on quit: stops every server
 */
export type { ToolCallOptions, ToolHandler, ToolProvider, ToolRegistry, ToolResult, ToolSpec } from './types';
export {
  createToolRegistry,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_TOOL_TIMEOUT_MS,
  type ToolRegistryOptions,
} from './registry';
export {
  BUILTIN_TOOL_NAMES,
  createBuiltinTools,
  type BuiltinToolName,
  type BuiltinToolPorts,
  type BuiltinTools,
  type BuiltinToolView,
  type ClipboardPort,
  type Unavailable,
} from './builtins';
export {
  parseMcpServers,
  viewOfConfig,
  type McpConfigError,
  type McpHttpServerConfig,
  type McpServerConfig,
  type McpServerConfigView,
  type McpStdioServerConfig,
} from './mcp/config';
export { DEFAULT_MCP_TIMINGS, type McpServerStatus, type McpTimings } from './mcp/connection';
export { McpManager, type McpManagerOptions, type McpServerView } from './mcp/manager';
