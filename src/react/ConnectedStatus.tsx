import type { ReactNode } from 'react';
import { ConnectionStatus, type ConnectionStatusProps } from './ConnectionStatus.js';
import { useConnectionState } from './useConnectionState.js';
import { useJobStreams } from './useJobStreams.js';

/** Props of {@link ConnectedStatus}: the presentation props of `<ConnectionStatus>`. */
export type ConnectedStatusProps = Pick<ConnectionStatusProps, 'className' | 'labels' | 'formatTime'>;

/**
 * `<ConnectionStatus>` wired to the provider's client: its connection state, polling, last
 * connection, latency, next retry, and `client.reconnect` behind the button.
 *
 * @example
 * <JobStreamsProvider options={{ url }}><ConnectedStatus className="toolbar-status" /></JobStreamsProvider>
 */
export function ConnectedStatus(props: ConnectedStatusProps): ReactNode {
  const client = useJobStreams();
  const state = useConnectionState();
  return (
    <ConnectionStatus
      {...props}
      status={state.status}
      isPolling={state.transport === 'polling'}
      onReconnect={client.reconnect}
      lastConnectedAt={state.connectedAt}
      latencyMs={state.latencyMs}
      nextRetryAt={state.nextRetryAt}
    />
  );
}
