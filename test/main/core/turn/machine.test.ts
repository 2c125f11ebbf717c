/**
 * The turn machine, by table: inputs → client events sent, turn phase and outcome. One block per
 * FIELD-REPORTS row, plus the push-to-talk sequence. Every event sent is validated against the GA schema
 * by the Driver.
 */
import { describe, expect, it } from 'vitest';
import { Driver, server } from './harness';

/** A voice turn answered with audio up to response.done; returns the driver. */
function answeredVoiceTurn(d: Driver, id = 'resp_1', item = 'item_a'): Driver {
  return d
    .talk(400)
    .do(
      server.committed(`user_${id}`),
      server.created(id),
      server.part(id, item, 'audio'),
      server.audio(id, item, 500),
    )
    .do(server.transcript(id, item, 'Hello there.'));
}

describe('push-to-talk sequence', () => {
  it('configures a push-to-talk session on connect: GA shape, no VAD, no empty instructions', () => {
    const d = new Driver().do({ type: 'connectionUp', expiresAt: null });
    expect(d.sent()).toEqual([
      {
        type: 'session.update',
        session: {
          type: 'realtime',
          audio: {
            input: {
              format: { type: 'audio/pcm', rate: 24000 },
              turn_detection: null,
              transcription: { model: 'gpt-4o-mini-transcribe' },
            },
            output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
          },
        },
      },
    ]);
  });

  it('sends the session instructions only when the user set some', () => {
    const d = new Driver({ instructions: 'You are a pirate.' }).do({ type: 'connectionUp', expiresAt: null });
    const update = d.sent()[0] as { session: { instructions?: string } };
    expect(update.session.instructions).toBe('You are a pirate.');
  });

  it('key down clears the input buffer and starts capture; frames are appended while held', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null });
    expect(d.kinds()).toEqual(['send:input_audio_buffer.clear', 'startCapture', 'emitTurn']);
    expect(d.turn().phase).toBe('listening');
    d.do({ type: 'frame', ms: 40 });
    expect(d.last).toContainEqual({ kind: 'appendAudio', turnId: 'turn-1', fromStart: false });
  });

  it('key up flushes the last frame, then commits and asks for a reply with explicit modalities', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null }, { type: 'frame', ms: 60 }, { type: 'frame', ms: 40 });
    d.do({ type: 'release' });
    expect(d.kinds()).toEqual(['stopCapture', 'emitTurn']);
    expect(d.turn().phase).toBe('committing');
    d.do({ type: 'frame', ms: 30 }, { type: 'captureStopped' });
    expect(d.sent()).toEqual([
      { type: 'input_audio_buffer.commit', event_id: 'commit-turn-1' },
      { type: 'response.create', event_id: 'create-turn-1-1', response: { output_modalities: ['audio'] } },
    ]);
    expect(d.turn()).toMatchObject({ phase: 'waiting', recordedMs: 130, attempts: 1 });
  });

  it('a voice reply streams into the turn, plays, drains and completes with timings', () => {
    const d = new Driver().connect();
    d.talk(200);
    d.wait(100).do(server.created('resp_1'));
    d.wait(50).do(server.part('resp_1', 'item_a', 'audio'), server.audio('resp_1', 'item_a', 100));
    expect(d.kinds()).toContain('openPlayback');
    expect(d.kinds()).toContain('writePlayback');
    d.wait(30).do({ type: 'playbackStarted', turnId: 'turn-1' }, server.transcript('resp_1', 'item_a', 'Hi'));
    d.do(server.audioDone('resp_1', 'item_a'));
    expect(d.kinds()).toContain('endPlayback');
    d.wait(20).do(server.done('resp_1'));
    expect(d.turn().phase).toBe('replying'); // still playing out
    d.do({ type: 'playbackDrained', turnId: 'turn-1' });
    expect(d.turn()).toMatchObject({
      phase: 'done',
      outcome: { kind: 'completed' },
      assistantText: 'Hi',
      hasAudio: true,
      timings: {
        releaseToCommitMs: 0,
        toCreatedMs: 100,
        toFirstDeltaMs: 150,
        toFirstAudioMs: 180,
        toDoneMs: 200,
      },
    });
    expect(d.last).toContainEqual({ kind: 'dropAudio', turnId: 'turn-1' });
  });

  it('a typed message becomes an input_text item, then response.create', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'What time is it?' });
    expect(d.sent()).toEqual([
      {
        type: 'conversation.item.create',
        item: {
          id: 'turn-1_u1',
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'What time is it?' }],
        },
      },
      { type: 'response.create', event_id: 'create-turn-1-1', response: { output_modalities: ['text'] } },
    ]);
    d.do(
      server.created('r'),
      server.part('r', 'i', 'text'),
      server.text('r', 'i', 'Noon.'),
      server.done('r'),
    );
    expect(d.turn()).toMatchObject({ phase: 'done', assistantText: 'Noon.', outcome: { kind: 'completed' } });
  });

  it('shows the user transcript of a voice turn when the server sends one', () => {
    const d = new Driver().connect().talk(300).do(server.committed('item_user'));
    d.do(server.transcription('item_user', 'turn on the lights'));
    expect(d.turn().userText).toBe('turn on the lights');
  });
});

