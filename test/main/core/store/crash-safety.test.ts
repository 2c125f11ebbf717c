/**
 * Kill -9 while saving: a child process writes turns as fast as it can and is SIGKILLed at random moments, many
 * times over the same database. After each kill the store must open with every turn the child reported saved
 * intact, nothing duplicated, a sound file, and the turn that was in flight settled.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../../src/main/core/store/conversation-store';
import { CLOSED_REASON } from '../../../../src/main/core/store/repair';
import { expectedTurn, pcmFor, wordFor } from './fixtures/crash-turns';
import { tempDir } from './helpers';
import type { TurnView } from '../../../../src/shared/types';

const root = resolve(__dirname, '../../../..');
const KILLS = 15;
let bundleDir: string;
let writer: string;

beforeAll(async () => {
  // The child runs the store as plain JS in plain node (no vitest, no TypeScript loader): bundle it the way
  // electron-vite bundles the main process, dependencies external. Inside node_modules so `better-sqlite3` resolves.
  const cache = resolve(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  bundleDir = mkdtempSync(join(cache, 'talkie-store-crash-'));
  await build({
    root,
    configFile: false,
    logLevel: 'error',
    build: {
      ssr: resolve(__dirname, 'fixtures/crash-writer.ts'),
      outDir: bundleDir,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'crash-writer.mjs' } },
    },
  });
  writer = join(bundleDir, 'crash-writer.mjs');
}, 60_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** What the child reported for each turn: the last step it saw return (w, r or d). */
type Reported = Map<string, 'w' | 'r' | 'd'>;

/** Runs the writer until it has been saving for `ms`, then SIGKILLs it; resolves with what it reported. */
function runAndKill(file: string, run: string, ms: number): Promise<{ reported: Reported }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [writer, file, run], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: Reported = new Map();
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, ms);
          continue;
        }
        const [step, id] = line.split(' ') as ['w' | 'r' | 'd', string];
        reported.set(id, step);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed || signal !== 'SIGKILL')
        reject(new Error(`writer exited on its own (${code}, ${signal}): ${stderr}`));
      else resolvePromise({ reported });
    });
  });
}

