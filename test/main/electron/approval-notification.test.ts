import { describe, expect, it } from 'vitest';
import {
  approvalText,
  createApprovalNotifier,
  type ApprovalNotifierPorts,
} from '../../../src/main/electron/approval-notification';

/** Electron's Notification replaced at the boundary: records what the user would see and lets a test click. */
function ports(
  inView: boolean,
  supported = true,
): ApprovalNotifierPorts & {
  shown: Array<{ title: string; body: string }>;
  click(): void;
  windowShown: number;
} {
  const listeners: Array<() => void> = [];
  const out = {
    shown: [] as Array<{ title: string; body: string }>,
    windowShown: 0,
    click: () => listeners.forEach((l) => l()),
    isSupported: () => supported,
    windowInView: () => inView,
    showWindow: () => void out.windowShown++,
    create: (options: { title: string; body: string }) => ({
      on: (_event: 'click', listener: () => void) => listeners.push(listener),
      show: () => void out.shown.push({ title: options.title, body: options.body }),
    }),
  };
  return out;
}

const request = {
  callId: 'call_1',
  tool: 'read_text_file',
  server: 'files',
  arguments: '{"path":"/home/me/notes.txt"}',
};

describe('approval notification', () => {
  it('tells a user whose window is hidden which tool, server and arguments wait; a click shows the window', () => {
    const p = ports(false);
    createApprovalNotifier(p)(request);
    expect(p.shown).toEqual([
      {
        title: 'Tool approval: read_text_file (files)',
        body: 'Talkie wants to run read_text_file (files) with path: /home/me/notes.txt. Open Talkie to allow or deny.',
      },
    ]);
    p.click();
    expect(p.windowShown).toBe(1);
  });

  it('stays quiet while the window is in view (the card is there)', () => {
    const p = ports(true);
    createApprovalNotifier(p)(request);
    expect(p.shown).toEqual([]);
  });

  it('stays quiet where the system has no notifications', () => {
    const p = ports(false, false);
    createApprovalNotifier(p)(request);
    expect(p.shown).toEqual([]);
  });

  it('names a built-in without a server and cuts long arguments', () => {
    const text = approvalText({
      callId: 'c',
      tool: 'write_clipboard',
      arguments: JSON.stringify({ text: 'x'.repeat(500) }),
    });
    expect(text.title).toBe('Tool approval: write_clipboard');
    expect(text.body.length).toBeLessThan(260);
    expect(text.body).toContain('…');
  });
});