describe('row 1: never send instructions ""', () => {
  const table: Array<{
    name: string;
    turn: string;
    mode: 'append' | 'replace';
    session: string;
    expected: string | undefined;
  }> = [
    {
      name: 'empty per-turn box omits the field',
      turn: '',
      mode: 'append',
      session: 'Be a pirate.',
      expected: undefined,
    },
    {
      name: 'whitespace-only box omits the field',
      turn: '   ',
      mode: 'replace',
      session: 'Be a pirate.',
      expected: undefined,
    },
    {
      name: 'append adds the turn to the session instructions last seen',
      turn: 'One sentence.',
      mode: 'append',
      session: 'Be a pirate.',
      expected: 'Be a pirate.\n\nOne sentence.',
    },
    {
      name: 'replace sends the turn alone',
      turn: 'One sentence.',
      mode: 'replace',
      session: 'Be a pirate.',
      expected: 'One sentence.',
    },
    {
      name: 'append with no session instructions sends the turn alone',
      turn: 'One sentence.',
      mode: 'append',
      session: '',
      expected: 'One sentence.',
    },
  ];
  it.each(table)('$name', ({ turn, mode, session, expected }) => {
    const d = new Driver({}, { instructions: turn, instructionsMode: mode }).connect(session);
    d.do({ type: 'text', text: 'hi' });
    const create = d.sent().find((e) => e.type === 'response.create') as {
      response: { instructions?: string };
    };
    expect(create.response.instructions).toBe(expected);
    expect('instructions' in create.response).toBe(expected !== undefined);
  });

  it('per-turn instructions reach that turn only', () => {
    const d = new Driver({}, { instructions: 'Answer in French.', instructionsMode: 'replace' }).connect(
      'Base.',
    );
    d.do({ type: 'text', text: 'one' });
    d.do(server.created('r1'), server.done('r1'));
    d.do({ type: 'setNext', next: { replyAs: 'voice', instructions: '', instructionsMode: 'append' } });
    d.do({ type: 'text', text: 'two' });
    const creates = d.allSent().filter((e) => e.type === 'response.create') as Array<{
      response: { instructions?: string };
    }>;
    expect(creates.map((c) => c.response.instructions)).toEqual(['Answer in French.', undefined]);
  });

  it('per-turn instructions are used up by their turn: the next turn falls back to the session’s', () => {
    const d = new Driver({}, { instructions: 'Answer in one sentence.', instructionsMode: 'append' }).connect(
      'Base.',
    );
    d.do({ type: 'text', text: 'one' });
    expect(d.last.filter((e) => e.kind === 'nextChanged')).toEqual([
      { kind: 'nextChanged', next: { replyAs: 'voice', instructions: '', instructionsMode: 'append' } },
    ]);
    d.do(server.created('r1'), server.done('r1'));
    d.do({ type: 'text', text: 'two' });
    const creates = d.allSent().filter((e) => e.type === 'response.create') as Array<{
      response: { instructions?: string };
    }>;
    expect(creates.map((c) => c.response.instructions)).toEqual([
      'Base.\n\nAnswer in one sentence.',
      undefined,
    ]);
    expect([...d.views.values()].map((t) => t.instructions)).toEqual(['Answer in one sentence.', undefined]);
  });

  it('clearing the session instructions never sends an empty string', () => {
    const d = new Driver({ instructions: 'Be brief.' }).connect();
    d.do({ type: 'config', config: { ...d.state.config, instructions: '' } });
    const update = d.sent()[0] as { type: string; session: Record<string, unknown> };
    expect(update.type).toBe('session.update');
    expect('instructions' in update.session).toBe(false);
    expect(d.notices().at(-1)).toMatch(/cleared/);
  });
});

describe('row 1 after a reconnect', () => {
  it('a queued append-mode turn waits for the new session’s instructions before its response.create', () => {
    const d = new Driver({}, { instructions: 'Be brief.', instructionsMode: 'append' });
    d.do({ type: 'text', text: 'hi' }, { type: 'connectionUp', expiresAt: null });
    expect(d.sentTypes()).toEqual(['session.update']);
    d.do(server.sessionUpdated('You are Talkie.'));
    expect(d.sent().at(-1)).toMatchObject({ response: { instructions: 'You are Talkie.\n\nBe brief.' } });
  });

  it('says when the session starts, and when it does not come within the stall timeout', () => {
    const d = new Driver().do({ type: 'connectionUp', expiresAt: null });
    d.do(server.sessionUpdated(''));
    expect(d.last).toContainEqual({ kind: 'session', state: 'ready' });
    const silent = new Driver().do({ type: 'connectionUp', expiresAt: null });
    silent.do({ type: 'timer', name: 'session' });
    expect(silent.last).toContainEqual({ kind: 'session', state: 'missing' });
  });

  it('a server that never describes its session does not block turns forever', () => {
    const d = new Driver({ instructions: 'Persona.' }, { instructions: 'Be brief.' });
    d.do({ type: 'text', text: 'hi' }, { type: 'connectionUp', expiresAt: null });
    d.do({ type: 'timer', name: 'session' });
    expect(d.sent().at(-1)).toMatchObject({ response: { instructions: 'Persona.\n\nBe brief.' } });
  });
});

describe('row 2: one active response at a time', () => {
  it('queues a typed turn while a response is active and sends it after response.done', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'first' }, server.created('r1'));
    d.do({ type: 'text', text: 'second' });
    expect(d.sent()).toEqual([]);
    expect(d.turn().phase).toBe('queued');
    d.do(server.done('r1'));
    expect(d.sentTypes()).toEqual(['conversation.item.create', 'response.create']);
    expect(d.turn().phase).toBe('waiting');
  });

  it('a second voice turn commits at release but its response.create waits for the active response', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'first' }, server.created('r1'));
    // Text reply streaming (no audio playing): the press cancels it per the push-to-talk sequence.
    d.do({ type: 'press', playedMs: null });
    expect(d.sentTypes()).toEqual(['response.cancel', 'input_audio_buffer.clear']);
    d.do({ type: 'frame', ms: 200 }, { type: 'release' }, { type: 'captureStopped' });
    expect(d.sentTypes()).toEqual(['input_audio_buffer.commit']);
    expect(d.turn().phase).toBe('queued');
    d.do(server.done('r1', 'cancelled', { type: 'cancelled', reason: 'client_cancelled' }));
    expect(d.sentTypes()).toEqual(['response.create']);
    expect(d.turn(0).outcome).toEqual({
      kind: 'cancelled',
      reason: 'You started a new turn before the reply began',
    });
  });

  it('after response.cancel it waits for the cancelled response.done before the next create', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'));
    d.do({ type: 'stopReply', playedMs: null });
    expect(d.sent()).toEqual([{ type: 'response.cancel', response_id: 'r1' }]);
    d.do({ type: 'text', text: 'b' });
    expect(d.sent()).toEqual([]);
    d.do(server.done('r1', 'cancelled'));
    expect(d.sentTypes()).toEqual(['conversation.item.create', 'response.create']);
  });

  it('a refused create (conversation_already_has_active_response) is asked again, not lost', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' });
    d.do(
      server.error('conversation_already_has_active_response', 'Conversation already has an active response'),
    );
    expect(d.turn().phase).toBe('queued');
    d.wait(1000).do({ type: 'timer', name: 'backoff' });
    expect(d.sentTypes()).toEqual(['response.create']);
  });
});

