/**
 * The one place a command crosses into main: look the command up in the contract, validate its
 * payload, run the handler, and wrap the outcome in an Envelope. Both transports (Electron IPC and
 * the browser-mode WebSocket) call this, so validation and error wording cannot differ between them.
 */
import { commands, type CommandName, type Envelope, type Handlers } from '../../shared/contract';

export type Dispatch = (name: string, payload: unknown) => Promise<Envelope<unknown>>;

/** A failure the user should read as-is (plain words), as opposed to an internal error. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly code: 'failed' | 'unavailable' = 'failed',
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

/** Builds the dispatcher over handlers written once for both transports. */
export function createDispatcher(
  handlers: Handlers,
  onInternalError?: (name: string, error: unknown) => void,
): Dispatch {
  return async (name, payload) => {
    if (typeof name !== 'string' || !isCommand(name)) {
      return { ok: false, error: { code: 'unknown-command', message: `Unknown command: ${String(name)}` } };
    }
    const parsed = commands[name].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      return {
        ok: false,
        error: { code: 'invalid-request', message: `Invalid request for ${name}: ${detail}` },
      };
    }
    try {
      // The contract pairs each name with its payload type; TypeScript cannot correlate the union here.
      const handler = handlers[name] as (payload: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof UserFacingError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      onInternalError?.(name, error);
      return {
        ok: false,
        error: {
          code: 'failed',
          message: `Something went wrong while running ${name}. Details are in the app log.`,
        },
      };
    }
  };
}
