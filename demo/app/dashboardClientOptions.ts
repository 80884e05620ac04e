import { outbox } from '../../src/outbox.js';
import type { JobStreamsOptions } from '../../src/react/index.js';

/**
 * Client options for the demo: short delays, so that cutting the socket shows polling within
 * about two seconds and the socket coming back within a few more.
 */
export const DASHBOARD_CLIENT_OPTIONS = {
  polling: { grace: 1000, interval: 1000 },
  reconnection: { delay: 500, maxDelay: 4000 },
  heartbeat: { interval: 5000, timeout: 3000 },
} as const satisfies JobStreamsOptions;

/**
 * The demo's client options, with the outbox plugin (Cancel goes through it, and the header counts
 * what waits in it), adjusted by the page's query string: `reconnectDelay` (ms) and
 * `reconnectAttempts` let a test (or a curious user) make the backoff long enough that only the
 * Reconnect button brings the socket back, e.g. `/?reconnectDelay=60000&reconnectAttempts=0`.
 *
 * @example
 * dashboardClientOptions(location.search);
 */
export function dashboardClientOptions(search: string): JobStreamsOptions {
  const params = new URLSearchParams(search);
  const delay = count(params.get('reconnectDelay')) ?? DASHBOARD_CLIENT_OPTIONS.reconnection.delay;
  const attempts = count(params.get('reconnectAttempts'));
  return {
    ...DASHBOARD_CLIENT_OPTIONS,
    outbox: outbox(),
    reconnection: {
      delay,
      maxDelay: Math.max(delay, DASHBOARD_CLIENT_OPTIONS.reconnection.maxDelay),
      ...(attempts === undefined ? {} : { attempts }),
    },
  };
}

function count(value: string | null): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}