describe('row 3: stall watchdogs', () => {
  it('no server event for the active response within the stall timeout → cancel, failed, retryable', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), server.part('r1', 'i', 'audio'));
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'stall', ms: 10000 });
    d.wait(10000).do({ type: 'timer', name: 'stall' });
    expect(d.sent()).toEqual([{ type: 'response.cancel', response_id: 'r1' }]);
    expect(d.turn()).toMatchObject({
      phase: 'failed',
      outcome: {
        kind: 'failed',
        reason: 'No reply from the server for 10 s after it started answering',
        retryable: true,
      },
    });
  });

  it('uses the configured stall timeout in the reason', () => {
    const d = new Driver({ stallTimeoutMs: 4500 }).connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), { type: 'timer', name: 'stall' });
    expect(d.turn().outcome).toMatchObject({
      reason: 'No reply from the server for 4.5 s after it started answering',
    });
  });

  it('response.create with no response.created → failed, retryable; a late response.created is cancelled', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' });
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'created', ms: 10000 });
    d.do({ type: 'timer', name: 'created' });
    expect(d.turn().outcome).toMatchObject({
      kind: 'failed',
      retryable: true,
      reason: expect.stringMatching(/did not start a reply/),
    });
    d.do(server.created('late'));
    expect(d.sent()).toEqual([{ type: 'response.cancel', response_id: 'late' }]);
  });

  it('a cancel the server never confirms does not block later turns', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), { type: 'timer', name: 'stall' });
    d.do({ type: 'text', text: 'b' });
    expect(d.sent()).toEqual([]);
    d.do({ type: 'timer', name: 'cancel' });
    expect(d.sentTypes()).toEqual(['conversation.item.create', 'response.create']);
  });

  it('every event of the active response re-arms the watchdog', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'));
    d.do(server.text('r1', 'i', 'x'));
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'stall', ms: 10000 });
    d.do(server.done('r1'));
    expect(d.last).toContainEqual({ kind: 'clearTimer', name: 'stall' });
  });
});

describe('rows 4/5: modalities and text-instead-of-audio', () => {
  it('sends output_modalities on every response.create: Text → Voice → Text', () => {
    const d = new Driver().connect();
    for (const [i, replyAs] of (['text', 'voice', 'text'] as const).entries()) {
      d.do({ type: 'setNext', next: { replyAs, instructions: '', instructionsMode: 'append' } });
      d.do({ type: 'text', text: `m${i}` }, server.created(`r${i}`), server.done(`r${i}`));
    }
    const creates = d.allSent().filter((e) => e.type === 'response.create') as Array<{
      response: { output_modalities: string[] };
    }>;
    expect(creates.map((c) => c.response.output_modalities)).toEqual([['text'], ['audio'], ['text']]);
  });

  it('a Voice reply starting as text is cancelled, its item deleted, and audio requested once more', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'hi' }, server.created('r1'));
    d.do(server.part('r1', 'item_txt', 'text'));
    expect(d.sent()).toEqual([{ type: 'response.cancel', response_id: 'r1' }]);
    d.do(server.text('r1', 'item_txt', 'ignored'));
    expect(d.turn().assistantText).toBe('');
    d.do(server.done('r1', 'cancelled'));
    expect(d.sent()).toEqual([
      { type: 'conversation.item.delete', item_id: 'item_txt' },
      { type: 'response.create', event_id: 'create-turn-1-2', response: { output_modalities: ['audio'] } },
    ]);
    expect(d.turn().attempts).toBe(2);
    d.do(
      server.created('r2'),
      server.part('r2', 'item_au', 'audio'),
      server.audio('r2', 'item_au', 100),
      server.done('r2'),
    );
    d.do({ type: 'playbackDrained', turnId: 'turn-1' });
    expect(d.turn().outcome).toEqual({ kind: 'completed' });
  });

  it('text again on the second try: the text is shown and the turn says no audio returned', () => {
    const d = new Driver().connect();
    d.do(
      { type: 'text', text: 'hi' },
      server.created('r1'),
      server.part('r1', 't1', 'text'),
      server.done('r1', 'cancelled'),
    );
    d.do(server.created('r2'), server.part('r2', 't2', 'text'), server.text('r2', 't2', 'Plain text.'));
    expect(d.sentTypes()).not.toContain('response.cancel');
    d.do(server.done('r2'));
    expect(d.turn()).toMatchObject({
      phase: 'done',
      assistantText: 'Plain text.',
      outcome: { kind: 'no-audio', reason: 'The server answered in text although voice was requested' },
    });
  });

  it('a text delta with no content_part first is detected too', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'hi' }, server.created('r1'));
    d.do(server.text('r1', 't1', 'x'));
    expect(d.sent()).toEqual([{ type: 'response.cancel', response_id: 'r1' }]);
  });

  it('a Text turn expects text and does not recover', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hi' }, server.created('r1'));
    d.do(server.part('r1', 't1', 'text'), server.text('r1', 't1', 'Fine.'));
    expect(d.sent()).toEqual([]);
    expect(d.turn().assistantText).toBe('Fine.');
  });
});

