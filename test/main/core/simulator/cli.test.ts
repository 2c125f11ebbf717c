import { afterEach, describe, expect, test } from 'vitest';
import { parseCliArgs, runCli } from '../../../../src/main/core/simulator/cli';
import type { SimulatorHandle } from '../../../../src/main/core/simulator';
import { TestClient } from './client';

let handle: SimulatorHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('simulator command line', () => {
  test('parses port, pacing, key and faults; logs are off for long runs', () => {
    expect(
      parseCliArgs(['--port', '8123', '--pacing', 'fast', '--api-key', 'k', '--fault', 'stall*2']),
    ).toEqual({
      ok: true,
      help: false,
      options: {
        port: 8123,
        audioPacing: 'fast',
        apiKey: 'k',
        faults: [{ kind: 'stall', times: 2 }],
        record: false,
      },
    });
  });

  test('takes the key from SIMULATOR_API_KEY when not given', () => {
    expect(parseCliArgs([], { SIMULATOR_API_KEY: 'env-key' })).toMatchObject({
      ok: true,
      options: { apiKey: 'env-key' },
    });
  });

  test('explains bad arguments in plain words', () => {
    expect(parseCliArgs(['--port', 'x'])).toEqual({
      ok: false,
      problem: '--port needs a whole number from 0 to 65535.',
    });
    expect(parseCliArgs(['--fault', 'boom'])).toMatchObject({
      ok: false,
      problem: expect.stringContaining("Unknown fault 'boom'"),
    });
    expect(parseCliArgs(['--verbose'])).toEqual({ ok: false, problem: "Unknown argument '--verbose'." });
  });

  test('prints a URL a client can connect to, without printing the key', async () => {
    const lines: string[] = [];
    handle = await runCli(['--api-key', 'sk-cli-secret'], (l) => lines.push(l), {});
    expect(lines[0]).toMatch(
      /^GA Realtime simulator listening: ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\?model=gpt-realtime$/,
    );
    expect(lines.join('\n')).not.toContain('sk-cli-secret');
    const client = await TestClient.open(handle?.url ?? '', { Authorization: 'Bearer sk-cli-secret' });
    await client.waitFor('session.created');
    client.close();
  });

  test('prints usage and starts nothing on a bad argument', async () => {
    const lines: string[] = [];
    expect(await runCli(['--nope'], (l) => lines.push(l), {})).toBeUndefined();
    expect(lines[1]).toMatch(/^Usage: simulator/);
  });
});
