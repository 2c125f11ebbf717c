import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/main/web/args';
import {
  sendTalkCommand,
  serveTalkCommands,
  talkSocketPath,
  type TalkCommand,
} from '../../../src/main/web/talk-socket';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-sock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('browser mode talk commands (web.js --toggle / --press / --release)', () => {
  it('reads the command from the command line', () => {
    expect(parseCliArgs(['--toggle', '--data-dir', '/d']).talk).toBe('toggle');
    expect(parseCliArgs(['--press']).talk).toBe('press');
    expect(parseCliArgs(['--release']).talk).toBe('release');
    expect(parseCliArgs(['--port', '0']).talk).toBeNull();
    expect(parseCliArgs(['--press', '--mode', 'Translate to French'])).toMatchObject({
      talk: 'press',
      mode: 'Translate to French',
    });
    expect(() => parseCliArgs(['--mode', 'Short answers'])).toThrow(/--mode goes with --press/);
  });

  it('carries each command to the browser mode running on the same data folder', async () => {
    const path = talkSocketPath(scratch());
    const got: TalkCommand[] = [];
    const server = await serveTalkCommands(path, (c) => (got.push(c), null));
    try {
      await sendTalkCommand(path, { action: 'press' });
      await sendTalkCommand(path, { action: 'release' });
      await sendTalkCommand(path, { action: 'toggle', mode: 'Translate to French' });
      expect(got).toEqual([
        { action: 'press' },
        { action: 'release' },
        { action: 'toggle', mode: 'Translate to French' },
      ]);
      // Only the user may drive their microphone.
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      await server.close();
    }
  });

  it('hands back the running app’s words when it refuses a command (an unknown mode)', async () => {
    const path = talkSocketPath(scratch());
    const server = await serveTalkCommands(path, (c) => `There is no mode "${c.mode ?? ''}".`);
    try {
      await expect(sendTalkCommand(path, { action: 'press', mode: 'Klingon' })).rejects.toThrow(
        /^There is no mode "Klingon"\.$/,
      );
    } finally {
      await server.close();
    }
  });

  it('says so when no browser mode runs there', async () => {
    await expect(sendTalkCommand(talkSocketPath(scratch()), { action: 'toggle' })).rejects.toThrow(
      /no browser mode with --global-hotkey is running on this data folder/,
    );
  });

  it('replaces a socket left behind by a run that died', async () => {
    const path = talkSocketPath(scratch());
    writeFileSync(path, ''); // what a crashed run leaves: the file, nobody listening
    const got: TalkCommand[] = [];
    const second = await serveTalkCommands(path, (c) => (got.push(c), null));
    await sendTalkCommand(path, { action: 'toggle' });
    await second.close();
    expect(got).toEqual([{ action: 'toggle' }]);
  });
});