describe('row 6: failed responses', () => {
  const table = [
    {
      status: 'failed',
      details: { type: 'failed', error: { type: 'server_error', code: 'server_error' } },
      reason: 'The server had an internal error (server_error)',
    },
    {
      status: 'failed',
      details: { type: 'failed', error: { type: 'server_error', code: 'inference_rate_limit_exceeded' } },
      reason:
        'The server is limiting requests right now (inference_rate_limit_exceeded); wait a moment, then Retry',
    },
    {
      status: 'incomplete',
      details: { type: 'incomplete', reason: 'max_output_tokens' },
      reason: 'The reply was cut off at the maximum output length (max_output_tokens)',
    },
    {
      status: 'incomplete',
      details: { type: 'incomplete', reason: 'content_filter' },
      reason: 'The reply was stopped by the content filter (content_filter)',
    },
  ];
  it.each(table)(
    'response.done $status ($reason) → failed with the reason, retryable',
    ({ status, details, reason }) => {
      const d = new Driver().connect();
      d.do({ type: 'text', text: 'a' }, server.created('r1'), server.done('r1', status, details));
      expect(d.turn()).toMatchObject({
        phase: 'failed',
        outcome: { kind: 'failed', reason, retryable: true },
      });
    },
  );

  it('never runs the calls of a failed response; runs those of a completed one', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), server.functionCall('r1', 'get_weather'));
    d.do(server.done('r1', 'failed', { error: { code: 'server_error' } }));
    expect(d.all.filter((e) => e.kind === 'runTool')).toEqual([]);
    expect(d.turn().tools).toBeUndefined();
    d.do(
      { type: 'text', text: 'b' },
      server.created('r2'),
      server.functionCall('r2', 'get_weather', 'c2', '{"city":"Lyon"}'),
      server.done('r2'),
    );
    expect(d.last).toContainEqual({
      kind: 'runTool',
      turnId: 'turn-2',
      callId: 'c2',
      name: 'get_weather',
      arguments: '{"city":"Lyon"}',
    });
  });

  it('Retry re-requests the reply; rapid retries after repeated failures are throttled 1 s, 2 s, 4 s', () => {
    const d = new Driver().connect();
    d.do(
      { type: 'text', text: 'a' },
      server.created('r1'),
      server.done('r1', 'failed', { error: { code: 'server_error' } }),
    );
    d.retry('turn-1');
    expect(d.sent()).toEqual([]); // 1 s backoff after the first failure
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'backoff', ms: 1000 });
    d.wait(1000).do({ type: 'timer', name: 'backoff' });
    // Same session: the item is already in the conversation; only the reply is asked again, for that message.
    expect(d.sent()).toEqual([
      {
        type: 'response.create',
        event_id: 'create-turn-1-2',
        response: { output_modalities: ['audio'], input: [{ type: 'item_reference', id: 'turn-1_u1' }] },
      },
    ]);
    d.do(server.created('r2'), server.done('r2', 'failed', { error: { code: 'server_error' } }));
    d.retry('turn-1');
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'backoff', ms: 2000 });
    d.wait(2000).do({ type: 'timer', name: 'backoff' }, server.created('r3'), server.done('r3'));
    expect(d.turn().outcome).toEqual({ kind: 'completed' });
    expect(d.state.failureStreak).toBe(0);
  });

  it('a completed turn cannot be retried', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), server.done('r1'));
    d.retry('turn-1');
    expect(d.sent()).toEqual([]);
    expect(d.turn().outcome).toEqual({ kind: 'completed' });
  });
});

describe('row 7: taps under 100 ms', () => {
  it.each([
    { ms: 0, sent: ['input_audio_buffer.clear'], outcome: 'ignored' },
    { ms: 60, sent: ['input_audio_buffer.clear'], outcome: 'ignored' },
    { ms: 99, sent: ['input_audio_buffer.clear'], outcome: 'ignored' },
    { ms: 100, sent: ['input_audio_buffer.commit', 'response.create'], outcome: undefined },
  ])('$ms ms held and recorded → $sent', ({ ms, sent, outcome }) => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null });
    if (ms > 0) d.do({ type: 'frame', ms });
    d.do({ type: 'release' }, { type: 'captureStopped' });
    expect(d.sentTypes()).toEqual(sent);
    expect(d.turn().outcome?.kind).toBe(outcome);
    if (outcome) expect(d.turn().outcome).toEqual({ kind: 'ignored', reason: 'Hold to talk' });
  });

  it('a tap is a tap even when the microphone hands over more audio after the quick release', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null });
    d.wait(10).do({ type: 'frame', ms: 40 }, { type: 'release' });
    d.wait(150).do({ type: 'frame', ms: 160 }, { type: 'captureStopped' });
    expect(d.sentTypes()).toEqual(['input_audio_buffer.clear']);
    expect(d.turn().outcome).toEqual({ kind: 'ignored', reason: 'Hold to talk' });
  });

  it('the hold the window measured decides, when a busy main process sees the release late', () => {
    const tap = new Driver().connect();
    tap.do({ type: 'press', playedMs: null });
    tap.wait(300).do({ type: 'frame', ms: 300 }, { type: 'release', heldMs: 20 }, { type: 'captureStopped' });
    expect(tap.sentTypes()).toEqual(['input_audio_buffer.clear']);
    expect(tap.turn().outcome).toEqual({ kind: 'ignored', reason: 'Hold to talk' });
    // And the other way round: a real hold is sent even if main saw press and release close together.
    const hold = new Driver().connect();
    hold.do({ type: 'press', playedMs: null }, { type: 'frame', ms: 300 }, { type: 'release', heldMs: 300 });
    hold.do({ type: 'captureStopped' });
    expect(hold.sentTypes()).toEqual(['input_audio_buffer.commit', 'response.create']);
  });
});

