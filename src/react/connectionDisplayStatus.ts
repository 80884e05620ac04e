import type { ConnectionStatus } from '../protocol/connection.js';

/**
 * What `<ConnectionStatus>` shows: the socket's status, `polling` while REST carries the jobs, or
 * `idle` while the client has nothing to watch.
 */
export type ConnectionDisplayStatus = ConnectionStatus | 'polling' | 'idle';

/**
 * The status to show: `polling` when REST carries the jobs while the socket is not connected,
 * `idle` when the socket is closed on purpose (`disconnected` and `idle`), else the socket's own status.
 *
 * @example
 * connectionDisplayStatus('error', true);               // 'polling'
 * connectionDisplayStatus('connected', true);           // 'connected'
 * connectionDisplayStatus('disconnected', false, true); // 'idle'
 */
export function connectionDisplayStatus(status: ConnectionStatus, isPolling = false, idle = false): ConnectionDisplayStatus {
  if (isPolling && status !== 'connected') return 'polling';
  return idle && status === 'disconnected' ? 'idle' : status;
}
