/**
 * Command-line options shared by browser mode and the Electron app (`--data-dir` works for both).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CliOptions {
  port: number;
  dataDir: string;
  rendererDir?: string;
  /** Listen for the global hotkey (X11/Windows/macOS, Wayland through the desktop portal); off by default. */
  globalHotkey: boolean;
  /** --toggle / --press / --release: send that to the browser mode running on --data-dir, then exit. */
  talk: 'toggle' | 'press' | 'release' | null;
  /** --mode NAME (or id) with a talk command: that turn talks in this mode. */
  mode?: string;
}

/** Where settings live when --data-dir is not given: the same folder the desktop app uses. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Talkie');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Talkie');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Talkie');
}

/** Parses `--port N --data-dir DIR` (and `--flag=value`); throws with plain words on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 0, dataDir: defaultDataDir(), globalHotkey: false, talk: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new Error('--port must be 0–65535 (0 picks a free port)');
        options.port = port;
        break;
      }
      case '--data-dir':
        options.dataDir = resolve(value());
        break;
      case '--global-hotkey':
        options.globalHotkey = true;
        break;
      case '--toggle':
      case '--press':
      case '--release':
        options.talk = flag.slice(2) as CliOptions['talk'];
        break;
      case '--mode':
        options.mode = value();
        break;
      case '--renderer-dir':
        options.rendererDir = resolve(value());
        break;
      default:
        // Electron and Chromium add their own switches; unknown ones are not ours to reject.
        break;
    }
  }
  if (options.mode !== undefined && options.talk === null)
    throw new Error(
      '--mode goes with --press, --release or --toggle (e.g. --press --mode "Translate to French")',
    );
  return options;
}
