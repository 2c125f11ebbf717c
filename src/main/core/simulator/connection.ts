/**
 * One simulated GA Realtime session over one WebSocket: the conversation, the input buffer and the response
 * lifecycle, answered the way the real server answers (event order, error codes and messages from
 * errors-observed.json).
 */
import type WebSocket from 'ws';
import { replyAudioLayout, samplesToBase64, pcmBytesToMs, isStrictBase64, SAMPLE_RATE } from './audio';
import { FAULT_DEFAULTS, type FaultBook, type FaultRule } from './faults';
import { replyText, tokens, type LastUserInput } from './reply';
import { dataUrlBytes, describeImage, imageFacts } from '../images/facts';
import { defaultSession, mergeSession, type SimSession } from './session';
import {
  allowedByChoice,
  forcedCall,
  isMcpTool,
  listedMcpTools,
  mcpServerFails,
  needsApproval,
  requestedCalls,
  runFakeMcpTool,
  toolReplyText,
  type McpCallError,
  type McpToolDef,
  type RequestedCall,
  type ToolChoice,
  type ToolResult,
} from './tools';
import { validateClientEvent } from './validate';
import {
  inputUsage,
  itemPiece,
  usageObject,
  type InputPiece,
  type InputUsage,
  type RateLimitAccount,
} from './usage';

/**
 * How output audio is paced: `realtime` = 100 ms of audio every 100 ms; `fast` = as fast as the socket takes it; or
 * a first delta of `firstMs`, then `deltaMs` deltas, each sent once generated at `speed` times real time (the
 * GA server's own pacing is about `{ firstMs: 20, deltaMs: 40, speed: 1 }`; bursts have a speed above 1).
 */
export type AudioPacing = 'realtime' | 'fast' | { firstMs: number; deltaMs: number; speed: number };

/** A client event as the simulator received it. */
export interface ReceivedEvent {
  /** ms since epoch. */
  at: number;
  /** Which connection (1, 2, … in connect order). */
  connection: number;
  /** The parsed event, or the raw text when it was not JSON. */
  event: unknown;
}

/** A server event the simulator sent. */
export interface EmittedEvent {
  at: number;
  connection: number;
  event: Record<string, unknown>;
}

/** A `conversation.item.truncate` the simulator applied. */
export interface TruncationRecord {
  at: number;
  connection: number;
  itemId: string;
  contentIndex: number;
  /** As requested by the client. */
  audioEndMs: number;
  /** Length of the item's audio when truncated. */
  itemAudioMs: number;
  /** True when the request went past the end and was clamped (the server also sent an error). */
  clamped: boolean;
}

/** The audio of one committed input buffer, as the client sent it. */
export interface CommittedAudio {
  at: number;
  connection: number;
  /** The user item the commit created. */
  itemId: string;
  ms: number;
  /** PCM16 mono 24 kHz little-endian bytes. */
  pcm: Buffer;
}

/** What a connection needs from the simulator around it. */
export interface ConnectionContext {
  id: number;
  model: string;
  voice: string;
  instructions: string;
  audioPacing: AudioPacing;
  textDeltaMs: number;
  replyAudio: (text: string) => Int16Array;
  /** Fault plans in force: the handle's, then the URL's. */
  faults: () => FaultBook[];
  /** The account's rate limits: when set, each response is counted and `rate_limits.updated` follows `response.created`. */
  rateLimits?: RateLimitAccount;
  /** Every session ends after this long with `session_expired` (a shortened limit for tests). */
  sessionLimitMs?: number;
  /** Where the logs go (the simulator bounds them, or drops them when recording is off). */
  log: {
    /** False when recording is off: skip building entries. */
    enabled: boolean;
    received(entry: ReceivedEvent): void;
    emitted(entry: EmittedEvent): void;
    truncation(entry: TruncationRecord): void;
    committedAudio(entry: CommittedAudio): void;
  };
}

interface ItemRecord {
  item: Record<string, unknown>;
  /** Audio length of the item's audio content (input or output), ms. */
  audioMs: number;
}

/** One output item a tool-call response makes. */
type PlannedOutput =
  | { kind: 'function'; name: string; arguments: string }
  | {
      kind: 'mcp';
      server: McpToolDef;
      name: string;
      arguments: string;
      /** The approval this call was run after, if any. */
      approvalRequestId: string | null;
    }
  | { kind: 'approval'; server: McpToolDef; name: string; arguments: string };

/** What a response makes: a message (text or audio), or tool calls / approval requests only. */
type ResponsePlan = { kind: 'message' } | { kind: 'calls'; outputs: PlannedOutput[] };

interface ResponseRun {
  id: string;
  state: 'active' | 'done';
  abort: AbortController;
  plan: ResponsePlan;
  /** Every output item, in output_index order (what `response.output` lists). */
  items: Array<Record<string, unknown>>;
  /** Output items whose `response.output_item.done` has not gone out yet. */
  open: Set<Record<string, unknown>>;
  /** The message output item, once `response.output_item.added` went out. */
  item?: Record<string, unknown>;
  itemRecord?: ItemRecord;
  outputModalities: string[];
  partType?: 'audio' | 'text';
  text: string;
  sentText: string;
  sentAudioMs: number;
  /** Input tokens by kind, with the prefix shared with the previous request cached. */
  input: InputUsage;
  /** `conversation: "none"`: the output goes to the client only, never into the conversation. */
  outOfBand: boolean;
  /** `response.metadata` as sent, echoed on the response object. */
  metadata: Record<string, unknown> | null;
}

const CHUNK_MS = 100;
/** Longest client item id the server takes (a live `Invalid 'item.id': string too long` error, 2026-08). */
const MAX_ITEM_ID = 32;

/** Length of the audio in an item's content parts (input or inline), ms. */
function contentAudioMs(item: Record<string, unknown>): number {
  let ms = 0;
  for (const part of (item.content as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof part.audio === 'string') ms += pcmBytesToMs(Buffer.from(part.audio, 'base64').length);
  }
  return ms;
}

class Cancelled extends Error {}

/**
 * Serves one WebSocket. Construct after the upgrade; it sends `session.created` at once.
 */
