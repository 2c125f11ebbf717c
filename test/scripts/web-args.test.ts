import { describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../scripts/web-args.mjs';

describe('npm run web / npm run simulator arguments', () => {
  it('passes every argument through when there is no --entry (npm run web -- --port 5190)', () => {
    expect(parseWebArgs(['--port', '5190', '--data-dir', '/tmp/talkie'])).toEqual({
      entry: 'web',
      skipBuild: false,
      passThrough: ['--port', '5190', '--data-dir', '/tmp/talkie'],
    });
  });

  it('takes --entry and its name out and passes the rest (npm run simulator -- --port 8765)', () => {
    expect(parseWebArgs(['--entry', 'simulator', '--port', '8765', '--fault', 'stall'])).toEqual({
      entry: 'simulator',
      skipBuild: false,
      passThrough: ['--port', '8765', '--fault', 'stall'],
    });
  });

  it('keeps --no-build for itself wherever it appears', () => {
    expect(parseWebArgs(['--port', '0', '--no-build', '--global-hotkey'])).toEqual({
      entry: 'web',
      skipBuild: true,
      passThrough: ['--port', '0', '--global-hotkey'],
    });
  });

  it('says so when --entry has no name', () => {
    expect(() => parseWebArgs(['--entry'])).toThrow('--entry needs a name');
    expect(() => parseWebArgs(['--entry', '--port', '1'])).toThrow('--entry needs a name');
  });
});
