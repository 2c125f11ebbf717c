/**
 * One valid request per command, typed against the contract: adding a command without a sample
 * here fails the typecheck, so the transport tests always cover every command.
 */
import type { CommandName, CommandRequest, Handlers } from '../../src/shared/contract';

export const validRequests: { [K in CommandName]: CommandRequest<K> } = {
  'app.snapshot': {},
  'talk.press': { source: 'button' },
  'talk.release': { source: 'keyboard' },
  'talk.toggle': { source: 'tray' },
  'reply.stop': {},
  'turn.setNext': { replyAs: 'text', instructions: 'Answer in one sentence.', instructionsMode: 'append' },
  'message.send': { text: 'hello' },
  'image.attach': { data: 'iVBORw0KGgo=', source: 'paste' },
  'image.remove': { id: 'img_1' },
  'image.get': { id: 'img_1' },
  'screen.sources': {},
  'screen.capture': { sourceId: 'screen:0:0' },
  'screen.grab': {},
  'screen.frame': { requestId: 'cap-1', error: 'The user cancelled.' },
  'turn.retry': { turnId: 'turn-1' },
  'turn.send': { turnId: 'turn-1' },
  'turn.discard': { turnId: 'turn-1' },
  'turn.cancel': { turnId: 'turn-1' },
  'tool.decide': { callId: 'call_1', decision: 'once' },
  'tools.get': {},
  'tools.setBuiltin': { name: 'open_url', enabled: false },
  'mcp.import': { json: '{"mcpServers": {"files": {"command": "npx", "args": ["-y", "x"]}}}' },
  'mcp.add': {
    server: { transport: 'stdio', name: 'files', command: 'npx', args: ['-y', 'x'], env: { TOKEN: 'abc' } },
  },
  'mcp.addRemote': {
    label: 'docs',
    url: 'https://mcp.example.com/mcp',
    headers: {},
    authorization: 'token',
    allowedTools: ['search'],
    requireApproval: 'always',
  },
  'mcp.removeRemote': { label: 'docs' },
  'mcp.remove': { name: 'files' },
  'mcp.restart': { name: 'files' },
  'mcp.setTool': { server: 'files', tool: 'read_file', enabled: false },
  'link.open': { url: 'https://example.com/docs' },
  'conversation.list': { query: 'weather' },
  'conversation.new': {},
  'conversation.open': { id: 'c_1' },
  'conversation.rename': { id: 'c_1', title: 'Trip to Lyon' },
  'conversation.delete': { id: 'c_1' },
  'conversation.restore': { id: 'c_1' },
  'conversation.export': { id: 'c_1' },
  'conversation.continueHere': { id: 'c_1' },
  'settings.save': { patch: { voice: 'cedar' }, apiKey: 'sk-test-not-a-real-key' },
  'settings.get': {},
  'settings.update': { voice: 'cedar', stallTimeoutMs: 8000 },
  'secret.setApiKey': { apiKey: 'sk-test-not-a-real-key' },
  'secret.clearApiKey': {},
  'audio.listDevices': {},
  'audio.test': { kind: 'input', device: null },
  'connection.reconnect': {},
  'log.export': {},
  'log.entries': { sinceSeq: 0 },
  'log.clear': {},
  'window.hide': {},
};

/** One request per command that must fail validation. */
export const invalidRequests: { [K in CommandName]?: unknown } = {
  'talk.press': { source: 'telepathy' },
  'turn.setNext': { replyAs: 'smoke-signals', instructions: '', instructionsMode: 'append' },
  'message.send': { text: '   ' },
  'settings.update': { stallTimeoutMs: 5, bogus: true },
  'secret.setApiKey': { apiKey: '' },
  'log.entries': { sinceSeq: -1 },
  'app.snapshot': { extra: 1 },
  'conversation.rename': { id: 'c_1', title: '   ' },
  'settings.save': { patch: { stallTimeoutMs: 5 } },
  'tool.decide': { callId: 'call_1', decision: 'maybe' },
  'mcp.add': { server: { transport: 'http', name: 'x', url: 'file:///etc/passwd', headers: {} } },
  'mcp.addRemote': {
    label: 'has spaces',
    url: 'https://x.example/mcp',
    headers: {},
    authorization: '',
    allowedTools: [],
    requireApproval: 'always',
  },
  'image.attach': { data: '', source: 'camera' },
};

/**
 * Handlers that record what they received and answer with a value naming the command, so a
 * round-trip proves the right handler ran with the validated payload.
 */
export function echoHandlers(calls: Array<{ name: string; payload: unknown }>): Handlers {
  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(validRequests)) {
    handlers[name] = async (payload) => {
      calls.push({ name, payload });
      return { answered: name };
    };
  }
  return handlers as unknown as Handlers;
}
