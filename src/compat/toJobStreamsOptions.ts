import type { JobStreamsOptions } from '../client/JobStreamsOptions.js';
import type { WebSocketConfig } from '../protocol/connection.js';

/**
 * Maps the plan's {@link WebSocketConfig} onto {@link JobStreamsOptions}, over `base` (the
 * options the plan has no field for: `fetch`, `outbox`, heartbeat, …). A field of `config`
 * wins over `base`; an unset one leaves `base` (and then the client's default) alone.
 *
 * | WebSocketConfig | JobStreamsOptions |
 * | --- | --- |
 * | `url` | `url` |
 * | `reconnectionAttempts` | `reconnection.attempts` |
 * | `reconnectionDelay` | `reconnection.delay` |
 * | `timeout` | `idleTimeout` |
 * | `enablePollingFallback` | `polling.enabled` |
 *
 * @example
 * createJobStreams(toJobStreamsOptions({ url: 'https://api.example.com', timeout: 60_000 }));
 */
export function toJobStreamsOptions(config: WebSocketConfig, base: JobStreamsOptions = {}): JobStreamsOptions {
  const { url, reconnectionAttempts: attempts, reconnectionDelay: delay, timeout, enablePollingFallback: enabled } = config;
  return {
    ...base,
    url,
    ...(timeout !== undefined && { idleTimeout: timeout }),
    reconnection: { ...base.reconnection, ...(attempts !== undefined && { attempts }), ...(delay !== undefined && { delay }) },
    polling: { ...base.polling, ...(enabled !== undefined && { enabled }) },
  };
}
