/**
 * Turns an Envelope-returning transport (the preload's `window.api`, or the browser-mode socket) into
 * the typed `Bridge` components use: values on success, a thrown BridgeError with main's words otherwise.
 */
import { COMMAND_NAMES } from '../../../shared/channels';
import type { Bridge, Envelope, RawApi } from '../../../shared/contract';

/** A command's failure as main reported it (plain words in `message`). */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

export function unwrap(raw: RawApi): Bridge {
  const bridge: Record<string, unknown> = {};
  for (const name of COMMAND_NAMES) {
    const call = raw[name] as (request: unknown) => Promise<Envelope<unknown>>;
    bridge[name] = async (request: unknown) => {
      const envelope = await call(request ?? {});
      if (envelope.ok) return envelope.value;
      throw new BridgeError(envelope.error.code, envelope.error.message);
    };
  }
  bridge.on = raw.on;
  return Object.freeze(bridge) as Bridge;
}
