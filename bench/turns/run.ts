/**
 * What one 20 ms microphone frame costs the core while the conversation grows: the pure turn machine's step,
 * and the whole in-process path a frame takes in the app (machine, runner effects, the conversation model
 * keeping the turn, the event to the window). The conversation is built for real: N typed turns answered
 * through the same machine and written to a real database, then reopened, so both the machine and the
 * conversation model hold what they would after N turns.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Conversations } from '../../src/main/core/conversation/conversations';
import { ConversationStore } from '../../src/main/core/store/conversation-store';
import { initialState, step } from '../../src/main/core/turn/machine';
import type {
  Effect,
  Input,
  MachineState,
  SessionConfig,
  TurnIdentity,
} from '../../src/main/core/turn/types';
import type { TurnView } from '../../src/shared/types';

const CONFIG: SessionConfig = {
  voice: 'marin',
  instructions: '',
  audioFormat: 'audio/pcm',
  stallTimeoutMs: 10_000,
  transcriptionModel: null,
  tools: [],
};
const SIZES = [10, 1_000, 10_000];

interface Figures {
  turns: number;
  stepP50: number;
  stepP99: number;
  pathP50: number;
  pathP99: number;
  machineTurns: number;
  buildMs: number;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Times `fn` `n` times after a warm-up, in µs per call (batches of 10 for timer resolution). */
function time(n: number, fn: () => void): number[] {
  for (let i = 0; i < 2_000; i += 1) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    for (let k = 0; k < 10; k += 1) fn();
    out.push(((performance.now() - t0) * 1000) / 10);
  }
  return out.sort((a, b) => a - b);
}

function server(event: Record<string, unknown>): Input | null {
  // The dialect's decoding is not what is measured here; these are the inputs it produces.
  return event as unknown as Input;
}

function measure(size: number, samples: number): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-bench-turns-'));
  const built = performance.now();
  let { store } = ConversationStore.open(join(dir, 'conversations.db'));
  let seq = 0;
  const newId = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}_${(seq += 1)}`;
  const deps = (s: ConversationStore): ConstructorParameters<typeof Conversations>[0] => ({
    store: s,
    now: () => Date.now(),
    newId,
    onOpened: () => undefined,
    onList: () => undefined,
  });
  let conversations = new Conversations(deps(store));
  let state: MachineState = initialState(CONFIG, {
    replyAs: 'text',
    instructions: '',
    instructionsMode: 'append',
  });
  let now = 1_000_000;
  const run = (input: Input | null): Effect[] => {
    if (!input) return [];
    const result = step(state, input, (now += 1));
    state = result.state;
    for (const e of result.effects) if (e.kind === 'emitTurn') conversations.turnChanged(e.turn, () => null);
    return result.effects;
  };
  run({ type: 'connectionUp', expiresAt: null, history: [] });
  run(server({ type: 'sessionDescribed', instructions: null }));
  const text = 'A question of ordinary length about something the user cares about today?';
  for (let i = 0; i < size; i += 1) {
    const turn: TurnIdentity = conversations.mint();
    run({ type: 'text', turn, text });
    run(server({ type: 'responseCreated', responseId: `r${i}` }));
    run(
      server({
        type: 'textDelta',
        responseId: `r${i}`,
        itemId: `i${i}`,
        delta: 'An answer of about the same length, give or take a few words.',
        source: 'text',
      }),
    );
    run(
      server({ type: 'responseDone', responseId: `r${i}`, status: 'completed', details: null, usage: null }),
    );
  }
  // Reopen, as after a restart: the conversation model loads every turn of the open conversation.
  store.close();
  store = ConversationStore.open(join(dir, 'conversations.db')).store;
  conversations = new Conversations(deps(store));
  const buildMs = performance.now() - built;

  run({ type: 'press', turn: conversations.mint(), playedMs: null });
  const frame: Input = { type: 'frame', ms: 20 };
  const stepTimes = time(samples, () => {
    state = step(state, frame, (now += 20)).state;
  });
  const pathTimes = time(samples, () => {
    const result = step(state, frame, (now += 20));
    state = result.state;
    for (const e of result.effects) {
      if (e.kind === 'emitTurn') {
        conversations.turnChanged(e.turn, () => null);
        JSON.stringify(e.turn as TurnView); // the event to the window is serialised once
      }
    }
  });
  const figures: Figures = {
    turns: conversations.current().turns.length - 1,
    stepP50: quantile(stepTimes, 0.5),
    stepP99: quantile(stepTimes, 0.99),
    pathP50: quantile(pathTimes, 0.5),
    pathP99: quantile(pathTimes, 0.99),
    machineTurns: state.turns.length,
    buildMs,
  };
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

/** Runs the benchmark; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const quick = args.includes('--quick');
  const samples = quick ? 2_000 : 20_000;
  console.log(
    `Turn path: one 20 ms microphone frame, ${samples} samples of 10 frames each, node ${process.version} ${process.execArgv.join(' ')}`,
  );
  console.log(
    'turns in conversation | machine step p50 / p99 (µs) | frame path p50 / p99 (µs) | turns in machine | setup',
  );
  for (const size of SIZES) {
    const f = measure(size, samples);
    console.log(
      `${String(f.turns).padStart(21)} | ${f.stepP50.toFixed(2).padStart(12)} / ${f.stepP99.toFixed(2).padEnd(13)} | ${f.pathP50.toFixed(2).padStart(9)} / ${f.pathP99.toFixed(2).padEnd(13)} | ${String(f.machineTurns).padStart(16)} | ${(f.buildMs / 1000).toFixed(1)} s`,
    );
  }
  return 0;
}
