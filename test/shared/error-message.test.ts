import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/shared/error-message';

describe('errorMessage', () => {
  it("gives an Error's message, without its name", () => {
    expect(errorMessage(new TypeError('the device went away'))).toBe('the device went away');
  });

  it('gives a thrown string as it is', () => {
    expect(errorMessage('socket closed')).toBe('socket closed');
  });

  it('turns any other thrown value into a string', () => {
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage({ code: 'EPIPE' })).toBe('[object Object]');
  });
});
