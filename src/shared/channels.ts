/**
 * Runtime lists of channel names, derived from the contract with `satisfies` so they cannot drift.
 * Kept free of runtime imports: the sandboxed preload bundles this file and nothing heavier.
 */
import type { CommandName, EventName } from './contract';

const commandSet = {
  'app.snapshot': true,
  'talk.press': true,
  'talk.release': true,
  'talk.toggle': true,
  'reply.stop': true,
  'turn.setNext': true,
  'message.send': true,
  'image.attach': true,
  'image.remove': true,
  'image.get': true,
  'screen.sources': true,
  'screen.capture': true,
  'screen.grab': true,
  'screen.frame': true,
  'turn.retry': true,
  'turn.send': true,
  'turn.discard': true,
  'turn.cancel': true,
  'tool.decide': true,
  'tools.get': true,
  'tools.setBuiltin': true,
  'mcp.import': true,
  'mcp.add': true,
  'mcp.remove': true,
  'mcp.addRemote': true,
  'mcp.removeRemote': true,
  'mcp.restart': true,
  'mcp.setTool': true,
  'link.open': true,
  'conversation.list': true,
  'conversation.new': true,
  'conversation.open': true,
  'conversation.rename': true,
  'conversation.delete': true,
  'conversation.restore': true,
  'conversation.export': true,
  'conversation.continueHere': true,
  'settings.save': true,
  'settings.get': true,
  'settings.update': true,
  'secret.setApiKey': true,
  'secret.clearApiKey': true,
  'audio.listDevices': true,
  'audio.test': true,
  'connection.reconnect': true,
  'log.export': true,
  'log.entries': true,
  'log.clear': true,
  'window.hide': true,
} as const satisfies Record<CommandName, true>;

const eventSet = {
  connection: true,
  turn: true,
  'turn.removed': true,
  conversation: true,
  conversations: true,
  next: true,
  attachments: true,
  levels: true,
  log: true,
  settings: true,
  notice: true,
  'notice.clear': true,
  hotkey: true,
  tools: true,
  'link.open': true,
  navigate: true,
  'capture.request': true,
} as const satisfies Record<EventName, true>;

export const COMMAND_NAMES = Object.freeze(Object.keys(commandSet)) as readonly CommandName[];
export const EVENT_NAMES = Object.freeze(Object.keys(eventSet)) as readonly EventName[];

/** Electron channel names: one namespace so no other code's channel can collide with ours. */
export const commandChannel = (name: CommandName): string => `cmd:${name}`;
export const eventChannel = (name: EventName): string => `evt:${name}`;
