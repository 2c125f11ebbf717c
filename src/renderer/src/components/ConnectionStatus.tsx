/**
 * The connection in plain words (role status "Connection"), with Reconnect when it failed. While the window
 * cannot reach Talkie itself (browser mode's server stopped) that comes first: whatever main said last about
 * the server is stale then.
 */
import { useState, type ReactElement } from 'react';
import type { ConnectionView } from '../../../shared/types';
import type { Transport } from '../model/state';
import { getBridge } from '../bridge';
import { connectionLabel, formatDuration } from '../model/format';
import { useNow } from '../hooks/useNow';

/** Warn this long before the server's session limit. */
const EXPIRY_WARNING_MS = 5 * 60_000;

/** Status dot + words; a ticking countdown only while reconnecting or near the session limit. */
export function ConnectionStatus({
  connection: reported,
  loadError,
  transport,
}: {
  connection: ConnectionView | null;
  /** Set while the window cannot reach main at all (browser mode's server stopped, say). */
  loadError: string | null;
  transport: Transport;
}): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const lost = transport === 'lost';
  // Main's word on the server is stale while main itself cannot be reached.
  const connection = lost ? null : reported;
  const ticking = connection?.state === 'reconnecting' || connection?.expiresAt !== undefined;
  const now = useNow(ticking);
  const state = lost ? 'lost' : (connection?.state ?? (loadError ? 'failed' : 'connecting'));
  const label = lost
    ? 'Lost connection to Talkie'
    : connection
      ? connectionLabel(connection, now)
      : loadError
        ? `Can't reach Talkie: ${loadError} Retrying…`
        : 'Connecting…';
  const expiresIn = connection?.expiresAt !== undefined ? connection.expiresAt - now : undefined;
  const canReconnect = connection !== null && (state === 'failed' || state === 'closed');

  const reconnect = (): void => {
    setError(null);
    const bridge = getBridge();
    bridge['connection.reconnect']({}).catch((e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <div className="connection">
      <div role="status" aria-label="Connection" className={`connection-status connection-${state}`}>
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-label">{label}</span>
        {lost && (
          <span
            className="connection-reason"
            title="Is browser mode still running? This page reconnects by itself."
          >
            Trying again…
          </span>
        )}
        {(state === 'reconnecting' || state === 'connecting') && connection?.reason && (
          <span className="connection-reason" title={connection.reason}>
            {connection.reason}
          </span>
        )}
        {connection?.demoMode && (
          <span className="badge" title="Demo mode (local simulator)">
            Demo mode (local simulator)
          </span>
        )}
        {!connection?.demoMode && connection?.endpoint && state === 'connected' && (
          <span className="connection-endpoint">{connection.endpoint}</span>
        )}
        {expiresIn !== undefined && expiresIn > 0 && expiresIn < EXPIRY_WARNING_MS && (
          <span className="badge badge-warning">Session ends in {formatDuration(expiresIn)}</span>
        )}
      </div>
      {canReconnect && (
        <button type="button" className="button button-small" onClick={reconnect}>
          Reconnect
        </button>
      )}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