describe('row 8: barge-in', () => {
  it('press while the reply plays: flush, cancel, truncate at min(played, received), clear, capture', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do({ type: 'press', playedMs: 320.7 });
    expect(d.kinds().filter((k) => !['emitTurn', 'setTimer', 'clearTimer'].includes(k))).toEqual([
      'flushPlayback',
      'send:response.cancel',
      'send:conversation.item.truncate',
      'send:input_audio_buffer.clear',
      'startCapture',
    ]);
    expect(d.sent()[1]).toEqual({
      type: 'conversation.item.truncate',
      item_id: 'item_a',
      content_index: 0,
      audio_end_ms: 320,
    });
    d.do(server.done('resp_1', 'cancelled'));
    expect(d.turn(0).outcome).toEqual({ kind: 'interrupted', reason: 'You interrupted the reply' });
  });

  it('truncates at what was received when the player reports more than arrived', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do({ type: 'stopReply', playedMs: 900 });
    expect(d.sent().find((e) => e.type === 'conversation.item.truncate')).toMatchObject({
      audio_end_ms: 500,
    });
  });

  it('after response.done, still playing: flush and truncate, no cancel', () => {
    const d = answeredVoiceTurn(new Driver().connect()).do(server.done('resp_1'));
    d.do({ type: 'stopReply', playedMs: 250 });
    expect(d.sentTypes()).toEqual(['conversation.item.truncate']);
    expect(d.turn().outcome).toEqual({ kind: 'interrupted', reason: 'You interrupted the reply' });
  });

  it('skips truncate when playback had already finished', () => {
    const d = answeredVoiceTurn(new Driver().connect()).do(server.done('resp_1'), {
      type: 'playbackDrained',
      turnId: 'turn-1',
    });
    d.do({ type: 'press', playedMs: null });
    expect(d.sentTypes()).toEqual(['input_audio_buffer.clear']);
    expect(d.turn(0).outcome).toEqual({ kind: 'completed' });
  });

  it('audio arriving after the barge-in is not played', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do({ type: 'press', playedMs: 100 }, server.audio('resp_1', 'item_a', 100));
    expect(d.kinds()).not.toContain('writePlayback');
  });
});

describe('row 9: drain, never cut the tail', () => {
  it('ends (drains) playback on output_audio.done and response.done; only barge-in flushes', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do(server.audioDone('resp_1', 'item_a'));
    expect(d.kinds()).toContain('endPlayback');
    d.do(server.done('resp_1'));
    expect(d.kinds()).not.toContain('flushPlayback');
    expect(d.turn().phase).toBe('replying');
  });

  it('response.done without output_audio.done still drains', () => {
    const d = answeredVoiceTurn(new Driver().connect()).do(server.done('resp_1'));
    expect(d.kinds()).toContain('endPlayback');
  });
});

describe('disconnected: nothing is lost', () => {
  it('a voice turn recorded while disconnected is sent after reconnect: session.update, audio, commit, create', () => {
    const d = new Driver();
    d.talk(300);
    expect(d.sent()).toEqual([]);
    expect(d.turn().phase).toBe('queued');
    d.do({ type: 'connectionUp', expiresAt: null });
    expect(d.sentTypes()).toEqual(['session.update']);
    d.do(server.sessionUpdated(''));
    expect(d.kinds().filter((k) => k !== 'emitTurn')).toEqual([
      'clearTimer',
      'session',
      'appendAudio',
      'flushAudio',
      'send:input_audio_buffer.commit',
      'warmSpeaker',
      'send:response.create',
      'setTimer',
    ]);
    expect(d.last).toContainEqual({ kind: 'appendAudio', turnId: 'turn-1', fromStart: true });
  });

  it('a typed turn made while disconnected is sent after reconnect', () => {
    const d = new Driver().do({ type: 'text', text: 'kept' });
    d.do({ type: 'connectionUp', expiresAt: null }, server.sessionUpdated(''));
    expect(d.sentTypes()).toEqual(['session.update', 'conversation.item.create', 'response.create']);
  });

  it('a reply lost with the socket is asked again in the new session', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do({ type: 'connectionDown', code: 'dropped', reason: 'The connection dropped' });
    expect(d.kinds()).toContain('flushPlayback');
    expect(d.turn().phase).toBe('queued');
    d.do({ type: 'connectionUp', expiresAt: null }, server.sessionUpdated(''));
    expect(d.sentTypes()).toEqual(['session.update', 'input_audio_buffer.commit', 'response.create']);
    expect(d.last).toContainEqual({ kind: 'appendAudio', turnId: 'turn-1', fromStart: true });
  });
});

describe('row 11: session expiry', () => {
  it('carries the conversation into the new session as text items and says so', () => {
    const d = answeredVoiceTurn(new Driver().connect()).do(
      server.transcription('user_resp_1', 'Hi assistant'),
    );
    d.do(server.done('resp_1'), { type: 'playbackDrained', turnId: 'turn-1' });
    d.do({ type: 'connectionDown', code: 'session_expired', reason: 'The session reached its time limit' });
    // The conversation hands the machine its answered turns (conversation.test.ts checks which).
    const history = [{ turnId: 'turn-1', user: d.turn().userText ?? '', assistant: d.turn().assistantText }];
    d.do({ type: 'connectionUp', expiresAt: null, history });
    expect(d.sent()).toEqual([
      expect.objectContaining({ type: 'session.update' }),
      {
        type: 'conversation.item.create',
        item: {
          id: 'turn-1_c2',
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'Hi assistant' }],
        },
      },
      {
        type: 'conversation.item.create',
        item: {
          id: 'turn-1_r2',
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello there.' }],
        },
      },
    ]);
    expect(d.notices().at(-1)).toMatch(/time limit.*new session/);
  });

  it('warns two minutes before the session limit', () => {
    const d = new Driver();
    d.do({ type: 'connectionUp', expiresAt: d.now + 60 * 60 * 1000 });
    expect(d.last).toContainEqual({ kind: 'setTimer', name: 'expiry', ms: 58 * 60 * 1000 });
    d.do({ type: 'timer', name: 'expiry' });
    expect(d.notices().at(-1)).toMatch(/about 2 minutes/);
  });
});

