/**
 * Builds the socket URL and upgrade headers for each provider (GA protocol only).
 *
 * URL forms follow /work/shared/FIELD-REPORTS.md "Endpoints (GA)":
 *   OpenAI  wss://api.openai.com/v1/realtime?model=<model>            Authorization: Bearer <key>
 *   Azure   wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>   api-key: <key>
 *   Custom  the ws(s) URL as given                                     Bearer only when a key exists
 * `OpenAI-Beta` is never set: OpenAI answers it with `beta_api_shape_disabled` and close 4000.
 */
import type { Settings } from '../../../shared/settings';
import type { Endpoint } from './connection-types';

/** What the app should connect to, or why it cannot. */
export type EndpointChoice =
  | { kind: 'simulator'; reason: string }
  | { kind: 'remote'; endpoint: Endpoint }
  | { kind: 'invalid'; reason: string };

/** Environment overrides honoured over stored settings. */
export interface EndpointEnv {
  REALTIME_URL?: string;
  OPENAI_API_KEY?: string;
}

/** Server session limits (FIELD-REPORTS row 11). */
export const OPENAI_SESSION_LIMIT_MS = 60 * 60 * 1000;
export const AZURE_SESSION_LIMIT_MS = 30 * 60 * 1000;

const OPENAI_BASE = 'wss://api.openai.com/v1/realtime';
const AZURE_HOST_SUFFIXES = ['.openai.azure.com', '.cognitiveservices.azure.com', '.services.ai.azure.com'];
/** Azure resource names: letters, digits and hyphens (the subdomain of the endpoint). */
const AZURE_RESOURCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/i;

/**
 * Decides where to connect. Env `REALTIME_URL` beats the stored provider (custom URL; `OPENAI_API_KEY`,
 * if set, is sent as Bearer); env `OPENAI_API_KEY` beats the stored key.
 */
export function resolveEndpoint(settings: Settings, apiKey: string | null, env: EndpointEnv): EndpointChoice {
  const envUrl = env.REALTIME_URL?.trim();
  const envKey = env.OPENAI_API_KEY?.trim();
  if (envUrl) {
    return customEndpoint(envUrl, envKey || null, 'REALTIME_URL');
  }
  const key = envKey || apiKey?.trim() || null;

  switch (settings.provider) {
    case 'simulator':
      return { kind: 'simulator', reason: 'Demo mode (local simulator), as chosen in Settings' };
    case 'openai':
      return openaiEndpoint(settings.openaiModel, key);
    case 'azure':
      return azureEndpoint(settings.azureResource, settings.azureDeployment, key);
    case 'custom':
      return customEndpoint(settings.customUrl, key, 'the custom URL');
  }
}

function openaiEndpoint(model: string, key: string | null): EndpointChoice {
  if (!key) return { kind: 'simulator', reason: 'No API key yet: Demo mode (local simulator)' };
  const name = model.trim();
  if (!name) return { kind: 'invalid', reason: 'Enter a model name for OpenAI, e.g. gpt-realtime.' };
  return {
    kind: 'remote',
    endpoint: {
      provider: 'openai',
      url: `${OPENAI_BASE}?model=${encodeURIComponent(name)}`,
      headers: { Authorization: `Bearer ${key}` },
      sessionLimitMs: OPENAI_SESSION_LIMIT_MS,
    },
  };
}

function azureEndpoint(resource: string, deployment: string, key: string | null): EndpointChoice {
  const host = azureHost(resource);
  if (!host.ok) return { kind: 'invalid', reason: host.reason };
  const name = deployment.trim();
  if (!name) {
    return {
      kind: 'invalid',
      reason: 'Enter the Azure deployment name (the name you gave the model when you deployed it).',
    };
  }
  if (!key) {
    return { kind: 'invalid', reason: 'Enter the API key of your Azure OpenAI resource in Settings.' };
  }
  return {
    kind: 'remote',
    endpoint: {
      provider: 'azure',
      url: `wss://${host.host}/openai/v1/realtime?model=${encodeURIComponent(name)}`,
      headers: { 'api-key': key },
      sessionLimitMs: AZURE_SESSION_LIMIT_MS,
    },
  };
}

/** Accepts "my-resource", "my-resource.openai.azure.com" or "https://my-resource.openai.azure.com/…". */
function azureHost(input: string): { ok: true; host: string } | { ok: false; reason: string } {
  const raw = input.trim();
  if (!raw) {
    return {
      ok: false,
      reason:
        'Enter your Azure OpenAI resource name (e.g. my-resource) or its endpoint URL (https://my-resource.openai.azure.com).',
    };
  }
  if (AZURE_RESOURCE_NAME.test(raw)) return { ok: true, host: `${raw.toLowerCase()}.openai.azure.com` };

  let hostname: string;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
    hostname = new URL(withScheme).hostname.toLowerCase();
  } catch {
    hostname = '';
  }
  if (hostname && AZURE_HOST_SUFFIXES.some((s) => hostname.endsWith(s) && hostname.length > s.length)) {
    return { ok: true, host: hostname };
  }
  return {
    ok: false,
    reason: `"${raw}" is not an Azure OpenAI resource: use its name (e.g. my-resource) or an endpoint like https://my-resource.openai.azure.com.`,
  };
}

function customEndpoint(url: string, key: string | null, source: string): EndpointChoice {
  const raw = url.trim();
  if (!raw) return { kind: 'invalid', reason: 'Enter the ws:// or wss:// URL of your Realtime server.' };
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return {
      kind: 'invalid',
      reason: `${capitalise(source)} is not a valid URL: use ws://host:port/path or wss://…`,
    };
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return {
      kind: 'invalid',
      reason: `${capitalise(source)} must start with ws:// or wss:// (got ${parsed.protocol}//).`,
    };
  }
  return {
    kind: 'remote',
    endpoint: {
      provider: 'custom',
      url: raw,
      headers: key ? { Authorization: `Bearer ${key}` } : {},
    },
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Host (and port when not default) for the UI; never the key, path or query. */
export function describeEndpoint(endpoint: Pick<Endpoint, 'url'>): string {
  try {
    return new URL(endpoint.url).host || 'unknown server';
  } catch {
    return 'unknown server';
  }
}
