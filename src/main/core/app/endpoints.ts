/**
 * Which server the assistant talks to, and the demo simulator's lifecycle: the settings, the key and the
 * environment decide; with nothing configured (or something invalid) the built-in simulator stands in.
 * Changes are applied once per user action: a save of settings and key together reconnects once, so no
 * connection ever opens with a new endpoint and an old key, or the other way round.
 */
import type { EventLog } from '../eventlog/event-log';
import type { Endpoint } from '../realtime/connection-types';
import { resolveEndpoint } from '../realtime/endpoints';
import type { SecretStore, SettingsStore } from '../settings/types';
import { startSimulator, type SimulatorHandle } from '../simulator';
import type { Provider } from '../../../shared/settings';

/** What the endpoint manager needs. */
export interface EndpointDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  log: EventLog;
  /** Point the assistant at this endpoint (called only when it changed). */
  use: (endpoint: Endpoint, info: { demoMode: boolean; provider: Provider }) => void;
  warn: (text: string) => void;
  /** The settings resolved without a problem: an earlier warning no longer holds. */
  settled: () => void;
}

/** A ws URL with its `?model=` set to `model` (left as it is when the model is empty). */
export function withModel(url: string, model: string): string {
  const name = model.trim();
  if (!name) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('model', name);
  return parsed.toString();
}

/** Owns the current endpoint and the demo simulator. */
export class EndpointManager {
  private simulator: SimulatorHandle | undefined;
  private demo = true;
  private currentTarget = '';
  private held = 0;

  constructor(private readonly deps: EndpointDeps) {}

  /** Whether the assistant talks to the built-in simulator. */
  get demoMode(): boolean {
    return this.demo;
  }

  /** Points the assistant at whatever the settings, key and environment say, if that changed. */
  async apply(): Promise<void> {
    if (this.held > 0) return;
    const { settings, secrets, env, log } = this.deps;
    const storedKey = secrets.getApiKey();
    // Belt and braces: keys that do not look like "sk-…" (Azure's) are redacted by value too.
    for (const key of [storedKey, env.OPENAI_API_KEY]) if (key) log.addSecret(key);
    const choice = resolveEndpoint(settings.get(), storedKey, {
      REALTIME_URL: env.REALTIME_URL,
      OPENAI_API_KEY: env.OPENAI_API_KEY,
    });
    let endpoint: Endpoint;
    if (choice.kind === 'remote') {
      endpoint = choice.endpoint;
      this.demo = false;
      this.deps.settled();
    } else {
      if (choice.kind === 'invalid')
        this.deps.warn(`${choice.reason} Using Demo mode (local simulator) until then.`);
      else this.deps.settled();
      // Demo mode runs for hours: keep no per-event records in memory.
      this.simulator ??= await startSimulator({ port: 0, record: false, rateLimits: {} });
      // The demo stands in for the model chosen in Settings: it reports that model, and its usage is priced so.
      endpoint = {
        provider: 'simulator',
        url: withModel(this.simulator.url, settings.get().openaiModel),
        headers: {},
      };
      this.demo = true;
    }
    // Compared in memory only: the key is part of the target but never leaves this process.
    const target = JSON.stringify([endpoint.url, endpoint.headers]);
    if (target === this.currentTarget) return;
    this.currentTarget = target;
    this.deps.use(endpoint, { demoMode: this.demo, provider: this.demo ? 'simulator' : endpoint.provider });
  }

  /** Runs `change` (several store writes) and applies the result once, after all of it. */
  async batch<T>(change: () => T): Promise<T> {
    this.held += 1;
    let result: T;
    try {
      result = change();
    } finally {
      this.held -= 1;
    }
    await this.apply();
    return result;
  }

  async close(): Promise<void> {
    await this.simulator?.close();
  }
}
