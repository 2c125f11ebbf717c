import { describe, expect, it } from 'vitest';
import type { ConnectionView, TurnView } from '../../../src/shared/types';
import {
  connectionLabel,
  conversationTime,
  conversationTitle,
  formatDuration,
  keyStorageLabel,
  levelFraction,
  timingParts,
  turnCountLabel,
  turnStatus,
  userLine,
} from '../../../src/renderer/src/model/format';

const connection = (patch: Partial<ConnectionView>): ConnectionView => ({
  state: 'connected',
  provider: 'openai',
  demoMode: false,
  endpoint: 'api.openai.com',
  ...patch,
});

const turn = (patch: Partial<TurnView>): TurnView => ({
  id: 't1',
  conversationId: 'c1',
  index: 1,
  input: 'voice',
  replyAs: 'voice',
  assistantText: '',
  hasAudio: false,
  phase: 'done',
  timings: {},
  startedAt: 0,
  attempts: 1,
  ...patch,
});

describe('wording', () => {
  it('shows durations as ms under a second and seconds with one decimal above', () => {
    expect(formatDuration(320)).toBe('320 ms');
    expect(formatDuration(1800)).toBe('1.8 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('counts down the reconnect in whole seconds', () => {
    const view = connection({ state: 'reconnecting', retryAt: 10_000 });
    expect(connectionLabel(view, 7_200)).toBe('Reconnecting… (retry in 3 s)');
    expect(connectionLabel(view, 10_500)).toBe('Reconnecting…');
  });

  it('shows the failure reason itself when the connection failed', () => {
    expect(connectionLabel(connection({ state: 'failed', reason: 'The API key was rejected' }), 0)).toBe(
      'The API key was rejected',
    );
    expect(connectionLabel(connection({ state: 'connecting' }), 0)).toBe('Connecting…');
    expect(connectionLabel(connection({}), 0)).toBe('Connected');
  });

  it('describes a voice message without a transcript by its length', () => {
    expect(userLine(turn({ recordedMs: 2400 }))).toBe('Voice message, 2.4 s');
    expect(userLine(turn({ recordedMs: 2400, userText: 'hello there' }))).toBe('hello there');
  });

  it('reports first audio and total time, falling back to the first text', () => {
    expect(
      timingParts(turn({ timings: { toFirstAudioMs: 320, toFirstDeltaMs: 200, toDoneMs: 1800 } })),
    ).toEqual(['first audio after 320 ms', 'done in 1.8 s']);
    expect(timingParts(turn({ timings: { toFirstDeltaMs: 150 } }))).toEqual(['first reply after 150 ms']);
  });

  it('names a no-audio outcome "No audio returned"', () => {
    expect(turnStatus(turn({ outcome: { kind: 'no-audio', reason: 'text came back twice' } }))).toBe(
      'No audio returned',
    );
    expect(turnStatus(turn({ phase: 'waiting' }))).toBe('Waiting for reply…');
  });

  it('never claims a key is saved when none is', () => {
    expect(keyStorageLabel('none', false)).toBe('No key saved');
    expect(keyStorageLabel('encrypted', true)).toBe('Saved (encrypted)');
    expect(keyStorageLabel('session', true)).toBe('Saved for this session only');
  });

  it('maps -60 dBFS and below to an empty meter and 0 dBFS to a full one', () => {
    expect(levelFraction(null)).toBe(0);
    expect(levelFraction(-90)).toBe(0);
    expect(levelFraction(-30)).toBeCloseTo(0.5);
    expect(levelFraction(3)).toBe(1);
  });
});

describe('conversations and unsent turns', () => {
  it('says an unsent turn is not sent, whatever happened to it before Talkie closed', () => {
    expect(turnStatus(turn({ phase: 'unsent' }))).toBe('Not sent');
    expect(
      turnStatus(turn({ phase: 'unsent', outcome: { kind: 'failed', reason: 'x', retryable: true } })),
    ).toBe('Not sent');
  });

  it('dates a conversation by its last change: time today, Yesterday, weekday, then the date', () => {
    const now = new Date(2026, 11, 3, 15, 0).getTime();
    expect(conversationTime(new Date(2026, 11, 3, 9, 5).getTime(), now, 'en-GB')).toBe('9:05');
    expect(conversationTime(new Date(2026, 11, 2, 23, 59).getTime(), now, 'en-GB')).toBe('Yesterday');
    expect(conversationTime(new Date(2026, 10, 30, 12, 0).getTime(), now, 'en-GB')).toBe('Monday');
    expect(conversationTime(new Date(2026, 10, 20, 12, 0).getTime(), now, 'en-GB')).toBe('20 Nov');
    expect(conversationTime(new Date(2025, 10, 20, 12, 0).getTime(), now, 'en-GB')).toBe('20 Nov 2025');
  });

  it('counts turns in words and names an untitled conversation', () => {
    expect(turnCountLabel(0)).toBe('Empty');
    expect(turnCountLabel(1)).toBe('1 turn');
    expect(turnCountLabel(4)).toBe('4 turns');
    expect(conversationTitle('  ')).toBe('Untitled conversation');
    expect(conversationTitle('Penguins')).toBe('Penguins');
  });
});
