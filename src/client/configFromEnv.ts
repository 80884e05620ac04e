import type { JobStreamsOptions } from './JobStreamsOptions.js';

/** The plan's environment variables, as Vite exposes them on `import.meta.env`. */
export interface JobStreamsEnv {
  /** Socket.io server origin → `url`. */
  VITE_WS_URL?: string;
  /** REST API origin → `apiUrl`. */
  VITE_API_URL?: string;
  /** Failed attempts before `error` and polling → `reconnection.attempts`. */
  VITE_WS_RECONNECT_ATTEMPTS?: string;
  /** First retry delay in ms → `reconnection.delay`. */
  VITE_WS_RECONNECT_DELAY?: string;
  /** Ms of silence before a job is resynced → `idleTimeout`. */
  VITE_WS_TIMEOUT?: string;
  /** Ms between heartbeat pings → `heartbeat.interval`. */
  VITE_WS_HEARTBEAT_INTERVAL?: string;
  /** Ms between REST polls → `polling.interval`. */
  VITE_POLLING_INTERVAL?: string;
  /** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`) → `polling.enabled`. */
  VITE_ENABLE_POLLING_FALLBACK?: string;
  /** Any other variable of `import.meta.env`; ignored. */
  [name: string]: unknown;
}

/**
 * Maps the plan's `VITE_*` variables to {@link JobStreamsOptions}; unset variables are left out
 * so the defaults apply. A set but malformed value throws a `TypeError` naming the variable, as a
 * typo in a deployment should fail loudly rather than fall back silently.
 *
 * | variable | option |
 * | --- | --- |
 * | `VITE_WS_URL` | `url` |
 * | `VITE_API_URL` | `apiUrl` |
 * | `VITE_WS_RECONNECT_ATTEMPTS` | `reconnection.attempts` |
 * | `VITE_WS_RECONNECT_DELAY` | `reconnection.delay` |
 * | `VITE_WS_TIMEOUT` | `idleTimeout` |
 * | `VITE_WS_HEARTBEAT_INTERVAL` | `heartbeat.interval` |
 * | `VITE_POLLING_INTERVAL` | `polling.interval` |
 * | `VITE_ENABLE_POLLING_FALLBACK` | `polling.enabled` |
 *
 * @example
 * const streams = createJobStreams(configFromEnv(import.meta.env));
 */
export function configFromEnv(env: JobStreamsEnv): JobStreamsOptions {
  const text = (name: keyof JobStreamsEnv & string) => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const ms = (name: keyof JobStreamsEnv & string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new TypeError(`jobstream: ${name} must be a number of 0 or more, got "${value}".`);
    return parsed;
  };
  const flag = (name: keyof JobStreamsEnv & string) => {
    const value = text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    throw new TypeError(`jobstream: ${name} must be true or false, got "${value}".`);
  };

  return prune({
    url: text('VITE_WS_URL'),
    apiUrl: text('VITE_API_URL'),
    idleTimeout: ms('VITE_WS_TIMEOUT'),
    reconnection: prune({ attempts: ms('VITE_WS_RECONNECT_ATTEMPTS'), delay: ms('VITE_WS_RECONNECT_DELAY') }),
    heartbeat: prune({ interval: ms('VITE_WS_HEARTBEAT_INTERVAL') }),
    polling: prune({ interval: ms('VITE_POLLING_INTERVAL'), enabled: flag('VITE_ENABLE_POLLING_FALLBACK') }),
  });
}

/** Drops undefined fields and empty groups, so spreading the result never erases a default. */
function prune<T extends object>(object: T): T {
  const entries = Object.entries(object).filter(
    ([, value]) => value !== undefined && !(typeof value === 'object' && Object.keys(value as object).length === 0),
  );
  return Object.fromEntries(entries) as T;
}
