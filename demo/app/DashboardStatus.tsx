import type { ReactNode } from 'react';
import { ConnectionStatus, useConnectionState, useJobStreams } from '../../src/react/index.js';

/**
 * The connection badge, wired like `<ConnectedStatus>` except for one state. The client closes
 * its socket when no job is watched and then reports `disconnected` (a lost link is `connecting`
 * or `error` while it retries), so here that state reads "Idle", in grey, without a Reconnect
 * button that would have nothing to reconnect.
 */
export function DashboardStatus(): ReactNode {
  const client = useJobStreams();
  const state = useConnectionState();
  const idle = state.status === 'disconnected' && state.transport === 'none';
  return (
    <ConnectionStatus
      className={idle ? 'dashboard-status is-idle' : 'dashboard-status'}
      labels={{ disconnected: 'Idle' }}
      status={state.status}
      isPolling={state.transport === 'polling'}
      onReconnect={idle ? undefined : client.reconnect}
      lastConnectedAt={state.connectedAt}
      latencyMs={state.latencyMs}
      nextRetryAt={state.nextRetryAt}
    />
  );
}
