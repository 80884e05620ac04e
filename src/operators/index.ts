export { retryBackoff, DEFAULT_RETRY_BACKOFF, type RetryBackoffConfig } from './retryBackoff.js';
export { backoffDelay, type BackoffDelayConfig } from './backoffDelay.js';
export { heartbeat, DEFAULT_HEARTBEAT, type HeartbeatConfig } from './heartbeat.js';
export { HeartbeatTimeoutError } from './HeartbeatTimeoutError.js';
export { idleTimeout, DEFAULT_IDLE_TIMEOUT, type IdleTimeoutConfig } from './idleTimeout.js';
export { throttleProgress, DEFAULT_THROTTLE_PROGRESS, type ThrottleProgressConfig } from './throttleProgress.js';
export {
  pollingFallback,
  DEFAULT_POLLING_FALLBACK,
  type PollingFallbackConfig,
  type Delivered,
  type DeliveryTransport,
} from './pollingFallback.js';
export { monotonicProgress } from './monotonicProgress.js';
export { untilTerminal } from './untilTerminal.js';
