/**
 * The one catalogue of what Talkie says to the user in plain words: reasons shown on turns and in notices
 * (FIELD-REPORTS rows 3, 4, 6, 7, 11, 12), connection and conversation messages. Code decides when; this
 * file only says it, once.
 */

/** ms → "10 s" (whole seconds when round, else one decimal). */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

export const reasons = {
  holdToTalk: 'Hold to talk',
  stalled: (ms: number): string => `No reply from the server for ${seconds(ms)} after it started answering`,
  notCreated: (ms: number): string => `The server did not start a reply within ${seconds(ms)} of the request`,
  noAudio: 'The server answered in text although voice was requested',
  interrupted: 'You interrupted the reply',
  stopped: 'You stopped the reply',
  supersededByPress: 'You started a new turn before the reply began',
  micFailed: (why: string): string => `The microphone could not be used: ${why}`,
  commitEmpty: 'The server received no audio for this turn (less than 100 ms arrived)',
  failed: 'The reply failed',
  leftConversation: 'You left this conversation before the reply came',
  expiresSoon:
    'This session reaches the server’s time limit in about 2 minutes. The conversation will continue in a new session as text.',
  sessionExpiredCarried:
    'The server ended the session at its time limit. A new session continues with the conversation so far as text.',
  reconnectedCarried: 'Reconnected in a new session; the conversation so far was carried over as text.',
  serverChanged: 'The server changed before the reply came',
  cancelledByUser: 'You cancelled this message before it was answered',
  toolStopped: 'The user interrupted before this tool finished; it was stopped.',
  voiceNextSession: (voice: string): string =>
    `The assistant has already spoken in this session, and a session keeps its voice: ${voice[0]?.toUpperCase() ?? ''}${voice.slice(1)} will be used from the next session.`,
  noiseReductionOffNextSession:
    'Noise reduction turns off from the next session (a session that has it keeps it; Start new session applies it now).',
  transcriptionOffNextSession:
    'Transcripts of what you say stop from the next session (a session that has them keeps them; Start new session applies it now).',
  instructionsCleared:
    'Session instructions were cleared. The server keeps the previous ones until the next connection (an empty text is never sent).',
} as const;

/** Words for a response.done that did not complete (status failed / incomplete), with the code kept. */
export function responseFailure(
  status: string,
  details:
    | { reason?: string | null; error?: { type?: string | null; code?: string | null } | null }
    | null
    | undefined,
): string {
  const code = details?.error?.code ?? details?.error?.type ?? details?.reason ?? null;
  switch (code) {
    case 'server_error':
      return 'The server had an internal error (server_error)';
    case 'inference_rate_limit_exceeded':
    case 'rate_limit_exceeded':
      return `The server is limiting requests right now (${code}); wait a moment, then Retry`;
    case 'max_output_tokens':
      return 'The reply was cut off at the maximum output length (max_output_tokens)';
    case 'content_filter':
      return 'The reply was stopped by the content filter (content_filter)';
    case 'turn_detected':
      return 'The server stopped the reply because it heard new speech (turn_detected)';
    default:
      break;
  }
  const what = status === 'incomplete' ? 'The reply ended early' : 'The reply failed';
  return code ? `${what} (${code})` : what;
}

/** Longest server message shown on a turn or a notice; the event log keeps it whole. */
export const SHOWN_MESSAGE_CHARS = 200;

/** A server's message cut for display at a word, with an ellipsis (whole in the event log). */
export function shortened(message: string, max = SHOWN_MESSAGE_CHARS): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}… (whole message in the event log)`;
}

/** Words for an `error` event that is about one turn or the session. */
export function serverError(code: string | null | undefined, rawMessage: string): string {
  const message = shortened(rawMessage);
  switch (code) {
    case 'input_audio_buffer_commit_empty':
      return reasons.commitEmpty;
    case 'beta_api_shape_disabled':
      return words.betaDisabled;
    case 'session_expired':
      return words.sessionExpired;
    default:
      return code
        ? `The server reported an error: ${message} (${code})`
        : `The server reported an error: ${message}`;
  }
}

/** Messages about the connection and the conversations. */
export const words = {
  /** The monthly budget was passed (amounts already formatted, e.g. "$12.34"). */
  overBudget: (spent: string, budget: string): string =>
    `This month's estimated cost, ${spent}, has passed your monthly budget of ${budget} (Settings › Cost).`,
  /** Why a turn shows "attempt 2" (issue 19). */
  attemptTextInsteadOfAudio: 'the server answered in text, so Talkie asked again for audio',
  attemptAfterDrop: 'the connection dropped, so Talkie asked again',
  attemptRetry: 'Retry',
  sessionExpired: 'The server ended the session after its time limit; starting a new one.',
  betaDisabled:
    'This server no longer accepts the old beta protocol (OpenAI-Beta: realtime=v1). Talkie speaks the GA protocol; if you see this, the server or a proxy in between is forcing the beta dialect.',
  notRetryable: 'Only a failed, stopped or text-only reply can be retried.',
  alreadyAsked: 'That turn is already being answered.',
  noSuchTurn: 'That turn no longer exists.',
  noSuchConversation: 'That conversation no longer exists.',
  noClipboardHere: 'Browser mode has no access to your clipboard; the desktop app does.',
  remoteMcpListFailed: (server: string): string =>
    `The Realtime server could not list the tools of ${server === 'a remote MCP server' ? server : `the remote MCP server "${server}"`}, so its calls will fail. Check its URL and token in Settings › Tools.`,
  mcpStartFailed: (why: string): string =>
    `Your MCP servers could not be started (${why}). Open Settings › Tools to restart them.`,
  noSuchApproval: 'That tool call is no longer waiting for an answer.',
  recordingGone:
    'The recording of that turn is no longer kept, so it cannot be sent again. Say it once more.',
  newConversationForServer: (host: string, title: string): string =>
    `You are now talking to ${host}. A new conversation started, so nothing of “${title}” was sent there; it is still in Conversations.`,
  retryingIn: (secs: number, failures: number): string =>
    `Retrying in ${secs} s: the server failed ${failures === 1 ? 'once' : failures === 2 ? 'twice' : `${failures} times`} in a row.`,
  sessionStarting: 'Connected; waiting for the server to start the session…',
  sessionMissing:
    'The server accepted the connection but has not started a session (no session.created). Turns will be tried anyway; if they fail, check that the URL is a Realtime endpoint.',
  storeUnavailable: (dir: string, why: string): string =>
    `Conversations cannot be saved in ${dir} (${why}). They are kept until Talkie quits.`,
  notSaved: (why: string): string =>
    `The conversation could not be saved (${why}). It stays on screen, and Talkie keeps trying with each change.`,
  heldElsewhere: (host: string): string =>
    `This conversation was held with another server. Talking now starts fresh on ${host}; “Continue here” sends its history there.`,
} as const;
