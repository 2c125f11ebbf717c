/**
 * Conversation store benchmark: a real database file in a temp folder, filled the way the app fills it. Run with
 * `npm run bench:store` (`-- --turns 20000` for a bigger history, `-- --keep` to keep the file). Prints figures; asserts nothing about speed.
 *
 * Figures (definitions):
 * - saveTurn: wall time of one saveTurn call (one transaction, WAL, synchronous=NORMAL), as the app saves a turn
 *   through its life: created while waiting, twice while the reply streams in (the text grows), once when done.
 *   Measured over the 500 turns that bring the history to about 1 000 turns, and the 500 that bring it to the
 *   full size (10 000 by default).
 * - size: the database file after close (WAL checkpointed), per 1 000 turns, beside the UTF-8 bytes of the text
 *   the turns hold. Texts have realistic lengths: a spoken or typed question of 40-250 characters, a reply of
 *   150-600 characters when spoken and 300-1 800 when written.
 * - open: ConversationStore.open on the full file, including the quick_check that reads every page.
 * - search: one search() call (default limit 50) on the full history, per kind of query.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../src/main/core/store/conversation-store';
import type { TurnView } from '../../src/shared/types';
import { quantile } from '../audio/stats';

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(20240611);
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'pe',
  'da',
  'gri',
  'ston',
  'mar',
  'el',
  'in',
  'or',
];
/** 5 000 made-up words; drawn with a Zipf-like skew, as words in speech are (a few very common, most rare). */
const VOCABULARY = Array.from({ length: 5000 }, (_, i) => {
  let w = '';
  for (let n = 1 + (i % 4); n >= 0; n--) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)] ?? 'a';
  return `${w}${i}`;
});
const word = (): string => VOCABULARY[Math.floor(VOCABULARY.length * rand() ** 3)] ?? 'a';
function text(min: number, max: number): string {
  const length = min + Math.floor(rand() * (max - min));
  let s = '';
  while (s.length < length) s += (s === '' ? '' : rand() < 0.1 ? '. ' : ' ') + word();
  return s;
}

interface Latencies {
  first: number[];
  streaming: number[];
  done: number[];
}
const latencies = (): Latencies => ({ first: [], streaming: [], done: [] });

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1000;
}

/** Saves `count` turns across conversations of 20-100 turns, recording the latencies of the last `measure`. */
function fill(
  store: ConversationStore,
  state: { turns: number; conversation: string; left: number; index: number; textBytes: number },
  count: number,
  measure: number,
): Latencies {
  const out = latencies();
  for (let n = 0; n < count; n++) {
    if (state.left === 0) {
      state.conversation = `conv-${state.turns}`;
      state.left = 20 + Math.floor(rand() * 80);
      state.index = 0;
      store.createConversation({
        id: state.conversation,
        title: text(20, 40),
        createdAt: Date.now(),
        endpoint: null,
      });
    }
    state.left--;
    state.turns++;
    const voice = rand() < 0.6;
    const userText = text(40, 250);
    const reply = voice ? text(150, 600) : text(300, 1800);
    state.textBytes += Buffer.byteLength(userText) + Buffer.byteLength(reply);
    const base: TurnView = {
      id: `turn-${state.turns}`,
      conversationId: state.conversation,
      index: ++state.index,
      input: voice ? 'voice' : 'text',
      replyAs: voice ? 'voice' : 'text',
      userText,
      ...(voice ? { recordedMs: 1000 + Math.floor(rand() * 8000) } : {}),
      assistantText: '',
      hasAudio: false,
      phase: 'waiting',
      timings: { releaseToCommitMs: 11 },
      startedAt: Date.now(),
      attempts: 1,
    };
    const record = n >= count - measure;
    const save = (view: TurnView, into: number[]): void => {
      const us = timed(() => store.saveTurn(view));
      if (record) into.push(us);
    };
    save(base, out.first);
    save(
      { ...base, phase: 'replying', hasAudio: voice, assistantText: reply.slice(0, reply.length / 3) },
      out.streaming,
    );
    save(
      { ...base, phase: 'replying', hasAudio: voice, assistantText: reply.slice(0, (2 * reply.length) / 3) },
      out.streaming,
    );
    save(
      {
        ...base,
        phase: 'done',
        outcome: { kind: 'completed' },
        hasAudio: voice,
        assistantText: reply,
        timings: {
          releaseToCommitMs: 11,
          toCreatedMs: 95,
          toFirstDeltaMs: 310,
          toFirstAudioMs: 420,
          toDoneMs: 2300,
        },
      },
      out.done,
    );
  }
  return out;
}

