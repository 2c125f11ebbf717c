import { describe, expect, it } from 'vitest';
import { mcpFunctionName, sanitizeName, serverPrefix } from '../../../../src/main/core/tools/names';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

describe('function names for MCP tools', () => {
  it('replaces characters the model refuses', () => {
    expect(sanitizeName('read.file (v2)')).toBe('read_file__v2_');
    expect(sanitizeName('')).toBe('_');
  });

  it('keeps server prefixes unique after sanitising', () => {
    const taken = new Set<string>();
    expect(['my server', 'my_server', 'my.server'].map((s) => serverPrefix(s, taken))).toEqual([
      'my_server',
      'my_server_2',
      'my_server_3',
    ]);
  });

  it('joins prefix and tool with __, within 64 characters, unique per server', () => {
    const taken = new Set<string>();
    const prefix = serverPrefix('a very long server name that goes on and on', new Set());
    const long = 'x'.repeat(100);
    const names = [long, long, 'read.file', 'read_file'].map((t) => mcpFunctionName(prefix, t, taken));
    for (const name of names) {
      expect(name).toMatch(VALID);
      expect(name.startsWith(`${prefix}__`)).toBe(true);
    }
    expect(new Set(names).size).toBe(4);
    expect(names[2]).toBe(`${prefix}__read_file`);
    expect(names[3]).toBe(`${prefix}__read_file_2`);
  });
});
