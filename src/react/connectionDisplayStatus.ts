import type { ConnectionStatus } from '../protocol/connection.js';

/** What `<ConnectionStatus>` shows: the socket's status, or `polling` while REST carries the jobs. */
export type ConnectionDisplayStatus = ConnectionStatus | 'polling';

/**
 * The status to show: `polling` when REST carries the jobs while the socket is not connected,
 * else the socket's own status.
 *
 * @example
 * connectionDisplayStatus('error', true);     // 'polling'
 * connectionDisplayStatus('connected', true); // 'connected'
 */
export function connectionDisplayStatus(status: ConnectionStatus, isPolling = false): ConnectionDisplayStatus {
  return isPolling && status !== 'connected' ? 'polling' : status;
}
