/** Waits on a RealtimeConnection's status, shared by the connection tests against servers and the simulator. */
import type {
  ConnectionStatus,
  RealtimeConnection,
} from '../../../../src/main/core/realtime/connection-types';

/** Resolves with the first status (current or coming) that matches. */
export function waitForStatus(
  conn: RealtimeConnection,
  pred: (s: ConnectionStatus) => boolean,
): Promise<ConnectionStatus> {
  return new Promise((resolve) => {
    if (pred(conn.status)) return resolve(conn.status);
    const off = conn.onStatus((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}
