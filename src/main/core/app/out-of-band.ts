/**
 * Out-of-band helper responses (`response.create` with `conversation: "none"`): a conversation's title, a long
 * conversation's summary. They run beside the user's turns and never become one: their events are claimed here
 * before the turn machine sees them (so its one active response stays the user's, and their text never reaches
 * the conversation view), and each ends in exactly one answer — the text, or null when it failed, was refused,
 * or the session ended first. Every event still goes through the event log like any other.
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from '../realtime/connection-types';
import { outOfBandRequest, type OutOfBandPurpose } from '../realtime/ga-dialect';
import type { Clock } from '../clock';

/** What an out-of-band response gave back. */
export interface OutOfBandResult {
  purpose: OutOfBandPurpose;
  responseId: string;
  /** completed | failed | cancelled | incomplete */
  status: string;
  text: string;
}

export interface OutOfBandDeps {
  /** Sends a client event on the current session (and logs it); false when not connected. */
  send: (event: RealtimeClientEvent) => boolean;
  clock: Clock;
  /** How long a response may take before it is given up (its late events are still claimed). */
  timeoutMs: () => number;
  /**
   * An out-of-band response ended with usage (it costs tokens like any response), late ones too; `turnId` is
   * the turn it was asked for.
   */
  onUsage: (record: { turnId: string; responseId: string; status: string; usage: unknown }) => void;
}

interface Pending {
  eventId: string;
  purpose: OutOfBandPurpose;
  turnId: string;
  responseId: string | null;
  text: string;
  done: (result: OutOfBandResult | null) => void;
  timer: unknown;
}

/** The out-of-band responses of the current session. */
export class OutOfBand {
  private readonly pending = new Map<string, Pending>();
  /** Response id → its request; kept after the answer so late events are still claimed (bounded). */
  private readonly byResponse = new Map<string, Pending>();
  private seq = 0;

  constructor(private readonly deps: OutOfBandDeps) {}

  /**
   * Asks for a text response outside the conversation, on behalf of a turn (whose cost it adds to). `done` is
   * called once: with the result, or null when it could not be sent or did not complete in time. Without
   * `input` the session's conversation is the context.
   */
  request(
    ask: {
      purpose: OutOfBandPurpose;
      turnId: string;
      instructions: string;
      input?: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>;
    },
    done: (result: OutOfBandResult | null) => void,
  ): void {
    this.seq += 1;
    const eventId = `oob_${ask.purpose}_${this.seq}_${Date.now().toString(36)}`;
    const entry: Pending = {
      eventId,
      purpose: ask.purpose,
      turnId: ask.turnId,
      responseId: null,
      text: '',
      done,
      timer: null,
    };
    if (!this.deps.send(outOfBandRequest(eventId, ask.purpose, ask.instructions, ask.input))) {
      done(null);
      return;
    }
    this.pending.set(eventId, entry);
    entry.timer = this.deps.clock.setTimeout(() => this.finish(entry, null), this.deps.timeoutMs());
  }

  /** Whether the event belongs to one of our out-of-band responses (then the turn machine must not see it). */
  claim(event: RealtimeServerEvent): boolean {
    if (event.type === 'response.created') {
      const metadata = (event.response as { metadata?: Record<string, unknown> | null }).metadata;
      const request = typeof metadata?.talkie_request === 'string' ? metadata.talkie_request : null;
      // A server that drops metadata still says the response is in no conversation: the oldest unanswered is it.
      const unnamed =
        request === null && (event.response as { conversation_id?: unknown }).conversation_id === null
          ? [...this.pending.values()].find((p) => p.responseId === null)
          : undefined;
      const entry = request === null ? unnamed : this.pending.get(request);
      if (!entry || !event.response.id) return false;
      entry.responseId = event.response.id;
      this.byResponse.set(event.response.id, entry);
      this.trim();
      return true;
    }
    if (event.type === 'error') {
      const entry = event.error.event_id ? this.pending.get(event.error.event_id) : undefined;
      if (!entry) return false;
      this.finish(entry, null);
      return true;
    }
    const responseId =
      'response_id' in event && typeof event.response_id === 'string'
        ? event.response_id
        : 'response' in event && typeof event.response === 'object' && event.response
          ? (event.response as { id?: string }).id
          : undefined;
    const entry = responseId ? this.byResponse.get(responseId) : undefined;
    if (!entry) return false;
    if (event.type === 'response.output_text.delta') entry.text += event.delta;
    if (event.type === 'response.done') {
      const status = event.response.status ?? 'completed';
      const text = entry.text.trim() || outputText(event.response.output);
      if (event.response.usage)
        this.deps.onUsage({
          turnId: entry.turnId,
          responseId: responseId ?? '',
          status,
          usage: event.response.usage,
        });
      this.finish(entry, {
        purpose: entry.purpose,
        responseId: responseId ?? '',
        status,
        text: status === 'completed' ? text : '',
      });
    }
    return true;
  }

  /** The session ended: what is still waiting will not come. */
  reset(): void {
    for (const entry of [...this.pending.values()]) this.finish(entry, null);
    this.byResponse.clear();
  }

  private finish(entry: Pending, result: OutOfBandResult | null): void {
    // Given up on already (timeout, reset): answered then.
    if (!this.pending.delete(entry.eventId)) return;
    this.deps.clock.clearTimeout(entry.timer);
    entry.done(result);
  }

  /** Late events of old responses are claimed only while a few are remembered. */
  private trim(): void {
    while (this.byResponse.size > 20) {
      const oldest = this.byResponse.keys().next().value;
      if (oldest === undefined) break;
      this.byResponse.delete(oldest);
    }
  }
}

/** The text of a response's output items (message content parts), when no delta carried it. */
function outputText(output: unknown): string {
  if (!Array.isArray(output)) return '';
  const parts: string[] = [];
  for (const item of output as Array<{ content?: Array<{ text?: unknown; transcript?: unknown }> }>)
    for (const part of item.content ?? []) {
      if (typeof part.text === 'string') parts.push(part.text);
      else if (typeof part.transcript === 'string') parts.push(part.transcript);
    }
  return parts.join('').trim();
}