describe('row 12: beta dialect switched off', () => {
  it('shows the beta_api_shape_disabled reason once, in plain words', () => {
    const d = new Driver();
    const reason = 'This server only accepts the current (GA) protocol.';
    d.do({ type: 'connectionDown', code: 'beta_api_shape_disabled', reason });
    d.do({ type: 'connectionDown', code: 'beta_api_shape_disabled', reason });
    expect(d.notices()).toEqual([reason]);
  });
});

describe('microphone trouble', () => {
  it('a microphone that cannot open fails the turn in plain words', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null }, { type: 'captureFailed', reason: 'No microphone found.' });
    expect(d.turn().outcome).toEqual({
      kind: 'failed',
      reason: 'The microphone could not be used: No microphone found.',
      retryable: false,
    });
  });

  it('a microphone that vanishes mid-turn sends what was recorded', () => {
    const d = new Driver().connect();
    d.do({ type: 'press', playedMs: null }, { type: 'frame', ms: 400 });
    d.do({ type: 'captureFailed', reason: 'Device unplugged' });
    expect(d.sentTypes()).toEqual(['input_audio_buffer.commit', 'response.create']);
    expect(d.kinds()).toContain('stopCapture');
  });
});

describe('while the key is held', () => {
  it('a queued turn does not start its reply until the key is released', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), { type: 'text', text: 'b' });
    d.do({ type: 'press', playedMs: null });
    d.do(server.done('r1', 'cancelled'));
    expect(d.sent()).toEqual([]);
    d.do({ type: 'frame', ms: 300 }, { type: 'release' }, { type: 'captureStopped' });
    // The typed turn was first in line: its item and reply go first; the voice turn's audio is committed.
    expect(d.sentTypes()).toEqual([
      'input_audio_buffer.commit',
      'conversation.item.create',
      'response.create',
    ]);
    expect(d.turn(1).phase).toBe('waiting');
    expect(d.turn(2).phase).toBe('queued');
  });
});

describe('turns in flight only; responses by id (issue: conversations that last)', () => {
  it('a finished turn leaves the machine with what Retry needs; the state holds no history', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    for (let i = 1; i <= 3; i += 1)
      d.do({ type: 'text', text: `m${i}` }, server.created(`r${i}`), server.done(`r${i}`));
    expect(d.state.turns).toEqual([]);
    expect(d.settled.get('turn-2')).toEqual({
      view: expect.objectContaining({ id: 'turn-2', outcome: { kind: 'completed' } }),
      userItemId: 'turn-2_u1',
      inputSentInSession: 1,
    });
  });

  it('a voice turn stays while its reply still plays, and leaves once it has drained', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do(server.audioDone('resp_1', 'item_a'), server.done('resp_1'));
    expect(d.state.turns.map((t) => t.view.id)).toEqual(['turn-1']);
    d.do({ type: 'playbackDrained', turnId: 'turn-1' });
    expect(d.state.turns).toEqual([]);
    expect(d.turn().outcome).toEqual({ kind: 'completed' });
  });

  it('records each response of a turn by id, with its status, reason and usage', () => {
    const d = new Driver().connect();
    d.do({ type: 'text', text: 'speak' }, server.created('r1'), server.part('r1', 'i1', 'text'));
    d.do(server.done('r1', 'cancelled'), server.created('r2'), server.part('r2', 'i2', 'audio'));
    d.do(server.done('r2', 'failed', { error: { code: 'server_error' } }));
    const records = d.all.filter((e) => e.kind === 'responseRecord');
    expect(records.map((r) => [r.responseId, r.status])).toEqual([
      ['r1', 'in_progress'],
      ['r1', 'cancelled'],
      ['r2', 'in_progress'],
      ['r2', 'failed'],
    ]);
    expect(records.at(-1)).toMatchObject({
      turnId: 'turn-1',
      reason: 'The server had an internal error (server_error)',
    });
  });

  it('Retry of an earlier turn asks for a reply to the conversation up to its own message only', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'capital of France?' }, server.created('r1'));
    d.do(server.done('r1', 'failed', { error: { code: 'server_error' } }));
    d.do({ type: 'text', text: '2+2?' }, server.created('r2'), server.done('r2'));
    d.wait(5000).retry('turn-1');
    expect(d.sent()).toEqual([
      {
        type: 'response.create',
        event_id: 'create-turn-1-2',
        response: { output_modalities: ['text'], input: [{ type: 'item_reference', id: 'turn-1_u1' }] },
      },
    ]);
    d.do(server.created('r3'), server.text('r3', 'i3', 'Paris.'), server.done('r3'));
    expect(d.views.get('turn-1')).toMatchObject({ assistantText: 'Paris.', outcome: { kind: 'completed' } });
    expect(d.views.get('turn-2')?.assistantText).toBe('');
  });

  it('Retry in a later session sends the message again, as the newest item, and answers it', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hello' }, server.created('r1'));
    d.do(server.done('r1', 'failed', { error: { code: 'server_error' } }));
    d.do({ type: 'connectionDown', code: null, reason: null }).connect();
    d.wait(5000).retry('turn-1');
    expect(d.sent()).toEqual([
      {
        type: 'conversation.item.create',
        item: {
          id: 'turn-1_u2',
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'hello' }],
        },
      },
      { type: 'response.create', event_id: 'create-turn-1-2', response: { output_modalities: ['text'] } },
    ]);
  });

  it('a completed turn is not asked again, and a turn still in flight is not added twice', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'a' }, server.created('r1'), server.done('r1', 'failed', { error: null }));
    d.wait(5000).retry('turn-1');
    d.retry('turn-1');
    expect(d.state.turns.map((t) => t.view.id)).toEqual(['turn-1']);
  });

  it('leaving the conversation ends every turn in flight, and nothing of it is asked in the next session', () => {
    const d = answeredVoiceTurn(new Driver().connect());
    d.do({ type: 'text', text: 'queued behind' });
    d.do({ type: 'abandon', reason: 'You left this conversation before the reply came' });
    expect(d.kinds()).toEqual(expect.arrayContaining(['send:response.cancel', 'flushPlayback']));
    expect(d.views.get('turn-2')?.outcome).toEqual({
      kind: 'cancelled',
      reason: 'You left this conversation before the reply came',
    });
    d.do(server.done('resp_1', 'cancelled'));
    d.do({ type: 'connectionDown', code: null, reason: null }).connect();
    expect(d.sentTypes()).not.toContain('response.create');
    expect(d.state.turns).toEqual([]);
  });

  it('leaving while the key is held stops the microphone', () => {
    const d = new Driver().connect().do({ type: 'press', playedMs: null });
    d.do({ type: 'abandon', reason: 'left' });
    expect(d.kinds()).toContain('stopCapture');
    expect(d.state.mic).toEqual({ phase: 'idle' });
  });

  it('a transcript that arrives after the turn left the machine is passed on', () => {
    const d = new Driver()
      .connect()
      .talk(300)
      .do(server.committed('item_u'), server.created('r1'), server.done('r1'));
    expect(d.state.turns).toEqual([]);
    d.do(server.transcription('item_u', 'late words'));
    expect(d.last).toContainEqual({
      kind: 'lateTranscript',
      itemId: 'item_u',
      text: 'late words',
      complete: true,
    });
  });

  it('carried turns get item ids of their own in each session', () => {
    const d = new Driver();
    d.connectWith([{ turnId: 't_a', user: 'hi', assistant: 'hello' }]);
    const ids = d.allSent().flatMap((e) => (e.type === 'conversation.item.create' ? [e.item.id] : []));
    expect(ids).toEqual(['t_a_c1', 't_a_r1']);
  });
});

