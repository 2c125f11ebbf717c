/**
 * What out-of-band requests claim from the server's events, and how each ends exactly once: a refusal (an error
 * naming the request's event id) or a response that never comes is an answer of null, never the user's turn's
 * failure; a server that drops the metadata is still recognised by its response being in no conversation; the
 * tokens of a response that ends after it was given up still count.
 */
import { describe, expect, it } from 'vitest';
import { OutOfBand, type OutOfBandResult } from '../../../../src/main/core/app/out-of-band';
import type { Clock } from '../../../../src/main/core/clock';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
} from '../../../../src/main/core/realtime/connection-types';

/** A clock whose timers run when the test says. */
function handClock(): Clock & { fire(): void } {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => 0,
    setTimeout: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    fire: () => {
      for (const [id, fn] of [...timers]) {
        timers.delete(id);
        fn();
      }
    },
  };
}

function setup(): {
  oob: OutOfBand;
  sent: RealtimeClientEvent[];
  usage: Array<{ turnId: string; status: string }>;
  clock: ReturnType<typeof handClock>;
} {
  const sent: RealtimeClientEvent[] = [];
  const usage: Array<{ turnId: string; status: string }> = [];
  const clock = handClock();
  const oob = new OutOfBand({
    send: (event) => {
      sent.push(event);
      return true;
    },
    clock,
    timeoutMs: () => 30_000,
    onUsage: (r) => usage.push({ turnId: r.turnId, status: r.status }),
  });
  return { oob, sent, usage, clock };
}

const ev = (event: Record<string, unknown>): RealtimeServerEvent => event as unknown as RealtimeServerEvent;
const USAGE = { total_tokens: 12, input_tokens: 10, output_tokens: 2 };

describe('out-of-band requests', () => {
  it('claim their own response’s events only, and answer with its text', () => {
    const { oob, sent, usage } = setup();
    const answers: Array<OutOfBandResult | null> = [];
    oob.request({ purpose: 'title', turnId: 't1', instructions: 'Title it' }, (r) => answers.push(r));
    const eventId = (sent[0] as { event_id: string }).event_id;
    expect(sent[0]).toMatchObject({ type: 'response.create', response: { conversation: 'none' } });

    expect(oob.claim(ev({ type: 'response.created', response: { id: 'resp_user', metadata: null } }))).toBe(
      false,
    );
    const created = {
      id: 'resp_oob',
      conversation_id: null,
      metadata: { purpose: 'title', talkie_request: eventId },
    };
    expect(oob.claim(ev({ type: 'response.created', response: created }))).toBe(true);
    expect(oob.claim(ev({ type: 'response.output_text.delta', response_id: 'resp_user', delta: 'Hi' }))).toBe(
      false,
    );
    expect(
      oob.claim(ev({ type: 'response.output_text.delta', response_id: 'resp_oob', delta: 'Tides ' })),
    ).toBe(true);
    expect(
      oob.claim(ev({ type: 'response.output_text.delta', response_id: 'resp_oob', delta: 'at Brighton' })),
    ).toBe(true);
    const done = { ...created, status: 'completed', output: [], usage: USAGE };
    expect(oob.claim(ev({ type: 'response.done', response: done }))).toBe(true);
    expect(answers).toEqual([
      { purpose: 'title', responseId: 'resp_oob', status: 'completed', text: 'Tides at Brighton' },
    ]);
    expect(usage).toEqual([{ turnId: 't1', status: 'completed' }]);
  });

  it('a refusal naming the request is claimed and answered with null', () => {
    const { oob, sent } = setup();
    const answers: Array<OutOfBandResult | null> = [];
    oob.request({ purpose: 'summary', turnId: 't1', instructions: 'Sum up' }, (r) => answers.push(r));
    const eventId = (sent[0] as { event_id: string }).event_id;
    expect(
      oob.claim(
        ev({ type: 'error', error: { type: 'invalid_request_error', message: 'no', event_id: 'evt_other' } }),
      ),
    ).toBe(false);
    expect(
      oob.claim(
        ev({ type: 'error', error: { type: 'invalid_request_error', message: 'no', event_id: eventId } }),
      ),
    ).toBe(true);
    expect(answers).toEqual([null]);
  });

  it('without metadata, a response in no conversation is the oldest request’s', () => {
    const { oob } = setup();
    const answers: Array<string | undefined> = [];
    oob.request({ purpose: 'title', turnId: 't1', instructions: 'Title it' }, (r) => answers.push(r?.text));
    expect(
      oob.claim(ev({ type: 'response.created', response: { id: 'resp_in', conversation_id: 'conv_1' } })),
    ).toBe(false);
    expect(
      oob.claim(ev({ type: 'response.created', response: { id: 'resp_x', conversation_id: null } })),
    ).toBe(true);
    const output = [{ type: 'message', content: [{ type: 'output_text', text: 'From the output' }] }];
    oob.claim(ev({ type: 'response.done', response: { id: 'resp_x', status: 'completed', output } }));
    expect(answers).toEqual(['From the output']);
  });

  it('given up after its time or with its session, it answers null once; a late end still counts its tokens', () => {
    const { oob, sent, usage, clock } = setup();
    const answers: Array<OutOfBandResult | null> = [];
    oob.request({ purpose: 'title', turnId: 't1', instructions: 'Title it' }, (r) => answers.push(r));
    const eventId = (sent[0] as { event_id: string }).event_id;
    const created = { id: 'resp_slow', metadata: { purpose: 'title', talkie_request: eventId } };
    oob.claim(ev({ type: 'response.created', response: created }));
    clock.fire();
    expect(answers).toEqual([null]);
    // Its late events are still not the turns'.
    expect(oob.claim(ev({ type: 'response.output_text.delta', response_id: 'resp_slow', delta: 'x' }))).toBe(
      true,
    );
    oob.claim(
      ev({ type: 'response.done', response: { ...created, status: 'completed', output: [], usage: USAGE } }),
    );
    expect(answers).toEqual([null]);
    expect(usage).toEqual([{ turnId: 't1', status: 'completed' }]);

    oob.request({ purpose: 'summary', turnId: 't2', instructions: 'Sum up' }, (r) => answers.push(r));
    oob.reset();
    oob.reset();
    expect(answers).toEqual([null, null]);
  });
});
