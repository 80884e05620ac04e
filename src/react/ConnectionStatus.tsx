import { useId, type ReactNode } from 'react';
import type { ConnectionStatus as Status } from '../protocol/connection.js';
import { connectionDisplayStatus } from './connectionDisplayStatus.js';
import { DEFAULT_CONNECTION_STATUS_LABELS, type ConnectionStatusLabels } from './ConnectionStatusLabels.js';

/** Props of {@link ConnectionStatus}: the plan's four, plus what the tooltip explains. */
export interface ConnectionStatusProps {
  /** The socket's status. */
  status: Status;
  /** REST polling carries the jobs: shows "Polling" (yellow) unless the socket is connected. @default false */
  isPolling?: boolean;
  /**
   * The socket is closed on purpose, not lost: nothing is watched, no retry is due. A `disconnected`
   * status then shows "Idle" (grey) without the button. `<ConnectedStatus>` works it out itself.
   * @default false
   */
  idle?: boolean;
  /** Called by the "Reconnect" button, shown while `disconnected` (not idle) or in `error`. No handler, no button. */
  onReconnect?: () => void;
  /** Added to the root's `jobstream-status` class. */
  className?: string;
  /** When the socket last connected; shown in the tooltip. */
  lastConnectedAt?: Date;
  /** Heartbeat round trip in ms; shown in the tooltip. */
  latencyMs?: number;
  /** When the next reconnection attempt is due; shown in the tooltip. */
  nextRetryAt?: Date;
  /** Replaces any of the texts. @default DEFAULT_CONNECTION_STATUS_LABELS (English) */
  labels?: Partial<ConnectionStatusLabels>;
  /** Formats the tooltip's times. @default date.toLocaleTimeString() */
  formatTime?: (date: Date) => string;
}

const formatLocalTime = (date: Date): string => date.toLocaleTimeString();

/**
 * A connection badge: always a text ("Connected", "Connecting…", "Polling", "Disconnected",
 * "Idle", "Connection error"), coloured through `data-status` and CSS variables, announced politely
 * (`role="status"`), with a "Reconnect" button while disconnected or in error, and a tooltip
 * (last connection, latency, next retry) that is also the badge's accessible description and,
 * with the default stylesheet, shows on keyboard focus too.
 *
 * Unstyled apart from class names and `data-status`; import `jobstream/react/styles.css` for the
 * default look, themed by `--jobstream-connected`,
 * `--jobstream-connecting`, `--jobstream-polling`, `--jobstream-disconnected`, `--jobstream-idle`,
 * `--jobstream-error`.
 *
 * @example
 * <ConnectionStatus status="error" isPolling onReconnect={client.reconnect} lastConnectedAt={at} />
 */
export function ConnectionStatus(props: ConnectionStatusProps): ReactNode {
  const { status, isPolling = false, idle = false, onReconnect, className, formatTime = formatLocalTime } = props;
  const labels = { ...DEFAULT_CONNECTION_STATUS_LABELS, ...props.labels };
  const shown = connectionDisplayStatus(status, isPolling, idle);
  const details = [
    props.lastConnectedAt && `${labels.lastConnected}: ${formatTime(props.lastConnectedAt)}`,
    props.latencyMs !== undefined && `${labels.latency}: ${Math.round(props.latencyMs)} ms`,
    props.nextRetryAt && `${labels.nextRetry}: ${formatTime(props.nextRetryAt)}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const detailsId = useId();
  const canReconnect = onReconnect !== undefined && ((status === 'disconnected' && shown !== 'idle') || status === 'error');

  return (
    <div className={className ? `jobstream-status ${className}` : 'jobstream-status'} data-status={shown}>
      <span
        className="jobstream-status__badge"
        role="status"
        aria-live="polite"
        title={details || undefined}
        aria-describedby={details ? detailsId : undefined}
        tabIndex={details ? 0 : undefined}
      >
        <span className="jobstream-status__dot" aria-hidden="true" />
        <span className="jobstream-status__label">{labels[shown]}</span>
      </span>
      {details && (
        <span id={detailsId} className="jobstream-status__details">
          {details}
        </span>
      )}
      {canReconnect && (
        <button type="button" className="jobstream-status__reconnect" onClick={onReconnect}>
          {labels.reconnect}
        </button>
      )}
    </div>
  );
}