function table(header: string[], rows: string[][]): void {
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const [i, l] of lines.entries()) {
    console.log(
      l.map((c, j) => (j === 0 ? c.padEnd(widths[j] ?? 0) : c.padStart(widths[j] ?? 0))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
const us = (v: number): string => (Number.isNaN(v) ? '—' : v < 100 ? v.toFixed(1) : v.toFixed(0));
const percentiles = (label: string, values: number[]): string[] => [
  label,
  us(quantile(values, 0.5)),
  us(quantile(values, 0.95)),
  us(quantile(values, 0.99)),
  String(values.length),
];

/** Runs the benchmark; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const at = args.indexOf('--turns');
  const total = at >= 0 ? Number(args[at + 1]) : 10_000;
  if (!Number.isInteger(total) || total < 2000) {
    console.error('--turns wants a whole number of at least 2000');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'talkie-bench-store-'));
  const file = join(dir, 'conversations.db');
  try {
    console.log(`Talkie conversation store benchmark: ${file}, Node ${process.versions.node}`);
    let store = ConversationStore.open(file).store;
    const state = { turns: 0, conversation: '', left: 0, index: 0, textBytes: 0 };
    const small = fill(store, state, 1000, 500);
    store.close();
    const smallSize = statSync(file).size;
    const smallText = state.textBytes;
    store = ConversationStore.open(file).store;
    const large = fill(store, state, total - 1000, 500);
    store.close();
    const largeSize = statSync(file).size;

    const opens: number[] = [];
    for (let i = 0; i < 5; i++) opens.push(timed(() => ConversationStore.open(file).store.close()));
    store = ConversationStore.open(file).store;

    console.log('\nsaveTurn latency (µs), 4 saves per turn: created, 2 while the reply streams in, done');
    const rows: string[][] = [];
    for (const [label, l] of [
      ['~1 000 turns', small],
      [`~${total.toLocaleString('en')} turns`, large],
    ] as const) {
      rows.push(percentiles(`${label}: all saves`, [...l.first, ...l.streaming, ...l.done]));
      rows.push(percentiles(`${label}: created`, l.first));
      rows.push(percentiles(`${label}: streaming update`, l.streaming));
      rows.push(percentiles(`${label}: done`, l.done));
    }
    table(['figure', 'p50', 'p95', 'p99', 'n'], rows);

    console.log('\nDatabase size');
    table(
      ['history', 'file bytes', 'bytes / 1 000 turns', 'text bytes / 1 000 turns', 'file / text'],
      [
        ['1 000 turns', smallSize, smallSize, smallText, smallSize / smallText] as const,
        [
          `${total.toLocaleString('en')} turns`,
          largeSize,
          largeSize / (total / 1000),
          state.textBytes / (total / 1000),
          largeSize / state.textBytes,
        ] as const,
      ].map(([label, size, per, text, ratio]) => [
        label,
        size.toLocaleString('en'),
        Math.round(per).toLocaleString('en'),
        Math.round(text).toLocaleString('en'),
        `${ratio.toFixed(2)}x`,
      ]),
    );

    console.log(`\nOpen (incl. quick_check) at ${total.toLocaleString('en')} turns, ms`);
    table(
      ['figure', 'p50', 'max', 'n'],
      [
        [
          'open',
          (quantile(opens, 0.5) / 1000).toFixed(1),
          (Math.max(...opens) / 1000).toFixed(1),
          String(opens.length),
        ],
      ],
    );

    // word() draws low indices most often: index order is frequency order.
    const byFrequency = VOCABULARY;
    const queries: Array<[string, string]> = [
      ['very common word', byFrequency[0] ?? ''],
      ['common word', byFrequency[50] ?? ''],
      ['rare word', byFrequency[4000] ?? ''],
      ['two words', `${byFrequency[10] ?? ''} ${byFrequency[300] ?? ''}`],
      ['prefix (3 letters)', (byFrequency[0] ?? '').slice(0, 3)],
      ['no match', 'zzzqqq'],
    ];
    console.log(`\nsearch() latency at ${total.toLocaleString('en')} turns (µs), limit 50`);
    const searchRows: string[][] = [];
    for (const [label, query] of queries) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < 50; i++) times.push(timed(() => (hits = store.search(query).length)));
      searchRows.push([
        `${label} "${query}"`,
        us(quantile(times, 0.5)),
        us(quantile(times, 0.95)),
        String(hits),
      ]);
    }
    table(['query', 'p50', 'p95', 'hits'], searchRows);

    const lists: number[] = [];
    const gets: number[] = [];
    for (let i = 0; i < 50; i++) {
      lists.push(timed(() => store.listConversations()));
      gets.push(timed(() => store.getConversation('conv-0')));
    }
    console.log(`\nReading at ${total.toLocaleString('en')} turns (µs)`);
    table(
      ['figure', 'p50', 'p95', 'n'],
      [
        [
          `listConversations (${store.listConversations().length} conversations)`,
          us(quantile(lists, 0.5)),
          us(quantile(lists, 0.95)),
          '50',
        ],
        [
          `getConversation (${store.getConversation('conv-0')?.turns.length ?? 0} turns)`,
          us(quantile(gets, 0.5)),
          us(quantile(gets, 0.95)),
          '50',
        ],
      ],
    );
    store.close();
    return 0;
  } finally {
    if (args.includes('--keep')) console.log(`\nKept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
