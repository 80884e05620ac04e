import type { ConnectionDisplayStatus } from './connectionDisplayStatus.js';

/** Every text `<ConnectionStatus>` shows, for translation. */
export interface ConnectionStatusLabels extends Record<ConnectionDisplayStatus, string> {
  /** The button shown while disconnected or in error. */
  reconnect: string;
  /** Prefix of the last connection time in the tooltip. */
  lastConnected: string;
  /** Prefix of the heartbeat round trip in the tooltip. */
  latency: string;
  /** Prefix of the next retry time in the tooltip. */
  nextRetry: string;
}

/** The English labels; pass `labels` to `<ConnectionStatus>` to replace any of them. */
export const DEFAULT_CONNECTION_STATUS_LABELS: ConnectionStatusLabels = {
  connected: 'Connected',
  connecting: 'Connecting…',
  polling: 'Polling',
  disconnected: 'Disconnected',
  idle: 'Idle',
  error: 'Connection error',
  reconnect: 'Reconnect',
  lastConnected: 'Last connected',
  latency: 'Latency',
  nextRetry: 'Next retry',
};
