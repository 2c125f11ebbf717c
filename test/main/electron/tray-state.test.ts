import { describe, expect, it } from 'vitest';
import { TrayTracker, trayStateFrom, type TrayState } from '../../../src/main/electron/tray-state';
import type { ConnectionView, TurnPhase, TurnView } from '../../../src/shared/types';

const connected: ConnectionView = {
  state: 'connected',
  provider: 'openai',
  demoMode: false,
  endpoint: 'api.openai.com',
};
const turn = (phase: TurnPhase, index = 1, extra: Partial<TurnView> = {}): TurnView => ({
  id: `t${index}`,
  conversationId: 'c1',
  index,
  input: 'voice',
  replyAs: 'voice',
  assistantText: '',
  hasAudio: false,
  phase,
  timings: {},
  startedAt: 0,
  attempts: 1,
  ...extra,
});

describe('tray state', () => {
  it.each<[string, ConnectionView | null, TurnView | null, TrayState]>([
    ['nothing yet', connected, null, 'idle'],
    ['key held', connected, turn('listening'), 'listening'],
    ['committing', connected, turn('committing'), 'waiting'],
    ['queued', connected, turn('queued'), 'waiting'],
    ['waiting for the reply', connected, turn('waiting'), 'waiting'],
    ['reply streaming', connected, turn('replying'), 'replying'],
    ['reply done', connected, turn('done'), 'idle'],
    ['turn failed', connected, turn('failed'), 'failed'],
    ['reconnecting', { ...connected, state: 'reconnecting' }, turn('done'), 'offline'],
    ['connecting', { ...connected, state: 'connecting' }, null, 'offline'],
    ['connection failed (e.g. key rejected)', { ...connected, state: 'failed' }, turn('done'), 'failed'],
  ])('%s → %s', (_name, connection, t, expected) => {
    expect(trayStateFrom(connection, t)).toBe(expected);
  });
});

describe('tray tracker', () => {
  it('follows the newest turn through its phases with a tooltip in words', () => {
    const tracker = new TrayTracker({ connection: connected, turns: [] });
    expect(tracker.view()).toMatchObject({ state: 'idle', tooltip: 'Talkie — Ready', listening: false });
    expect(tracker.apply('turn', turn('listening'))).toMatchObject({
      state: 'listening',
      tooltip: 'Talkie — Listening…',
      listening: true,
    });
    expect(tracker.apply('turn', turn('waiting'))).toMatchObject({ state: 'waiting', listening: false });
    expect(tracker.apply('turn', turn('replying'))).toMatchObject({
      state: 'replying',
      tooltip: 'Talkie — Replying…',
    });
    // Same view again: nothing to redraw.
    expect(tracker.apply('turn', turn('replying', 1, { assistantText: 'more text' }))).toBeNull();
    expect(tracker.apply('turn', turn('done'))).toMatchObject({ state: 'idle' });
  });

  it('ignores late updates of an older turn', () => {
    const tracker = new TrayTracker({
      connection: connected,
      turns: [turn('done', 1), turn('listening', 2)],
    });
    expect(tracker.view().state).toBe('listening');
    expect(tracker.apply('turn', turn('failed', 1))).toBeNull();
  });

  it('says why it is offline, and that it is the demo', () => {
    const tracker = new TrayTracker({ connection: connected });
    const view = tracker.apply('connection', {
      ...connected,
      state: 'reconnecting',
      reason: 'The network is down',
      demoMode: true,
    });
    expect(view?.tooltip).toBe('Talkie — Not connected: The network is down (Demo mode)');
  });

  it('shows a failed turn’s reason', () => {
    const tracker = new TrayTracker({ connection: connected });
    const view = tracker.apply(
      'turn',
      turn('failed', 1, { outcome: { kind: 'failed', reason: 'No reply for 10 s', retryable: true } }),
    );
    expect(view?.tooltip).toBe('Talkie — Something went wrong: No reply for 10 s');
  });

  it('keeps the Reply-as choice from the next-turn options', () => {
    const tracker = new TrayTracker({
      next: { replyAs: 'voice', instructions: 'be brief', instructionsMode: 'append' },
    });
    expect(
      tracker.apply('next', { replyAs: 'text', instructions: 'be brief', instructionsMode: 'append' })
        ?.replyAs,
    ).toBe('text');
    expect(tracker.nextOptions()).toEqual({
      replyAs: 'text',
      instructions: 'be brief',
      instructionsMode: 'append',
    });
    expect(tracker.apply('levels', { input: -20, output: null })).toBeNull();
  });
});
