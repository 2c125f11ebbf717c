/**
 * Command-line front of the simulator, for pointing a real client (or the app's "Custom" provider) at it by hand:
 * `--port N`, `--host H`, `--api-key K` (or env SIMULATOR_API_KEY), `--pacing realtime|fast`, `--fault <spec>`
 * (repeatable, URL fault syntax). Prints the URL and runs until SIGINT/SIGTERM.
 *
 * Importable and side-effect free: `runCli` does the work. It needs a build entry to run as a program
 * (electron-vite compiles TypeScript; plain Node cannot load this file).
 */
import { parseFaultQuery, type FaultRule } from './faults';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from './index';

/** Parsed command line, or the problem with it in plain words. */
export type CliParse =
  { ok: true; options: SimulatorOptions; help: boolean } | { ok: false; problem: string };

/** Usage text printed for `--help` and after a bad argument. */
export const CLI_USAGE = `Usage: simulator [--port N] [--host 127.0.0.1] [--api-key KEY] [--pacing realtime|fast] [--fault SPEC]...
  SPEC: stall | text-instead-of-audio[*N|*always] | server-error | drop | slow-first-delta[@ms] | session-expired[@ms]`;

/** Parses simulator command-line arguments (without the program name). */
export function parseCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): CliParse {
  const options: SimulatorOptions = {};
  const faults: FaultRule[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string | undefined => argv[++i];
    switch (arg) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          return { ok: false, problem: '--port needs a whole number from 0 to 65535.' };
        }
        options.port = port;
        break;
      }
      case '--host': {
        const host = value();
        if (!host) return { ok: false, problem: '--host needs an address, e.g. 127.0.0.1.' };
        options.host = host;
        break;
      }
      case '--api-key': {
        const key = value();
        if (!key) return { ok: false, problem: '--api-key needs a value.' };
        options.apiKey = key;
        break;
      }
      case '--pacing': {
        const pacing = value();
        if (pacing !== 'realtime' && pacing !== 'fast')
          return { ok: false, problem: '--pacing is realtime or fast.' };
        options.audioPacing = pacing;
        break;
      }
      case '--fault': {
        const parsed = parseFaultQuery([value() ?? '']);
        if (parsed.problems.length > 0 || parsed.plan.length === 0) {
          return { ok: false, problem: parsed.problems[0] ?? '--fault needs a fault name.' };
        }
        faults.push(...parsed.plan);
        break;
      }
      default:
        return { ok: false, problem: `Unknown argument '${arg}'.` };
    }
  }
  if (options.apiKey === undefined && env.SIMULATOR_API_KEY) options.apiKey = env.SIMULATOR_API_KEY;
  if (faults.length > 0) options.faults = faults;
  // A long-running session would otherwise keep every audio chunk in memory.
  options.record = false;
  return { ok: true, options, help };
}

/**
 * Starts the simulator from command-line arguments and prints its URL with `print`. Resolves with the handle
 * (undefined after `--help` or a bad argument; the problem is printed).
 */
export async function runCli(
  argv: readonly string[],
  print: (line: string) => void = console.log,
  env: Record<string, string | undefined> = process.env,
): Promise<SimulatorHandle | undefined> {
  const parsed = parseCliArgs(argv, env);
  if (!parsed.ok) {
    print(parsed.problem);
    print(CLI_USAGE);
    return undefined;
  }
  if (parsed.help) {
    print(CLI_USAGE);
    return undefined;
  }
  const handle = await startSimulator(parsed.options);
  print(`GA Realtime simulator listening: ${handle.url}`);
  print(
    parsed.options.apiKey ? 'Auth: required (Authorization: Bearer … or api-key: …)' : 'Auth: none required',
  );
  return handle;
}
