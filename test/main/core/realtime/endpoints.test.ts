import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import {
  AZURE_SESSION_LIMIT_MS,
  OPENAI_SESSION_LIMIT_MS,
  describeEndpoint,
  resolveEndpoint,
  type EndpointChoice,
} from '../../../../src/main/core/realtime/endpoints';
import type { Endpoint } from '../../../../src/main/core/realtime/connection-types';

const KEY = 'sk-test-0123456789abcdefghij';

function settings(patch: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...patch };
}

function remote(choice: EndpointChoice): Endpoint {
  if (choice.kind !== 'remote') throw new Error(`expected remote, got ${choice.kind}: ${choice.reason}`);
  return choice.endpoint;
}

describe('resolveEndpoint', () => {
  it('uses the local simulator when the provider is simulator', () => {
    const choice = resolveEndpoint(settings({ provider: 'simulator' }), KEY, {});
    expect(choice.kind).toBe('simulator');
  });

  it('builds the GA OpenAI URL with a Bearer header and a 60-minute limit', () => {
    const ep = remote(
      resolveEndpoint(settings({ provider: 'openai', openaiModel: 'gpt-realtime' }), KEY, {}),
    );
    expect(ep.url).toBe('wss://api.openai.com/v1/realtime?model=gpt-realtime');
    expect(ep.headers).toEqual({ Authorization: `Bearer ${KEY}` });
    expect(ep.sessionLimitMs).toBe(OPENAI_SESSION_LIMIT_MS);
    expect(ep.provider).toBe('openai');
  });

  it('never sends the OpenAI-Beta header for any provider', () => {
    const eps = [
      resolveEndpoint(settings({ provider: 'openai' }), KEY, {}),
      resolveEndpoint(settings({ provider: 'azure', azureResource: 'r1', azureDeployment: 'd1' }), KEY, {}),
      resolveEndpoint(settings({ provider: 'custom', customUrl: 'ws://127.0.0.1:9/x' }), KEY, {}),
    ].map(remote);
    for (const ep of eps) {
      expect(Object.keys(ep.headers).map((h) => h.toLowerCase())).not.toContain('openai-beta');
    }
  });

  it('escapes the model name in the query string', () => {
    const ep = remote(
      resolveEndpoint(settings({ provider: 'openai', openaiModel: 'my model&x=1' }), KEY, {}),
    );
    expect(new URL(ep.url).searchParams.get('model')).toBe('my model&x=1');
  });

  it('falls back to Demo mode when OpenAI is chosen but there is no key', () => {
    const choice = resolveEndpoint(settings({ provider: 'openai' }), null, {});
    expect(choice).toEqual({ kind: 'simulator', reason: 'No API key yet: Demo mode (local simulator)' });
  });

  it('treats a blank stored key as no key', () => {
    expect(resolveEndpoint(settings({ provider: 'openai' }), '   ', {}).kind).toBe('simulator');
  });

  it('builds the GA Azure URL from a resource name, with the api-key header and a 30-minute limit', () => {
    const ep = remote(
      resolveEndpoint(
        settings({ provider: 'azure', azureResource: 'my-res', azureDeployment: 'rt-dep' }),
        KEY,
        {},
      ),
    );
    expect(ep.url).toBe('wss://my-res.openai.azure.com/openai/v1/realtime?model=rt-dep');
    expect(ep.headers).toEqual({ 'api-key': KEY });
    expect(ep.url).not.toContain('api-version');
    expect(ep.sessionLimitMs).toBe(AZURE_SESSION_LIMIT_MS);
  });

  it.each([
    ['https://my-res.openai.azure.com', 'my-res.openai.azure.com'],
    ['https://my-res.openai.azure.com/', 'my-res.openai.azure.com'],
    [
      'https://My-Res.openai.azure.com/openai/deployments/x?api-version=2024-10-01',
      'my-res.openai.azure.com',
    ],
    ['my-res.openai.azure.com', 'my-res.openai.azure.com'],
    ['https://my-res.cognitiveservices.azure.com/', 'my-res.cognitiveservices.azure.com'],
    ['https://my-res.services.ai.azure.com', 'my-res.services.ai.azure.com'],
    ['  my-res  ', 'my-res.openai.azure.com'],
  ])('accepts the Azure resource form %s', (resource, host) => {
    const ep = remote(
      resolveEndpoint(
        settings({ provider: 'azure', azureResource: resource, azureDeployment: 'd' }),
        KEY,
        {},
      ),
    );
    expect(ep.url).toBe(`wss://${host}/openai/v1/realtime?model=d`);
  });

  it('says what is missing when the Azure resource or deployment is empty', () => {
    const noRes = resolveEndpoint(
      settings({ provider: 'azure', azureResource: '', azureDeployment: 'd' }),
      KEY,
      {},
    );
    expect(noRes.kind).toBe('invalid');
    expect(noRes.kind === 'invalid' && noRes.reason).toMatch(/resource name/);
    const noDep = resolveEndpoint(
      settings({ provider: 'azure', azureResource: 'r', azureDeployment: ' ' }),
      KEY,
      {},
    );
    expect(noDep.kind).toBe('invalid');
    expect(noDep.kind === 'invalid' && noDep.reason).toMatch(/deployment name/);
  });

  it('rejects an Azure endpoint on a foreign host in plain words', () => {
    const choice = resolveEndpoint(
      settings({ provider: 'azure', azureResource: 'https://example.com', azureDeployment: 'd' }),
      KEY,
      {},
    );
    expect(choice.kind).toBe('invalid');
    expect(choice.kind === 'invalid' && choice.reason).toMatch(/not an Azure OpenAI resource/);
  });

  it('asks for a key when Azure is chosen without one', () => {
    const choice = resolveEndpoint(
      settings({ provider: 'azure', azureResource: 'r', azureDeployment: 'd' }),
      null,
      {},
    );
    expect(choice.kind).toBe('invalid');
    expect(choice.kind === 'invalid' && choice.reason).toMatch(/API key/);
  });

  it('uses a custom URL as given, with Bearer only when a key exists', () => {
    const withKey = remote(
      resolveEndpoint(settings({ provider: 'custom', customUrl: 'ws://127.0.0.1:8080/rt?x=1' }), KEY, {}),
    );
    expect(withKey.url).toBe('ws://127.0.0.1:8080/rt?x=1');
    expect(withKey.headers).toEqual({ Authorization: `Bearer ${KEY}` });
    expect(withKey.sessionLimitMs).toBeUndefined();
    const noKey = remote(
      resolveEndpoint(settings({ provider: 'custom', customUrl: 'wss://rt.example.org/v1' }), null, {}),
    );
    expect(noKey.headers).toEqual({});
  });

  it('rejects an empty or non-ws custom URL in plain words', () => {
    const empty = resolveEndpoint(settings({ provider: 'custom', customUrl: '' }), null, {});
    expect(empty.kind === 'invalid' && empty.reason).toMatch(/ws:\/\/ or wss:\/\//);
    const http = resolveEndpoint(settings({ provider: 'custom', customUrl: 'http://x' }), null, {
      REALTIME_URL: 'https://host/x',
    });
    expect(http.kind === 'invalid' && http.reason).toMatch(
      /REALTIME_URL must start with ws:\/\/ or wss:\/\//,
    );
  });

  it('lets REALTIME_URL override the stored provider, sending OPENAI_API_KEY as Bearer', () => {
    const envKey = 'sk-env-abcdefghijklmnopqrstu';
    const ep = remote(
      resolveEndpoint(settings({ provider: 'simulator' }), KEY, {
        REALTIME_URL: 'ws://127.0.0.1:1234/v1/realtime',
        OPENAI_API_KEY: envKey,
      }),
    );
    expect(ep.provider).toBe('custom');
    expect(ep.url).toBe('ws://127.0.0.1:1234/v1/realtime');
    expect(ep.headers).toEqual({ Authorization: `Bearer ${envKey}` });
  });

  it('sends no key with REALTIME_URL unless OPENAI_API_KEY is set, even if a key is stored', () => {
    const ep = remote(
      resolveEndpoint(settings({ provider: 'openai' }), KEY, { REALTIME_URL: 'ws://127.0.0.1:1/' }),
    );
    expect(ep.headers).toEqual({});
  });

  it('lets OPENAI_API_KEY override the stored key', () => {
    const envKey = 'sk-env-abcdefghijklmnopqrstu';
    const ep = remote(resolveEndpoint(settings({ provider: 'openai' }), KEY, { OPENAI_API_KEY: envKey }));
    expect(ep.headers).toEqual({ Authorization: `Bearer ${envKey}` });
    const az = remote(
      resolveEndpoint(settings({ provider: 'azure', azureResource: 'r', azureDeployment: 'd' }), null, {
        OPENAI_API_KEY: envKey,
      }),
    );
    expect(az.headers).toEqual({ 'api-key': envKey });
  });
});

describe('describeEndpoint', () => {
  it('shows the host only, never the key, path or query', () => {
    const ep = remote(resolveEndpoint(settings({ provider: 'openai' }), KEY, {}));
    expect(describeEndpoint(ep)).toBe('api.openai.com');
    expect(describeEndpoint({ url: 'ws://user:pw@127.0.0.1:8080/rt?api-key=secret' })).toBe('127.0.0.1:8080');
    expect(describeEndpoint({ url: 'not a url' })).toBe('unknown server');
  });
});