describe('row 13: an error belongs to the request that caused it', () => {
  it('an error echoing no event id while a turn waits for its reply ends that turn at once, with the reason', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hello' });
    d.wait(200).do(server.error('invalid_value', 'Invalid value for response.output_modalities'));
    expect(d.turn()).toMatchObject({
      phase: 'failed',
      outcome: {
        kind: 'failed',
        reason: 'The server reported an error: Invalid value for response.output_modalities (invalid_value)',
        retryable: true,
      },
    });
    expect(d.last).toContainEqual({ kind: 'clearTimer', name: 'created' });
    // The slot is free: the next turn is asked at once.
    d.do({ type: 'text', text: 'next' });
    expect(d.sentTypes()).toContain('response.create');
  });

  it('a huge message is shortened on the turn, at a word, and says where the rest is', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'hello' });
    d.do(server.error('server_error', `${'word '.repeat(20_000)}end`, 'create-turn-1-1'));
    const reason = (d.turn().outcome as { reason: string }).reason;
    expect(reason.length).toBeLessThan(300);
    expect(reason).toMatch(/word… \(whole message in the event log\) \(server_error\)$/);
  });

  it('an error with no event id while nothing waits stays a notice, shortened', () => {
    const d = new Driver().connect();
    d.do(server.error(null, 'x'.repeat(100_000)));
    expect(d.notices().at(-1)?.length).toBeLessThan(300);
  });
});

describe('cancelling a turn that has no reply yet', () => {
  it('a queued turn ends cancelled and is never asked', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect();
    d.do({ type: 'text', text: 'first' }, server.created('r1'));
    d.do({ type: 'text', text: 'second' });
    d.do({ type: 'cancelTurn', turnId: 'turn-2' });
    expect(d.views.get('turn-2')?.outcome).toEqual({
      kind: 'cancelled',
      reason: 'You cancelled this message before it was answered',
    });
    d.do(server.done('r1'));
    expect(d.sentTypes()).not.toContain('response.create');
  });

  it('a turn made while offline is cancelled before it is ever sent', () => {
    const d = new Driver({}, { replyAs: 'text' }).do({ type: 'text', text: 'kept' });
    d.do({ type: 'cancelTurn', turnId: 'turn-1' });
    d.connect();
    expect(d.allSent().map((e) => e.type)).toEqual(['session.update']);
  });

  it('a requested reply is cancelled as soon as the server creates it', () => {
    const d = new Driver({}, { replyAs: 'text' }).connect().do({ type: 'text', text: 'oops' });
    d.do({ type: 'cancelTurn', turnId: 'turn-1' });
    d.do(server.created('r1'));
    expect(d.sent()).toContainEqual({ type: 'response.cancel', response_id: 'r1' });
    d.do(server.done('r1', 'cancelled'));
    expect(d.turn().outcome?.kind).toBe('cancelled');
  });
});