export class SimConnection {
  private session: SimSession;
  private readonly items: ItemRecord[] = [];
  private inputAudio: Buffer[] = [];
  private inputBytes = 0;
  /** Responses in progress: at most one in-band (default conversation), any number out-of-band. */
  private readonly runs = new Set<ResponseRun>();
  private audioSent = false;
  private counter = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly closed = new AbortController();
  /** Which response made each output item (item id → response id), for counting tool-call steps. */
  private readonly origins = new Map<string, string>();
  /** MCP servers listed in this session: label → the config they were listed with. */
  private readonly mcpListed = new Map<string, string>();
  /** The session's `parallel_tool_calls`, if set. */
  private parallelToolCalls: boolean | undefined;
  /** The session limit's timer is set (once per session). */
  private limitArmed = false;
  /** The previous response's input, piece by piece (prompt caching: a repeated prefix is cached). */
  private lastInput: string[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ConnectionContext,
  ) {
    this.session = defaultSession({
      id: `sess_sim${ctx.id}`,
      model: ctx.model,
      voice: ctx.voice,
      instructions: ctx.instructions,
      nowMs: Date.now(),
    });
    if (ctx.sessionLimitMs) this.session.expires_at = Math.floor((Date.now() + ctx.sessionLimitMs) / 1000);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
    this.emit({ type: 'session.created', session: this.session });
    this.armSessionExpiry();
  }

  /** Arms `session-expired` if a plan asks for it (called on connect and when the handle's plan changes). */
  armSessionExpiry(): void {
    for (const book of this.ctx.faults()) {
      const rule = book.take('session-expired');
      if (!rule) continue;
      this.later(rule.ms ?? FAULT_DEFAULTS.sessionExpiredMs, () => this.expire(60));
      return;
    }
    const limit = this.ctx.sessionLimitMs;
    if (limit && !this.limitArmed) {
      this.limitArmed = true;
      this.later(limit, () => this.expire(Math.max(1, Math.round(limit / 60_000))));
    }
  }

  /** The session's time is up: the live server's error, then close 1001 (there is no resume). */
  private expire(minutes: number): void {
    this.error({
      code: 'session_expired',
      message: `Your session hit the maximum duration of ${minutes} minutes.`,
    });
    this.cancelAllSilently();
    this.ws.close(1001, 'session expired');
  }

  /** Sends an `invalid_value` error about the connection itself (e.g. an unknown `?fault=`). */
  reportProblem(message: string, param: string): void {
    this.error({ code: 'invalid_value', message, param });
  }

  /** Cuts the socket without a close frame (what a network drop looks like to the client). */
  drop(): void {
    this.ws.terminate();
    this.dispose();
  }

  /** Stops every timer and pending response; the socket is the caller's to close. */
  dispose(): void {
    if (this.closed.signal.aborted) return;
    this.closed.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cancelAllSilently();
  }