describe('conversation store under kill -9', () => {
  it('keeps every reported turn intact and settles the one in flight, kill after kill', async () => {
    const { dir, remove } = tempDir();
    const file = join(dir, 'conversations.db');
    // Every turn on file after the previous kills, as it was then: later runs must not change any of them.
    const known = new Map<string, TurnView>();
    const inFlightEnded = { unsent: 0, interrupted: 0, doneUnreported: 0 };
    let reportedDone = 0;
    try {
      for (let k = 0; k < KILLS; k++) {
        const run = `r${k}`;
        const { reported } = await runAndKill(file, run, 20 + Math.floor(Math.random() * 230));
        // The writer numbers its turns on from what was on file when it started.
        const expected = (id: string): ReturnType<typeof expectedTurn> =>
          expectedTurn(id, known.size + 1 + Number(id.slice(run.length + 1)));

        // What the killed process left, before anything repairs it.
        const raw = new Database(file, { readonly: true });
        const { n: leftInFlight } = raw
          .prepare(
            "SELECT COUNT(*) AS n FROM turns WHERE phase IN ('listening', 'committing', 'queued', 'waiting', 'replying')",
          )
          .get() as { n: number };
        raw.close();

        const { store, notices } = ConversationStore.open(file);
        try {
          expect(leftInFlight).toBeLessThanOrEqual(1);
          expect(notices).toEqual(
            leftInFlight === 0 ? [] : [expect.stringMatching(/^1 unfinished turn from last time was kept/)],
          );
          const open = store.getConversation('crash');
          const turns = open?.turns ?? [];
          const byId = new Map(turns.map((t) => [t.id, t]));
          // Nothing duplicated: one row per turn, and the list's count agrees.
          expect(byId.size).toBe(turns.length);
          expect(open?.summary.turnCount).toBe(turns.length);

          // Earlier runs' turns are exactly as they were.
          for (const [id, view] of known) expect(byId.get(id), id).toEqual(view);
          // Every turn this run reported (any step) is on file; those reported done are intact.
          for (const [id, step] of reported) {
            expect(byId.has(id), id).toBe(true);
            if (step !== 'd') continue;
            reportedDone++;
            expect(byId.get(id), id).toEqual(expected(id).done);
            expect(store.responses(id), id).toEqual([expected(id).responseDone]);
          }
          // At most one turn of this run was in flight at the kill: saved as far as its last commit got, settled.
          const unfinished = turns.filter((t) => t.id.startsWith(`${run}-`) && reported.get(t.id) !== 'd');
          expect(unfinished.length).toBeLessThanOrEqual(1);
          for (const saved of unfinished) {
            const t = expected(saved.id);
            const step = reported.get(saved.id); // undefined: its first save committed, the kill came before the report
            if (saved.phase === 'unsent') {
              expect(step === undefined || step === 'w').toBe(true);
              expect(saved).toEqual({ ...t.waiting, phase: 'unsent' });
              expect(store.responses(saved.id)).toEqual([]);
              inFlightEnded.unsent++;
            } else if (saved.outcome?.kind === 'interrupted') {
              expect(step === 'w' || step === 'r').toBe(true);
              expect(saved).toEqual({
                ...t.replying,
                phase: 'done',
                outcome: { kind: 'interrupted', reason: CLOSED_REASON },
              });
              expect(store.responses(saved.id)).toEqual([t.responseStarted]);
              inFlightEnded.interrupted++;
            } else {
              expect(step).toBe('r');
              expect(saved).toEqual(t.done);
              expect(store.responses(saved.id)).toEqual([t.responseDone]);
              inFlightEnded.doneUnreported++;
            }
            // Its recording is whole or absent, never a truncated file under its name.
            const audio = store.loadAudio(saved.id);
            if (audio !== null) expect(audio.equals(pcmFor(saved.id))).toBe(true);
          }
          // No half-written recording is left lying around.
          const audioDir = join(dir, 'audio');
          if (existsSync(audioDir))
            expect(readdirSync(audioDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
          // Search finds what was said in the newest turn that finished.
          const newest = [...reported].filter(([, step]) => step === 'd').at(-1)?.[0];
          if (newest !== undefined)
            expect(store.search(wordFor(newest))[0]?.snippet).toContain(`«${wordFor(newest)}»`);
          for (const t of turns) known.set(t.id, t);
        } finally {
          store.close();
        }

        // The file itself is sound, and so is the search index against the messages it indexes.
        const db = new Database(file);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.prepare("INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)").run(); // throws if not
        expect(
          db
            .prepare('SELECT turn_id, role, COUNT(*) AS n FROM items GROUP BY turn_id, role HAVING n > 1')
            .all(),
        ).toEqual([]);
        // A turn and its messages were saved together: no turn whose messages say something else.
        const disagreeing = db
          .prepare(
            `SELECT t.id FROM turns t
             LEFT JOIN items u ON u.turn_id = t.id AND u.role = 'user'
             LEFT JOIN items a ON a.turn_id = t.id AND a.role = 'assistant'
             WHERE u.text IS NOT json_extract(t.view, '$.userText')
               OR COALESCE(a.text, '') IS NOT json_extract(t.view, '$.assistantText')
               OR COALESCE(a.status = 'in_progress', 0) IS NOT (t.phase = 'replying')`,
          )
          .all();
        expect(disagreeing).toEqual([]);
        db.close();
      }
      console.log(
        `crash safety: ${KILLS} kills, ${known.size} turns on file, ${reportedDone} reported done; the turn in flight ` +
          `ended ${inFlightEnded.unsent}x unsent, ${inFlightEnded.interrupted}x interrupted, ` +
          `${inFlightEnded.doneUnreported}x done but unreported`,
      );
      expect(reportedDone).toBeGreaterThan(KILLS);
    } finally {
      remove();
    }
  }, 120_000);
});
