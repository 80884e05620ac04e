import type { ReactNode } from 'react';
import { ConnectionStatus, type ConnectionStatusProps } from './ConnectionStatus.js';
import { useConnectionState } from './useConnectionState.js';
import { useJobStreams } from './useJobStreams.js';

/** Props of {@link ConnectedStatus}: the presentation props of `<ConnectionStatus>`. */
export type ConnectedStatusProps = Pick<ConnectionStatusProps, 'className' | 'labels' | 'formatTime'>;

/**
 * `<ConnectionStatus>` wired to the provider's client: its connection state, polling, idle (no
 * job watched), last connection, latency, next retry, and `client.reconnect` behind the button.
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
      // The link reports `disconnected` with no retry due only when it closed on purpose (no job
      // watched, or before the first); a lost link is `connecting` or `error` while it retries.
      idle={state.transport === 'none' && state.nextRetryAt === undefined}
      onReconnect={client.reconnect}
      lastConnectedAt={state.connectedAt}
      latencyMs={state.latencyMs}
      nextRetryAt={state.nextRetryAt}
    />
  );
}
