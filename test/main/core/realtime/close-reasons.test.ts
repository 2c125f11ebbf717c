import { describe, expect, it } from 'vitest';
import {
  describeClose,
  describeHttpStatus,
  describeNetworkError,
  upgradeStatus,
} from '../../../../src/main/core/realtime/close-reasons';
import type { Endpoint } from '../../../../src/main/core/realtime/connection-types';

const openai: Endpoint = {
  provider: 'openai',
  url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
  headers: { Authorization: 'Bearer sk-secret-value-123456' },
};

function netError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeClose', () => {
  it.each([
    [1000, 'closed_by_server', 'backoff', /server closed the connection/],
    [
      1001,
      'session_expired',
      'now',
      /^The server ended the session after its time limit; starting a new one\.$/,
    ],
    [1002, 'dropped', 'backoff', /protocol error/],
    [1003, 'dropped', 'backoff', /could not accept/],
    [1005, 'dropped', 'backoff', /without saying why/],
    [1006, 'dropped', 'backoff', /connection dropped/],
    [1007, 'dropped', 'backoff', /UTF-8/],
    [1008, 'closed_by_server', 'backoff', /policy/],
    [1009, 'dropped', 'backoff', /too large/],
    [1010, 'dropped', 'backoff', /extension/],
    [1011, 'server_error', 'backoff', /internal error/],
    [1012, 'server_error', 'backoff', /restarting/],
    [1013, 'rate_limited', 'backoff', /overloaded/],
    [1014, 'server_error', 'backoff', /gateway/],
    [1015, 'unreachable', 'backoff', /TLS/],
    [4000, 'closed_by_server', 'backoff', /code 4000/],
    [4321, 'closed_by_server', 'backoff', /code 4321/],
  ])('close %i → %s, retry %s, with words', (code, expectedCode, retry, words) => {
    const outcome = describeClose(code, '');
    expect(outcome.code).toBe(expectedCode);
    expect(outcome.retry).toBe(retry);
    expect(outcome.reason).toMatch(words);
  });

  it('stops reconnecting on close 4000 only when its reason is the beta refusal (row 12)', () => {
    expect(describeClose(4000, 'beta_api_shape_disabled')).toMatchObject({
      code: 'beta_api_shape_disabled',
      retry: 'never',
      reason: expect.stringMatching(/^This server no longer accepts the old beta protocol/),
    });
    expect(describeClose(4000, 'maintenance window')).toMatchObject({
      code: 'closed_by_server',
      retry: 'backoff',
    });
  });

  it("quotes the server's own reason, shortened", () => {
    expect(describeClose(1008, 'Invalid session').reason).toContain('("Invalid session")');
    expect(describeClose(4321, 'x'.repeat(500)).reason.length).toBeLessThan(220);
  });
});

describe('describeHttpStatus', () => {
  it('tells a 400 apart from auth and not-found, and does not retry it', () => {
    const outcome = describeHttpStatus(400, openai);
    expect(outcome).toEqual({
      code: 'rejected',
      reason: 'api.openai.com refused the connection (HTTP 400). Check the address and model in Settings.',
      retry: 'never',
    });
  });

  it('never puts the key in its words', () => {
    for (const status of [400, 401, 403, 404, 429, 500]) {
      expect(describeHttpStatus(status, openai).reason).not.toContain('sk-secret');
    }
  });

  it('reads the status from the ws upgrade error', () => {
    expect(upgradeStatus(new Error('Unexpected server response: 401'))).toBe(401);
    expect(upgradeStatus(new Error('connect ECONNREFUSED'))).toBeNull();
    expect(upgradeStatus('not an error')).toBeNull();
  });
});

describe('describeNetworkError', () => {
  it.each([
    ['ENOTFOUND', /could not be looked up/],
    ['EAI_AGAIN', /could not be looked up/],
    ['ECONNREFUSED', /refused/],
    ['ETIMEDOUT', /timed out/],
    ['ECONNRESET', /reset/],
    ['ENETUNREACH', /no route/],
    ['CERT_HAS_EXPIRED', /secure connection failed \(CERT_HAS_EXPIRED\)/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /secure connection failed/],
  ])('%s → "Can\'t reach <host>: …" and retries with backoff', (code, words) => {
    const outcome = describeNetworkError(netError(code), openai);
    expect(outcome.code).toBe('unreachable');
    expect(outcome.retry).toBe('backoff');
    expect(outcome.reason).toMatch(/^Can't reach api\.openai\.com: /);
    expect(outcome.reason).toMatch(words);
  });

  it('finds the code inside an AggregateError (Node happy-eyeballs connects)', () => {
    const agg = new AggregateError([netError('ECONNREFUSED'), netError('ECONNREFUSED')], 'connect failed');
    expect(describeNetworkError(agg, openai).reason).toMatch(/refused/);
  });

  it('words a handshake timeout as a timeout', () => {
    expect(describeNetworkError(new Error('Opening handshake has timed out'), openai).reason).toMatch(
      /timed out/,
    );
  });

  it('fails without retrying on a URL the socket library cannot use', () => {
    const outcome = describeNetworkError(new SyntaxError('Invalid URL: ws://'), openai);
    expect(outcome.retry).toBe('never');
    expect(outcome.code).toBe('invalid_url');
    expect(outcome.reason).toMatch(/Check it in Settings/);
  });
});
