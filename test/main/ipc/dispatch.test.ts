import { describe, expect, it } from 'vitest';
import { createDispatcher, UserFacingError } from '../../../src/main/ipc/dispatch';
import { COMMAND_NAMES } from '../../../src/shared/channels';
import { commands } from '../../../src/shared/contract';
import { echoHandlers, invalidRequests, validRequests } from '../../helpers/contract-samples';

describe('dispatch', () => {
  it('lists exactly the commands the contract declares', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(commands).sort());
  });

  it('runs the matching handler with the validated payload for every command', async () => {
    const calls: Array<{ name: string; payload: unknown }> = [];
    const dispatch = createDispatcher(echoHandlers(calls));
    for (const name of COMMAND_NAMES) {
      const result = await dispatch(name, validRequests[name]);
      expect(result).toEqual({ ok: true, value: { answered: name } });
    }
    expect(calls.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
  });

  it('answers an invalid payload with a readable error naming the field, without calling the handler', async () => {
    const calls: Array<{ name: string; payload: unknown }> = [];
    const dispatch = createDispatcher(echoHandlers(calls));
    for (const [name, payload] of Object.entries(invalidRequests)) {
      const result = await dispatch(name, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-request');
        expect(result.error.message).toContain(name);
      }
    }
    expect(calls).toEqual([]);
    const bad = await dispatch('settings.update', { stallTimeoutMs: 5 });
    expect(!bad.ok && bad.error.message).toMatch(/stallTimeoutMs: At least 2 seconds/);
  });

  it('trims typed text before the handler sees it', async () => {
    const calls: Array<{ name: string; payload: unknown }> = [];
    await createDispatcher(echoHandlers(calls))('message.send', { text: '  hi there \n' });
    expect(calls[0]?.payload).toEqual({ text: 'hi there' });
  });

  it('refuses unknown commands, including prototype names', async () => {
    const dispatch = createDispatcher(echoHandlers([]));
    for (const name of ['nope', 'toString', '__proto__', 'constructor']) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    }
  });

  it('passes user-facing failures through and hides internal ones behind plain words', async () => {
    const internal: unknown[] = [];
    const handlers = echoHandlers([]);
    const dispatch = createDispatcher(
      {
        ...handlers,
        'audio.listDevices': async () => {
          throw new UserFacingError('No microphone was found.', 'unavailable');
        },
        'log.export': async () => {
          throw new TypeError('cannot read properties of undefined (secret internals)');
        },
      },
      (_name, error) => internal.push(error),
    );
    expect(await dispatch('audio.listDevices', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'No microphone was found.' },
    });
    const hidden = await dispatch('log.export', {});
    expect(hidden.ok).toBe(false);
    expect(JSON.stringify(hidden)).not.toContain('secret internals');
    expect(internal).toHaveLength(1);
  });
});