  // ---- plumbing -------------------------------------------------------------------------------------------

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_sim${this.ctx.id}x${this.counter.toString().padStart(4, '0')}`;
  }

  private emit(event: Record<string, unknown>): void {
    if (this.closed.signal.aborted || this.ws.readyState !== this.ws.OPEN) return;
    const json = JSON.stringify({ event_id: this.nextId('event'), ...event });
    // Logged as sent: items are mutated as a response goes on, so keep a copy, not the object.
    if (this.ctx.log.enabled) {
      this.ctx.log.emitted({
        at: Date.now(),
        connection: this.ctx.id,
        event: JSON.parse(json) as Record<string, unknown>,
      });
    }
    this.ws.send(json);
  }

  private error(e: { code: string | null; message: string; param?: string | null; eventId?: unknown }): void {
    this.emit({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: e.code,
        message: e.message,
        param: e.param ?? null,
        event_id: typeof e.eventId === 'string' ? e.eventId : null,
      },
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Resolves after `ms`; rejects with Cancelled if `signal` fires first. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Cancelled());
      const onAbort = (): void => {
        clearTimeout(t);
        this.timers.delete(t);
        reject(new Cancelled());
      };
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      this.timers.add(t);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- client events --------------------------------------------------------------------------------------

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      this.ctx.log.received({ at: Date.now(), connection: this.ctx.id, event: text });
      this.error({
        code: 'invalid_json',
        message: isBinary
          ? 'Binary frames are not supported; send JSON text frames.'
          : "We could not parse the JSON body of your request. Expected a JSON object with a 'type' field.",
      });
      return;
    }
    this.ctx.log.received({ at: Date.now(), connection: this.ctx.id, event });
    const result = validateClientEvent(event);
    const eventId = (event as { event_id?: unknown } | null)?.event_id;
    if (!result.ok) {
      this.error({ code: result.code, message: result.message, param: result.param ?? null, eventId });
      return;
    }
    this.handle(event as Record<string, unknown> & { type: string }, eventId);
  }

  private handle(event: Record<string, unknown> & { type: string }, eventId: unknown): void {
    switch (event.type) {
      case 'session.update':
        return this.onSessionUpdate(event.session as Record<string, unknown>, eventId);
      case 'input_audio_buffer.append':
        return this.onAppend(event.audio as string, eventId);
      case 'input_audio_buffer.commit':
        return this.onCommit(eventId);
      case 'input_audio_buffer.clear':
        this.inputAudio = [];
        this.inputBytes = 0;
        return this.emit({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.onItemCreate(event.item as Record<string, unknown>, event.previous_item_id, eventId);
      case 'conversation.item.delete':
        return this.onItemDelete(event.item_id as string, eventId);
      case 'conversation.item.retrieve':
        return this.onItemRetrieve(event.item_id as string, eventId);
      case 'conversation.item.truncate':
        return this.onTruncate(event, eventId);
      case 'response.create':
        return this.onResponseCreate((event.response ?? {}) as Record<string, unknown>, eventId);
      case 'response.cancel':
        return this.onCancel(event.response_id as string | undefined, eventId);
      case 'output_audio_buffer.clear':
        return this.error({
          code: 'unsupported_event',
          message: 'output_audio_buffer.clear is only supported for WebRTC connections.',
          eventId,
        });
      default:
        return this.error({
          code: 'invalid_value',
          message: `Unsupported event type '${event.type}'.`,
          param: 'type',
          eventId,
        });
    }
  }

  private onSessionUpdate(update: Record<string, unknown>, eventId: unknown): void {
    if (update.type === 'transcription') {
      return this.error({
        code: 'invalid_value',
        message: "The simulator only serves 'realtime' sessions.",
        param: 'session.type',
        eventId,
      });
    }
    const voice = (update.audio as { output?: { voice?: unknown } } | undefined)?.output?.voice;
    if (voice !== undefined && voice !== this.session.audio.output.voice && this.audioSent) {
      return this.error({
        code: 'cannot_update_voice',
        message: "Cannot update a conversation's voice if assistant audio is present.",
        param: 'session.audio.output.voice',
        eventId,
      });
    }
    // Accepted in a session.update but not part of the session object the server reports (the spec's
    // RealtimeSessionCreateResponseGA has no `parallel_tool_calls`), so kept aside.
    const { parallel_tool_calls: parallel, ...fields } = update;
    if (typeof parallel === 'boolean') this.parallelToolCalls = parallel;
    this.session = mergeSession(this.session, fields);
    this.emit({ type: 'session.updated', session: this.session });
    if (Array.isArray(update.tools)) this.listMcpServers(update.tools);
  }

  /**
   * Lists the tools of each `type: "mcp"` server that is new or configured differently: an `mcp_list_tools` item
   * is added to the conversation, then `mcp_list_tools.in_progress`, `.completed` (or `.failed` for a server whose
   * URL contains "fail") and `conversation.item.done` with the tools the fake server offers (after
   * `allowed_tools`). The URL is never fetched.
   */
  private listMcpServers(tools: unknown[]): void {
    for (const server of tools.filter(isMcpTool)) {
      const config = JSON.stringify([
        server.server_url,
        server.connector_id,
        server.tunnel_id,
        server.allowed_tools,
      ]);
      if (this.mcpListed.get(server.server_label) === config) continue;
      this.mcpListed.set(server.server_label, config);
      const previous = this.items.at(-1)?.item.id ?? null;
      const item: Record<string, unknown> = {
        id: this.nextId('item'),
        type: 'mcp_list_tools',
        server_label: server.server_label,
        tools: [],
      };
      this.items.push({ item, audioMs: 0 });
      this.emit({ type: 'conversation.item.added', previous_item_id: previous, item });
      this.emit({ type: 'mcp_list_tools.in_progress', item_id: item.id });
      if (mcpServerFails(server)) {
        this.emit({ type: 'mcp_list_tools.failed', item_id: item.id });
      } else {
        item.tools = listedMcpTools(server).map((t) => ({ ...t }));
        this.emit({ type: 'mcp_list_tools.completed', item_id: item.id });
      }
      this.emit({ type: 'conversation.item.done', previous_item_id: previous, item });
    }
  }

  private onAppend(audio: string, eventId: unknown): void {
    if (!isStrictBase64(audio)) {
      return this.error({
        code: 'invalid_value',
        message:
          "Invalid 'audio'. Expected base64-encoded audio bytes (mono PCM16 at 24kHz) but got an invalid value.",
        param: 'audio',
        eventId,
      });
    }
    const bytes = Buffer.from(audio, 'base64');
    this.inputAudio.push(bytes);
    this.inputBytes += bytes.length;
  }

  private onCommit(eventId: unknown): void {
    const ms = pcmBytesToMs(this.inputBytes);
    if (ms < 100) {
      return this.error({
        code: 'input_audio_buffer_commit_empty',
        message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
        eventId,
      });
    }
    const previous = this.items.at(-1)?.item.id ?? null;
    const id = this.nextId('item');
    if (this.ctx.log.enabled) {
      const pcm = Buffer.concat(this.inputAudio);
      this.ctx.log.committedAudio({ at: Date.now(), connection: this.ctx.id, itemId: id, ms, pcm });
    }
    this.inputAudio = [];
    this.inputBytes = 0;
    const item = {
      id,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio' }],
    };
    this.items.push({ item, audioMs: ms });
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: id });
    this.emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.emit({ type: 'conversation.item.done', previous_item_id: previous, item });
    if (this.session.audio.input.transcription) {
      const seconds = Math.round(ms / 100) / 10;
      this.emit({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: id,
        content_index: 0,
        transcript: `(${seconds.toFixed(1)} s of audio)`,
        usage: { type: 'duration', seconds },
      });
    }
  }

  private findIndex(itemId: string): number {
    return this.items.findIndex((r) => r.item.id === itemId);
  }

  /** Whether the conversation holds an item of `type` whose `key` is `value`. */
  private hasItem(type: string, key: string, value: unknown): boolean {
    return this.items.some((r) => r.item.type === type && r.item[key] === value);
  }

  private onItemCreate(raw: Record<string, unknown>, previousItemId: unknown, eventId: unknown): void {
    if (typeof raw.id === 'string' && raw.id.length > MAX_ITEM_ID) {
      return this.error({
        code: 'string_above_max_length',
        message: `Invalid 'item.id': string too long. Expected a string with maximum length ${MAX_ITEM_ID}, but got a string with length ${raw.id.length} instead.`,
        param: 'item.id',
        eventId,
      });
    }
    let at = this.items.length;
    if (previousItemId === 'root') at = 0;
    else if (typeof previousItemId === 'string') {
      const index = this.findIndex(previousItemId);
      if (index < 0) {
        return this.error({
          code: 'invalid_value',
          message: `Error adding item: the previous item with id '${previousItemId}' does not exist.`,
          param: 'previous_item_id',
          eventId,
        });
      }
      at = index + 1;
    }
    const id = typeof raw.id === 'string' ? raw.id : this.nextId('item');
    if (this.findIndex(id) >= 0) {
      return this.error({
        code: 'invalid_value',
        message: `Item with id '${id}' already exists.`,
        param: 'item.id',
        eventId,
      });
    }
    if (raw.type === 'function_call_output' && !this.hasItem('function_call', 'call_id', raw.call_id)) {
      // As the live service words it (livekit/agents#3344, 2025-09).
      return this.error({
        code: 'invalid_tool_call_id',
        message: `Tool call ID '${String(raw.call_id)}' not found in conversation.`,
        eventId,
      });
    }
    if (
      raw.type === 'mcp_approval_response' &&
      !this.hasItem('mcp_approval_request', 'id', raw.approval_request_id)
    ) {
      // The simulator's guess: no live error for this has been seen.
      return this.error({
        code: 'invalid_value',
        message: `MCP approval request '${String(raw.approval_request_id)}' not found in conversation.`,
        param: 'item.approval_request_id',
        eventId,
      });
    }
    // MCP items have neither `object` nor `status` in the spec.
    const item: Record<string, unknown> =
      typeof raw.type === 'string' && raw.type.startsWith('mcp_')
        ? { ...raw, id }
        : { ...raw, id, object: 'realtime.item', status: 'completed' };
    const audioMs = contentAudioMs(item);
    const previous = at > 0 ? (this.items[at - 1]?.item.id ?? null) : null;
    this.items.splice(at, 0, { item, audioMs });
    this.emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.emit({ type: 'conversation.item.done', previous_item_id: previous, item });
  }

  private onItemDelete(itemId: string, eventId: unknown): void {
    const index = this.findIndex(itemId);
    if (index < 0) {
      return this.error({
        code: 'item_delete_invalid_item_id',
        message: `Error deleting item: the item with id '${itemId}' does not exist.`,
        param: 'item_id',
        eventId,
      });
    }
    this.items.splice(index, 1);
    this.emit({ type: 'conversation.item.deleted', item_id: itemId });
  }

  private onItemRetrieve(itemId: string, eventId: unknown): void {
    const record = this.items[this.findIndex(itemId)];
    if (!record) {
      return this.error({
        code: 'item_retrieve_invalid_item_id',
        message: `Item with item_id not found: ${itemId}`,
        param: 'item_id',
        eventId,
      });
    }
    this.emit({ type: 'conversation.item.retrieved', item: record.item });
  }

  private onTruncate(event: Record<string, unknown>, eventId: unknown): void {
    const itemId = event.item_id as string;
    const contentIndex = event.content_index as number;
    const audioEndMs = event.audio_end_ms as number;
    const record = this.items[this.findIndex(itemId)];
    if (!record) {
      return this.error({
        code: 'item_truncate_invalid_item_id',
        message: `Item with item_id not found: ${itemId}`,
        param: 'item_id',
        eventId,
      });
    }
    const part = (record.item.content as Array<Record<string, unknown>> | undefined)?.[contentIndex];
    if (record.item.role !== 'assistant' || part?.type !== 'output_audio') {
      return this.error({
        code: 'invalid_value',
        message: 'Only assistant messages with audio content can be truncated.',
        param: 'content_index',
        eventId,
      });
    }
    const itemAudioMs = Math.floor(record.audioMs);
    const clamped = audioEndMs > itemAudioMs;
    if (clamped) {
      // Seen from the live service: the error names both lengths, has no code, and the item is still
      // truncated at its real end.
      this.error({
        code: null,
        message: `Audio content of ${itemAudioMs}ms is already shorter than ${audioEndMs}ms`,
      });
    }
    const endMs = Math.min(audioEndMs, itemAudioMs);
    record.audioMs = endMs;
    // The server drops the transcript of a truncated item so the model cannot "remember" unheard words.
    delete part.transcript;
    this.ctx.log.truncation({
      at: Date.now(),
      connection: this.ctx.id,
      itemId,
      contentIndex,
      audioEndMs,
      itemAudioMs,
      clamped,
    });
    this.emit({
      type: 'conversation.item.truncated',
      item_id: itemId,
      content_index: contentIndex,
      audio_end_ms: endMs,
    });
  }

  private onCancel(responseId: string | undefined, eventId: unknown): void {
    // Without an id: the default conversation's response, else the newest out-of-band one.
    const runs = [...this.runs];
    const run =
      responseId !== undefined ? runs.find((r) => r.id === responseId) : (this.inBandRun() ?? runs.at(-1));
    if (!run) {
      return this.error({
        code: 'response_cancel_not_active',
        message: 'Cancellation failed: no active response found',
        eventId,
      });
    }
    this.finish(run, 'cancelled', { type: 'cancelled', reason: 'client_cancelled' });
  }

  // ---- responses ------------------------------------------------------------------------------------------

  private inBandRun(): ResponseRun | undefined {
    for (const run of this.runs) if (!run.outOfBand) return run;
    return undefined;
  }

  /** The last user message of a response's context, which is what the reply answers. */
  private lastUserInput(context: readonly ItemRecord[]): LastUserInput {
    for (let i = context.length - 1; i >= 0; i--) {
      const record = context[i];
      if (!record || record.item.role !== 'user') continue;
      const content = (record.item.content as Array<Record<string, unknown>> | undefined) ?? [];
      const text = content
        .filter((p) => p.type === 'input_text' && typeof p.text === 'string')
        .map((p) => p.text as string)
        .join(' ');
      if (text !== '') return { kind: 'text', text };
      if (content.some((p) => p.type === 'input_audio')) return { kind: 'audio', ms: record.audioMs };
    }
    return { kind: 'none' };
  }

  /**
   * What the images of the user's last turn show (its user items in a row: a voice turn's pictures go in a message
   * of their own just before its audio), one sentence each, read from their bytes.
   */
  private userImages(context: readonly ItemRecord[]): string[] {
    let i = context.length - 1;
    while (i >= 0 && context[i]?.item.role !== 'user') i--;
    const parts: Array<Record<string, unknown>> = [];
    for (; i >= 0 && context[i]?.item.role === 'user'; i--) {
      const content = (context[i]?.item.content as Array<Record<string, unknown>> | undefined) ?? [];
      parts.unshift(...content.filter((p) => p.type === 'input_image'));
    }
    return parts.map((part) => {
      const bytes = typeof part.image_url === 'string' ? dataUrlBytes(part.image_url) : null;
      if (!bytes) return 'I could not open an image.';
      try {
        return describeImage(imageFacts(bytes));
      } catch {
        return 'I could not read an image.';
      }
    });
  }

  /** Index of the last user message in `context` (-1: none). */
  private lastUserIndex(context: readonly ItemRecord[]): number {
    for (let i = context.length - 1; i >= 0; i--) {
      const item = context[i]?.item;
      if (item?.type === 'message' && item.role === 'user') return i;
    }
    return -1;
  }

  /** What a message answers: the tool results since the last user message, if any, else that message. */
  private replyInput(context: readonly ItemRecord[]): LastUserInput {
    const tail = context.slice(this.lastUserIndex(context) + 1).map((r) => r.item);
    const outputs = new Map<unknown, string>();
    const approvals = new Map<unknown, Record<string, unknown>>();
    const ran = new Set<unknown>();
    for (const item of tail) {
      if (item.type === 'function_call_output') outputs.set(item.call_id, String(item.output));
      if (item.type === 'mcp_approval_response') approvals.set(item.approval_request_id, item);
      if (item.type === 'mcp_call' && typeof item.approval_request_id === 'string')
        ran.add(item.approval_request_id);
    }
    const results: ToolResult[] = [];
    for (const item of tail) {
      const name = String(item.name);
      const serverLabel = String(item.server_label);
      if (item.type === 'function_call') {
        results.push({ kind: 'function', name, output: outputs.get(item.call_id) });
      } else if (item.type === 'mcp_call') {
        results.push({
          kind: 'mcp',
          serverLabel,
          name,
          output: typeof item.output === 'string' ? item.output : null,
          error: (item.error as McpCallError | null | undefined) ?? null,
        });
      } else if (item.type === 'mcp_approval_request' && !ran.has(item.id)) {
        const answer = approvals.get(item.id);
        if (!answer) results.push({ kind: 'awaiting-approval', serverLabel, name });
        else if (answer.approve !== true) results.push({ kind: 'declined', serverLabel, name });
      }
    }
    if (results.length > 0) return { kind: 'tools', text: toolReplyText(results) };
    return this.lastUserInput(context);
  }

  /**
   * Decides what a response makes, from its context, its tools and `tool_choice` (the response's own, else the
   * session's). In order: MCP calls approved since the last user message and not yet run; a message when a call
   * still lacks its output or an approval its answer (the model answers with what it has); the next step of
   * calls the last user message asks for (tools.ts `requestedCalls`; steps already made are counted by the
   * responses that made them); a forced call (`required`, `{type: 'function'|'mcp', …}`); else a message.
   * `tool_choice: "none"` or no tools: always a message. `parallel_tool_calls: false` keeps the first call.
   */
  private planResponse(context: readonly ItemRecord[], params: Record<string, unknown>): ResponsePlan {
    const tools = (Array.isArray(params.tools) ? params.tools : this.session.tools) as unknown[] | undefined;
    const choice = (params.tool_choice ?? this.session.tool_choice ?? 'auto') as ToolChoice;
    if (!tools || tools.length === 0 || choice === 'none') return { kind: 'message' };
    const parallel = (params.parallel_tool_calls ?? this.parallelToolCalls) !== false;
    const servers = tools.filter(isMcpTool);
    const serverFor = (label: string): McpToolDef =>
      servers.find((t) => t.server_label === label) ?? { type: 'mcp', server_label: label };
    const lastUser = this.lastUserIndex(context);
    const tail = context.slice(lastUser + 1).map((r) => r.item);

    const answered = new Map<unknown, boolean>();
    const ran = new Set<unknown>();
    const outputs = new Set<unknown>();
    for (const item of tail) {
      if (item.type === 'mcp_approval_response')
        answered.set(item.approval_request_id, item.approve === true);
      if (item.type === 'mcp_call' && typeof item.approval_request_id === 'string')
        ran.add(item.approval_request_id);
      if (item.type === 'function_call_output') outputs.add(item.call_id);
    }
    const approved = tail.filter(
      (item) => item.type === 'mcp_approval_request' && answered.get(item.id) === true && !ran.has(item.id),
    );
    if (approved.length > 0) {
      return {
        kind: 'calls',
        outputs: approved.map((item) => ({
          kind: 'mcp',
          server: serverFor(String(item.server_label)),
          name: String(item.name),
          arguments: String(item.arguments),
          approvalRequestId: String(item.id),
        })),
      };
    }
    const waiting = tail.some(
      (item) =>
        (item.type === 'function_call' && !outputs.has(item.call_id)) ||
        (item.type === 'mcp_approval_request' && !answered.has(item.id)),
    );
    if (waiting) return { kind: 'message' };

    const userItem = lastUser >= 0 ? context[lastUser]?.item : undefined;
    const userText = ((userItem?.content as Array<Record<string, unknown>> | undefined) ?? [])
      .filter((p) => p.type === 'input_text' && typeof p.text === 'string')
      .map((p) => p.text as string)
      .join(' ');
    // A step is what one response asked for; approved calls run later belong to their approval's step.
    const stepsMade = new Set<string>();
    for (const item of tail) {
      const origin = this.origins.get(String(item.id));
      if (origin === undefined) continue;
      if (
        item.type === 'function_call' ||
        item.type === 'mcp_approval_request' ||
        (item.type === 'mcp_call' && typeof item.approval_request_id !== 'string')
      )
        stepsMade.add(origin);
    }
    let calls: RequestedCall[] = allowedByChoice(
      requestedCalls(userText, tools)[stepsMade.size] ?? [],
      choice,
    );
    if (calls.length === 0) {
      const forced = forcedCall(choice, tools);
      if (forced) calls = [forced];
    }
    if (!parallel) calls = calls.slice(0, 1);
    if (calls.length === 0) return { kind: 'message' };
    return {
      kind: 'calls',
      outputs: calls.map((call): PlannedOutput => {
        if (call.kind === 'function') return call;
        const server = serverFor(call.serverLabel);
        const base = { server, name: call.name, arguments: call.arguments };
        return needsApproval(server, call.name)
          ? { kind: 'approval', ...base }
          : { kind: 'mcp', ...base, approvalRequestId: null };
      }),
    };
  }

  /** A response's input tokens: the instructions, then each item; what repeats the last request's start is cached. */
  private inputTokens(context: readonly ItemRecord[]): InputUsage {
    const instructions = this.session.instructions;
    const pieces: InputPiece[] = [
      { key: `instructions:${instructions}`, text: tokens.text(instructions), audio: 0 },
      ...context.map(({ item, audioMs }) => itemPiece(item, audioMs)),
    ];
    const usage = inputUsage(pieces, this.lastInput);
    this.lastInput = pieces.map((p) => p.key);
    return usage;
  }

  private takeFault(kind: FaultRule['kind']): FaultRule | undefined {
    for (const book of this.ctx.faults()) {
      const rule = book.take(kind);
      if (rule) return rule;
    }
    return undefined;
  }

  /**
   * `response.input` → the response's own context: references resolve against the conversation (by id, in the
   * order given), inline items are taken as they are and added nowhere. Undefined (after an error) when a
   * reference names no item of the conversation.
   */
  private resolveInput(input: Array<Record<string, unknown>>, eventId: unknown): ItemRecord[] | undefined {
    const context: ItemRecord[] = [];
    for (const [i, entry] of input.entries()) {
      if (entry.type !== 'item_reference') {
        context.push({ item: entry, audioMs: contentAudioMs(entry) });
        continue;
      }
      const id = entry.id as string;
      const record = this.items[this.findIndex(id)];
      if (!record) {
        this.error({
          code: 'invalid_value',
          message: `Invalid 'response.input[${i}].id': the item with id '${id}' does not exist in the conversation.`,
          param: `response.input[${i}].id`,
          eventId,
        });
        return undefined;
      }
      context.push(record);
    }
    return context;
  }

  private onResponseCreate(params: Record<string, unknown>, eventId: unknown): void {
    const conversation = params.conversation ?? 'auto';
    if (conversation !== 'auto' && conversation !== 'none') {
      return this.error({
        code: 'invalid_value',
        message: `Invalid value: '${String(conversation)}'. Supported values are: 'auto' and 'none'.`,
        param: 'response.conversation',
        eventId,
      });
    }
    const outOfBand = conversation === 'none';
    const inBand = this.inBandRun();
    // Only the default conversation is limited to one response at a time; out-of-band ones run beside it.
    if (!outOfBand && inBand) {
      return this.error({
        code: 'conversation_already_has_active_response',
        message: `Conversation already has an active response in progress: ${inBand.id}. Wait until the response is finished before creating a new one.`,
        eventId,
      });
    }
    // `input` replaces the default conversation as the context (`[]` = none at all).
    const context = Array.isArray(params.input)
      ? this.resolveInput(params.input as Array<Record<string, unknown>>, eventId)
      : [...this.items];
    if (!context) return;
    const modalities = (params.output_modalities as string[] | undefined) ?? this.session.output_modalities;
    const instructions = typeof params.instructions === 'string' ? params.instructions : undefined;
    const metadata = params.metadata;
    const plan = this.planResponse(context, params);
    const run: ResponseRun = {
      id: this.nextId('resp'),
      state: 'active',
      abort: new AbortController(),
      plan,
      items: [],
      open: new Set(),
      outputModalities: modalities,
      text:
        plan.kind === 'message'
          ? replyText(this.replyInput(context), instructions, this.userImages(context))
          : '',
      sentText: '',
      sentAudioMs: 0,
      input: this.inputTokens(context),
      outOfBand,
      metadata:
        typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : null,
    };
    this.runs.add(run);
    this.run(run).catch((e: unknown) => {
      // Cancelled is the normal way a run ends early; anything else is a simulator bug worth seeing.
      if (!(e instanceof Cancelled)) console.error('[simulator] response failed:', e);
    });
  }

  private responseObject(
    run: ResponseRun,
    status: string,
    statusDetails?: Record<string, unknown>,
  ): Record<string, unknown> {
    const output = run.items;
    const response: Record<string, unknown> = {
      object: 'realtime.response',
      id: run.id,
      status,
      output,
      // Out-of-band responses belong to no conversation: null, as the spec says.
      conversation_id: run.outOfBand ? null : `conv_sim${this.ctx.id}`,
      output_modalities: run.outputModalities,
      max_output_tokens: 'inf',
      audio: {
        output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: this.session.audio.output.voice },
      },
      usage: status === 'in_progress' ? undefined : usageObject(run.input, this.outputTokens(run)),
      metadata: run.metadata,
    };
    if (response.usage === undefined) delete response.usage;
    if (statusDetails) response.status_details = statusDetails;
    return response;
  }

  /** What a response produced so far: its text (or transcript) and its audio by length. */
  private outputTokens(run: ResponseRun): { text: number; audio: number } {
    return { text: tokens.text(run.sentText), audio: tokens.outputAudio(run.sentAudioMs) };
  }

  /** A response started: the account is charged its input, and says what is left. */
  private reportRateLimits(run: ResponseRun): void {
    const account = this.ctx.rateLimits;
    if (!account) return;
    account.request(run.input.text + run.input.audio);
    this.emit({ type: 'rate_limits.updated', rate_limits: account.report() });
  }

  /** Ends the active response: closes its open item (as incomplete when cut short) and sends `response.done`. */
  private finish(
    run: ResponseRun,
    status: 'completed' | 'cancelled' | 'failed',
    details?: Record<string, unknown>,
  ): void {
    if (run.state !== 'active') return;
    run.state = 'done';
    run.abort.abort();
    this.runs.delete(run);
    // Items cut short are closed: a function call's partial arguments get their `.done` first (the spec: "also
    // emitted when a Response is interrupted, incomplete, or cancelled"); messages and calls end `incomplete`.
    for (const [index, item] of run.items.entries()) {
      if (!run.open.has(item)) continue;
      run.open.delete(item);
      const where = { response_id: run.id, item_id: item.id, output_index: index };
      if (item.type === 'function_call') {
        this.emit({
          type: 'response.function_call_arguments.done',
          ...where,
          call_id: item.call_id,
          name: item.name,
          arguments: item.arguments,
        });
      }
      if (item.type === 'message' || item.type === 'function_call') item.status = 'incomplete';
      this.emit({ type: 'response.output_item.done', response_id: run.id, output_index: index, item });
      if (!run.outOfBand) {
        this.emit({ type: 'conversation.item.done', previous_item_id: this.previousOf(item), item });
      }
    }
    this.emit({ type: 'response.done', response: this.responseObject(run, status, details) });
    const produced = this.outputTokens(run);
    this.ctx.rateLimits?.spend(produced.text + produced.audio);
  }

  private cancelAllSilently(): void {
    for (const run of this.runs) {
      run.state = 'done';
      run.abort.abort();
    }
    this.runs.clear();
  }

  private previousOf(item: Record<string, unknown>): string | null {
    const index = this.findIndex(item.id as string);
    return index > 0 ? ((this.items[index - 1]?.item.id as string | undefined) ?? null) : null;
  }

  /** Sends an event that belongs to `run`, unless the run has ended (cancel, drop). */
  private send(run: ResponseRun, event: Record<string, unknown>): void {
    if (run.state !== 'active') throw new Cancelled();
    this.emit(event);
  }

  /** Ends `run` failed with the `server-error` fault's error (after a short think). */
  private async failWith(run: ResponseRun, rule: FaultRule): Promise<void> {
    await this.sleep(20, run.abort.signal);
    const error: Record<string, unknown> = {
      type: rule.errorType ?? 'server_error',
      message: rule.message ?? 'The server had an error while processing your request.',
    };
    if (rule.code !== undefined) error.code = rule.code;
    this.finish(run, 'failed', { type: 'failed', error });
  }

  private async run(run: ResponseRun): Promise<void> {
    if (run.plan.kind === 'calls') return this.runCalls(run, run.plan.outputs);
    const signal = run.abort.signal;
    const wantsAudio = run.outputModalities.includes('audio');
    const serverError = this.takeFault('server-error');
    const stall = serverError ? undefined : this.takeFault('stall');
    const drop = serverError || stall ? undefined : this.takeFault('drop');
    const textInstead = wantsAudio ? this.takeFault('text-instead-of-audio') : undefined;
    const slowFirst = this.takeFault('slow-first-delta');

    this.send(run, { type: 'response.created', response: this.responseObject(run, 'in_progress') });
    this.reportRateLimits(run);
    await this.sleep(0, signal);

    if (serverError) return this.failWith(run, serverError);

    const partType: 'audio' | 'text' = wantsAudio && !textInstead ? 'audio' : 'text';
    run.partType = partType;
    const item: Record<string, unknown> = {
      id: this.nextId('item'),
      object: 'realtime.item',
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    run.item = item;
    run.items.push(item);
    run.open.add(item);
    const previous = this.items.at(-1)?.item.id ?? null;
    const record: ItemRecord = { item, audioMs: 0 };
    run.itemRecord = record;
    // An out-of-band response's output is sent to the client only; the conversation never holds it.
    if (!run.outOfBand) this.items.push(record);
    const where = { response_id: run.id, item_id: item.id, output_index: 0, content_index: 0 };

    this.send(run, { type: 'response.output_item.added', response_id: run.id, output_index: 0, item });
    if (!run.outOfBand) this.send(run, { type: 'conversation.item.added', previous_item_id: previous, item });
    const part: Record<string, unknown> =
      partType === 'audio' ? { type: 'output_audio', transcript: '' } : { type: 'output_text', text: '' };
    (item.content as unknown[]).push(part);
    this.send(run, {
      type: 'response.content_part.added',
      ...where,
      part: partType === 'audio' ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
    });

    if (stall) {
      // Never finishes on its own; only response.cancel or the socket closing ends it.
      await new Promise<void>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Cancelled())),
      );
      return;
    }

    if (slowFirst) await this.sleep(slowFirst.ms ?? FAULT_DEFAULTS.slowFirstDeltaMs, signal);

    let deltas = 0;
    const afterDelta = (): void => {
      deltas += 1;
      if (drop && deltas >= (drop.afterDeltas ?? FAULT_DEFAULTS.dropAfterDeltas)) {
        this.drop();
        throw new Cancelled();
      }
    };

    if (partType === 'text') {
      const pieces = run.text.match(/\S+\s*/g) ?? [];
      for (let i = 0; i < pieces.length; i += 2) {
        if (i > 0) await this.sleep(this.ctx.textDeltaMs, signal);
        const delta = pieces.slice(i, i + 2).join('');
        run.sentText += delta;
        part.text = run.sentText;
        this.send(run, { type: 'response.output_text.delta', ...where, delta });
        afterDelta();
      }
      this.send(run, { type: 'response.output_text.done', ...where, text: run.text });
      this.send(run, {
        type: 'response.content_part.done',
        ...where,
        part: { type: 'text', text: run.text },
      });
    } else {
      const samples = this.ctx.replyAudio(run.text);
      const layout = replyAudioLayout(run.text);
      // One piece per word, with the whitespace after it, so the deltas add up to the text exactly.
      const pieces = run.text.match(/\S+\s*/g) ?? [];
      const pacing = this.ctx.audioPacing;
      const { firstMs, deltaMs, speed } =
        pacing === 'realtime'
          ? { firstMs: CHUNK_MS, deltaMs: CHUNK_MS, speed: 1 }
          : pacing === 'fast'
            ? { firstMs: CHUNK_MS, deltaMs: CHUNK_MS, speed: Infinity }
            : pacing;
      const first = Math.round((SAMPLE_RATE * firstMs) / 1000);
      const chunk = Math.round((SAMPLE_RATE * deltaMs) / 1000);
      const start = performance.now();
      let word = 0;
      for (let offset = 0, n = 0; offset < samples.length; offset += n === 1 ? first : chunk) {
        n++;
        const end = Math.min(offset + (n === 1 ? first : chunk), samples.length);
        if (n > 1) {
          // Each delta goes out once its audio has been generated: its end, counted from the first delta's end.
          const due = start + (((end - first) / SAMPLE_RATE) * 1000) / speed;
          await this.sleep(Number.isFinite(due) ? due - performance.now() : 0, signal);
        }
        // Transcript runs with the audio: a word's text goes out when its burst starts.
        const words: string[] = [];
        while (word < layout.length && (layout[word]?.startSample ?? Infinity) < end) {
          words.push(pieces[word] ?? '');
          word++;
        }
        const slice = samples.subarray(offset, end);
        this.send(run, { type: 'response.output_audio.delta', ...where, delta: samplesToBase64(slice) });
        run.sentAudioMs += (slice.length / SAMPLE_RATE) * 1000;
        record.audioMs = run.sentAudioMs;
        this.audioSent = true;
        if (words.length > 0) {
          const delta = words.join('');
          run.sentText += delta;
          part.transcript = run.sentText;
          this.send(run, { type: 'response.output_audio_transcript.delta', ...where, delta });
        }
        afterDelta();
      }
      // Text with no words (or a custom signal shorter than the layout): flush what is left of the transcript.
      if (run.sentText !== run.text) {
        const rest = run.text.slice(run.sentText.length);
        run.sentText = run.text;
        part.transcript = run.text;
        this.send(run, { type: 'response.output_audio_transcript.delta', ...where, delta: rest });
      }
      this.send(run, { type: 'response.output_audio.done', ...where });
      this.send(run, { type: 'response.output_audio_transcript.done', ...where, transcript: run.text });
      this.send(run, {
        type: 'response.content_part.done',
        ...where,
        part: { type: 'audio', transcript: run.text },
      });
    }

    item.status = 'completed';
    run.open.delete(item);
    this.send(run, { type: 'response.output_item.done', response_id: run.id, output_index: 0, item });
    if (!run.outOfBand) {
      this.send(run, { type: 'conversation.item.done', previous_item_id: this.previousOf(item), item });
    }
    this.finish(run, 'completed');
  }

  // ---- tool calls -----------------------------------------------------------------------------------------

  /** Adds an output item: `response.output_item.added`, and `conversation.item.added` when in-band. */
  private addOutput(run: ResponseRun, item: Record<string, unknown>): number {
    const index = run.items.length;
    run.items.push(item);
    run.open.add(item);
    this.origins.set(String(item.id), run.id);
    const previous = this.items.at(-1)?.item.id ?? null;
    if (!run.outOfBand) this.items.push({ item, audioMs: 0 });
    this.send(run, { type: 'response.output_item.added', response_id: run.id, output_index: index, item });
    if (!run.outOfBand) this.send(run, { type: 'conversation.item.added', previous_item_id: previous, item });
    return index;
  }

  /** Closes an output item: `response.output_item.done`, and `conversation.item.done` when in-band. */
  private doneOutput(run: ResponseRun, item: Record<string, unknown>, index: number): void {
    run.open.delete(item);
    this.send(run, { type: 'response.output_item.done', response_id: run.id, output_index: index, item });
    if (!run.outOfBand) {
      this.send(run, { type: 'conversation.item.done', previous_item_id: this.previousOf(item), item });
    }
  }

  /**
   * A response made of tool calls (no message): each `function_call` streams its arguments; each MCP call
   * streams its arguments, runs on the fake server (`response.mcp_call.in_progress` → `.completed`/`.failed`)
   * and carries its output or error; each call needing approval is an `mcp_approval_request` item. Then
   * `response.done` (completed; `failed` with the `tool-call-then-fail` fault).
   */
  private async runCalls(run: ResponseRun, outputs: PlannedOutput[]): Promise<void> {
    const signal = run.abort.signal;
    const serverError = this.takeFault('server-error');
    const stall = serverError ? undefined : this.takeFault('stall');
    const drop = serverError || stall ? undefined : this.takeFault('drop');
    const slowFirst = this.takeFault('slow-first-delta');
    const thenFail = serverError ? undefined : this.takeFault('tool-call-then-fail');
    const callStall = serverError || stall ? undefined : this.takeFault('tool-call-stall');

    this.send(run, { type: 'response.created', response: this.responseObject(run, 'in_progress') });
    this.reportRateLimits(run);
    await this.sleep(0, signal);
    if (serverError) return this.failWith(run, serverError);
    if (slowFirst) await this.sleep(slowFirst.ms ?? FAULT_DEFAULTS.slowFirstDeltaMs, signal);

    let deltas = 0;
    const afterDelta = async (): Promise<void> => {
      deltas += 1;
      if (drop && deltas >= (drop.afterDeltas ?? FAULT_DEFAULTS.dropAfterDeltas)) {
        this.drop();
        throw new Cancelled();
      }
      if ((stall || callStall) && deltas === 1) {
        // Never finishes on its own; only response.cancel or the socket closing ends it.
        await new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Cancelled())),
        );
      }
    };
    /** Streams `text` into `item.arguments` in deltas built by `event`. */
    const stream = async (
      item: Record<string, unknown>,
      text: string,
      event: (delta: string) => Record<string, unknown>,
    ): Promise<void> => {
      const pieces = text.match(/[\s\S]{1,12}/g) ?? [''];
      for (const [i, delta] of pieces.entries()) {
        if (i > 0) await this.sleep(this.ctx.textDeltaMs, signal);
        item.arguments = String(item.arguments) + delta;
        this.send(run, event(delta));
        await afterDelta();
      }
    };

    for (const [n, out] of outputs.entries()) {
      if (n > 0) await this.sleep(this.ctx.textDeltaMs, signal);
      if (out.kind === 'function') {
        const item: Record<string, unknown> = {
          id: this.nextId('item'),
          object: 'realtime.item',
          type: 'function_call',
          status: 'in_progress',
          name: out.name,
          call_id: this.nextId('call'),
          arguments: '',
        };
        const index = this.addOutput(run, item);
        const where = { response_id: run.id, item_id: item.id, output_index: index, call_id: item.call_id };
        await stream(item, out.arguments, (delta) => ({
          type: 'response.function_call_arguments.delta',
          ...where,
          delta,
        }));
        this.send(run, {
          type: 'response.function_call_arguments.done',
          ...where,
          name: out.name,
          arguments: out.arguments,
        });
        item.status = 'completed';
        this.doneOutput(run, item, index);
      } else if (out.kind === 'approval') {
        const item: Record<string, unknown> = {
          type: 'mcp_approval_request',
          id: this.nextId('item'),
          server_label: out.server.server_label,
          name: out.name,
          arguments: out.arguments,
        };
        const index = this.addOutput(run, item);
        this.doneOutput(run, item, index);
      } else {
        const item: Record<string, unknown> = {
          type: 'mcp_call',
          id: this.nextId('item'),
          server_label: out.server.server_label,
          name: out.name,
          arguments: '',
          approval_request_id: out.approvalRequestId,
          output: null,
          error: null,
        };
        const index = this.addOutput(run, item);
        const where = { response_id: run.id, item_id: item.id, output_index: index };
        await stream(item, out.arguments, (delta) => ({
          type: 'response.mcp_call_arguments.delta',
          ...where,
          delta,
        }));
        this.send(run, { type: 'response.mcp_call_arguments.done', ...where, arguments: out.arguments });
        this.send(run, { type: 'response.mcp_call.in_progress', item_id: item.id, output_index: index });
        await this.sleep(this.ctx.textDeltaMs, signal);
        const result = runFakeMcpTool(out.server, out.name, out.arguments);
        if ('output' in result) item.output = result.output;
        else item.error = result.error;
        this.send(run, {
          type: 'output' in result ? 'response.mcp_call.completed' : 'response.mcp_call.failed',
          item_id: item.id,
          output_index: index,
        });
        this.doneOutput(run, item, index);
      }
    }

    if (thenFail) {
      await this.sleep(this.ctx.textDeltaMs, signal);
      this.finish(run, 'failed', {
        type: 'failed',
        error: { type: 'server_error', message: 'The server had an error while processing your request.' },
      });
      return;
    }
    this.finish(run, 'completed');
  }
}