describe('row 14: function calls finish their protocol', () => {
  const text = (): Driver => new Driver({}, { replyAs: 'text' }).connect();

  it('one call: run after the response completes, its output goes back, then one follow-up request', () => {
    const d = text().do({ type: 'text', text: 'what time is it' }, server.created('r1'));
    d.do(server.functionCall('r1', 'get_current_time', 'c1'));
    expect(d.kinds()).not.toContain('runTool'); // not before the response completed
    d.do(server.done('r1'));
    expect(d.turn()).toMatchObject({
      phase: 'waiting',
      tools: [{ callId: 'c1', name: 'get_current_time', status: 'running' }],
    });
    d.do({ type: 'toolProgress', turnId: 'turn-1', callId: 'c1', status: 'running' });
    d.do({
      type: 'toolResult',
      turnId: 'turn-1',
      callId: 'c1',
      status: 'done',
      output: '12:00',
      durationMs: 3,
    });
    expect(d.sent()).toEqual([
      {
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: 'c1', output: '12:00' },
      },
      { type: 'response.create', event_id: 'create-turn-1-2', response: { output_modalities: ['text'] } },
    ]);
    d.do(server.created('r2'), server.text('r2', 'i2', 'It is noon.'), server.done('r2'));
    expect(d.turn()).toMatchObject({
      outcome: { kind: 'completed' },
      assistantText: 'It is noon.',
      attempts: 1,
      tools: [{ callId: 'c1', status: 'done', result: '12:00', durationMs: 3 }],
    });
  });

  it('parallel calls: one output each, and the follow-up only once all are in', () => {
    const d = text().do({ type: 'text', text: 'two things' }, server.created('r1'));
    d.do(server.functionCall('r1', 'a', 'c1'), server.functionCall('r1', 'b', 'c2'), server.done('r1'));
    expect(d.last.filter((e) => e.kind === 'runTool').map((e) => (e as { callId: string }).callId)).toEqual([
      'c1',
      'c2',
    ]);
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c2', status: 'done', output: 'B', durationMs: 1 });
    expect(d.sentTypes()).toEqual(['conversation.item.create']);
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c1', status: 'done', output: 'A', durationMs: 1 });
    expect(d.sentTypes()).toEqual(['conversation.item.create', 'response.create']);
    // A second result for the same call is not sent twice.
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c1', status: 'done', output: 'A', durationMs: 1 });
    expect(d.sent()).toEqual([]);
  });

  it('a call, then more calls: the turn goes on across responses until an answer without calls', () => {
    const d = text().do({ type: 'text', text: 'plan' }, server.created('r1'));
    d.do(server.functionCall('r1', 'a', 'c1'), server.done('r1'));
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c1', status: 'done', output: '1', durationMs: 1 });
    d.do(server.created('r2'), server.functionCall('r2', 'b', 'c2'), server.done('r2'));
    expect(d.last).toContainEqual(expect.objectContaining({ kind: 'runTool', callId: 'c2' }));
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c2', status: 'done', output: '2', durationMs: 1 });
    d.do(server.created('r3'), server.text('r3', 'i3', 'Done.'), server.done('r3'));
    expect(d.turn()).toMatchObject({ outcome: { kind: 'completed' }, assistantText: 'Done.' });
    expect(d.turn().tools?.map((c) => c.callId)).toEqual(['c1', 'c2']);
    const records = d.all.filter((e) => e.kind === 'responseRecord' && e.status !== 'in_progress');
    expect(records.map((r) => (r as { responseId: string }).responseId)).toEqual(['r1', 'r2', 'r3']);
  });

  it('a cancelled response: its calls never run', () => {
    const d = text().do(
      { type: 'text', text: 'x' },
      server.created('r1'),
      server.functionCall('r1', 'a', 'c1'),
    );
    d.do(server.done('r1', 'cancelled'));
    expect(d.all.filter((e) => e.kind === 'runTool')).toEqual([]);
  });

  it('denial and failures go back to the model as outputs it can explain', () => {
    const d = text().do({ type: 'text', text: 'open it' }, server.created('r1'));
    d.do(server.functionCall('r1', 'open_url', 'c1', '{"url":"https://example.com"}'), server.done('r1'));
    d.do({ type: 'toolProgress', turnId: 'turn-1', callId: 'c1', status: 'approval' });
    expect(d.turn().tools?.[0]?.status).toBe('approval');
    d.do({
      type: 'toolResult',
      turnId: 'turn-1',
      callId: 'c1',
      status: 'declined',
      output: 'The user declined.',
      durationMs: 2000,
    });
    expect(d.sent()[0]).toEqual({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'c1', output: 'The user declined.' },
    });
    expect(d.turn().tools?.[0]).toMatchObject({ status: 'declined', result: 'The user declined.' });
  });

  it('barge-in while a tool runs: the tool is stopped, its call still gets an output, no follow-up, the turn stays', () => {
    const d = text().do({ type: 'text', text: 'slow one' }, server.created('r1'));
    d.do(server.functionCall('r1', 'slow', 'c1'), server.done('r1'));
    d.do({ type: 'press', playedMs: null });
    expect(d.kinds()).toContain('abortTools');
    expect(d.sent()).toContainEqual({
      type: 'conversation.item.create',
      item: {
        type: 'function_call_output',
        call_id: 'c1',
        output: 'The user interrupted before this tool finished; it was stopped.',
      },
    });
    expect(d.views.get('turn-1')).toMatchObject({ outcome: { kind: 'interrupted' }, userText: 'slow one' });
    expect(d.views.get('turn-1')?.tools?.[0]?.status).toBe('cancelled');
    // A late result is ignored.
    d.do({
      type: 'toolResult',
      turnId: 'turn-1',
      callId: 'c1',
      status: 'done',
      output: 'late',
      durationMs: 9,
    });
    expect(d.sentTypes()).not.toContain('response.create');
  });

  it('other turns queue behind a turn busy with tools, and go after its answer', () => {
    const d = text().do({ type: 'text', text: 'tool please' }, server.created('r1'));
    d.do(server.functionCall('r1', 'a', 'c1'), server.done('r1'));
    d.do({ type: 'text', text: 'and this' });
    // The slot is free while the tool runs: the queued turn goes first, the follow-up after it.
    expect(d.sentTypes()).toEqual(['conversation.item.create', 'response.create']);
    d.do({ type: 'toolResult', turnId: 'turn-1', callId: 'c1', status: 'done', output: 'x', durationMs: 1 });
    expect(d.sentTypes()).toEqual(['conversation.item.create']);
    d.do(server.created('r2'), server.done('r2'));
    expect(d.sent()).toEqual([
      { type: 'response.create', event_id: 'create-turn-1-2', response: { output_modalities: ['text'] } },
    ]);
  });

  it('offers the functions in the session, and updates it when they change', () => {
    const tool = {
      name: 'get_current_time',
      description: 'The time',
      parameters: { type: 'object', properties: {} },
    };
    const d = new Driver({ tools: [tool] }).do({ type: 'connectionUp', expiresAt: null });
    expect(d.sent()[0]).toMatchObject({
      session: { tools: [{ type: 'function', ...tool }], tool_choice: 'auto' },
    });
    d.do({ type: 'config', config: { ...d.state.config, tools: [] } });
    expect(d.sentTypes()).toEqual(['session.update']);
  });
});
