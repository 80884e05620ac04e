import { asyncScheduler, EMPTY, filter, fromEvent, merge, noop, type Observable, type SchedulerLike } from 'rxjs';
import { Manager, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { FetchLike } from '../transport/poll$.js';
import type { JobStreamsOptions } from './JobStreamsOptions.js';
import type { DebugEntry } from './DebugEntry.js';

/** Defaults of {@link JobStreamsOptions}. */
export const DEFAULT_JOB_STREAMS = {
  path: '/socket.io',
  reconnection: { attempts: 5, delay: 1000, maxDelay: 16_000, jitter: 0.2 },
  heartbeat: { interval: 30_000, timeout: 10_000 },
  idleTimeout: 300_000,
  polling: { enabled: true, interval: 5000, grace: 3000 },
  throttle: 100,
  linger: 1000,
  ackTimeout: 10_000,
  withCredentials: false,
  transports: ['websocket', 'polling'],
  debug: false,
} as const;

/** {@link JobStreamsOptions} with every default applied and checked. */
export interface ResolvedOptions {
  url: string;
  apiUrl: string;
  path: string;
  reconnection: Required<NonNullable<JobStreamsOptions['reconnection']>>;
  heartbeat: Required<NonNullable<JobStreamsOptions['heartbeat']>>;
  idleTimeout: number;
  polling: Required<NonNullable<JobStreamsOptions['polling']>>;
  throttle: number;
  linger: number;
  ackTimeout: number;
  requestId: () => string;
  auth: NonNullable<JobStreamsOptions['auth']>;
  withCredentials: boolean;
  transports: ('websocket' | 'polling')[];
  io: (url: string, options: Partial<ManagerOptions & SocketOptions>) => Manager;
  fetch: FetchLike;
  scheduler: SchedulerLike;
  random: () => number;
  wake$: Observable<unknown>;
  /** Whether `debug` is on: call sites that would build an entry per message check it first. */
  debugEnabled: boolean;
  /** Where debug entries go; a no-op unless `debug` is on. */
  log: (entry: DebugEntry) => void;
}

/**
 * Applies the defaults and checks the options, throwing a `TypeError` that says how to fix a bad
 * one. The only place that reads the environment (`window`, `fetch`, `crypto`).
 */
export function resolveOptions(options: JobStreamsOptions = {}): ResolvedOptions {
  const url = origin(options.url ?? pageOrigin(), 'url');
  const random = options.random ?? Math.random;
  const resolved: ResolvedOptions = {
    url,
    apiUrl: options.apiUrl === undefined ? url : origin(options.apiUrl, 'apiUrl'),
    path: options.path ?? DEFAULT_JOB_STREAMS.path,
    reconnection: { ...DEFAULT_JOB_STREAMS.reconnection, ...options.reconnection },
    heartbeat: { ...DEFAULT_JOB_STREAMS.heartbeat, ...options.heartbeat },
    idleTimeout: options.idleTimeout ?? DEFAULT_JOB_STREAMS.idleTimeout,
    polling: { ...DEFAULT_JOB_STREAMS.polling, ...options.polling },
    throttle: options.throttle ?? DEFAULT_JOB_STREAMS.throttle,
    linger: options.linger ?? DEFAULT_JOB_STREAMS.linger,
    ackTimeout: options.ackTimeout ?? DEFAULT_JOB_STREAMS.ackTimeout,
    requestId: options.requestId ?? (() => randomId(random)),
    auth: options.auth ?? (() => ({})),
    withCredentials: options.withCredentials ?? DEFAULT_JOB_STREAMS.withCredentials,
    transports: options.transports ?? [...DEFAULT_JOB_STREAMS.transports],
    io: options.io ?? ((managerUrl, managerOptions) => new Manager(managerUrl, managerOptions)),
    fetch: options.fetch ?? defaultFetch(),
    scheduler: options.scheduler ?? asyncScheduler,
    random,
    wake$: options.wake$ ?? pageWake$(),
    debugEnabled: options.debug !== undefined && options.debug !== false,
    log: debugLog(options.debug ?? DEFAULT_JOB_STREAMS.debug),
  };
  checkDurations(resolved);
  checkOutbox(options);
  return resolved;
}

/** `outbox` is typed as the plugin, but JavaScript callers can hand its options instead. */
function checkOutbox({ outbox }: JobStreamsOptions): void {
  const attach = (outbox as { attach?: unknown } | null | undefined)?.attach;
  if (outbox !== undefined && typeof attach !== 'function') {
    throw new TypeError(
      'jobstream: the outbox is a plugin: pass its options (maxSize, storage, locks, …) to it, as in createJobStreams({ url, outbox: outbox({ storage }) }) with `import { outbox } from "jobstream/outbox"`.',
    );
  }
}

function origin(value: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new TypeError(
      `jobstream: \`${name}\` must be an absolute URL such as "https://api.example.com", got ${JSON.stringify(value)}.`,
    );
  }
  if (!/^(https?|wss?):$/.test(parsed.protocol)) {
    throw new TypeError(`jobstream: \`${name}\` must use http(s) or ws(s), got "${parsed.protocol}".`);
  }
  if (parsed.username || parsed.password) {
    throw new TypeError(`jobstream: \`${name}\` must not carry credentials; pass them with \`auth\` or cookies.`);
  }
  return parsed.origin.replace(/^ws/, 'http');
}

function debugLog(debug: NonNullable<JobStreamsOptions['debug']>): (entry: DebugEntry) => void {
  if (debug === false) return noop;
  const sink =
    debug === true
      ? ({ scope, message, data }: DebugEntry) =>
          data === undefined
            ? console.debug(`[jobstream] ${scope}: ${message}`)
            : console.debug(`[jobstream] ${scope}: ${message}`, data)
      : debug;
  if (typeof sink !== 'function')
    throw new TypeError(`jobstream: \`debug\` must be true, false or a function, got ${typeof debug}.`);
  return (entry) => {
    // Tracing must never change what it traces: a logger that throws is ignored.
    try {
      sink(entry);
    } catch {
      // ignored
    }
  };
}

function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  if (!location?.origin || location.origin === 'null') {
    throw new TypeError('jobstream: there is no page origin here (SSR or a worker); pass `url` to createJobStreams.');
  }
  return location.origin;
}

function defaultFetch(): FetchLike {
  return (url, init) => {
    if (typeof globalThis.fetch !== 'function') {
      return Promise.reject(new TypeError('jobstream: no global fetch here; pass `fetch` to createJobStreams.'));
    }
    return globalThis.fetch(url, init);
  };
}

function pageWake$(): Observable<unknown> {
  if (typeof window === 'undefined' || typeof document === 'undefined') return EMPTY;
  return merge(
    fromEvent(window, 'online'),
    fromEvent(document, 'visibilitychange').pipe(filter(() => document.visibilityState === 'visible')),
  );
}

function randomId(random: () => number): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  return Array.from({ length: 4 }, () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('-');
}

/** The longest delay setTimeout and setInterval can hold: 2 ** 31 - 1 ms. */
const MAX_TIMER_DELAY = 2_147_483_647;

function checkDurations({ reconnection, heartbeat, polling, idleTimeout, throttle, linger, ackTimeout }: ResolvedOptions): void {
  // Periods and timeouts must be positive: 0 would ping, poll or time out in a busy loop.
  const positive = {
    'heartbeat.interval': heartbeat.interval,
    'heartbeat.timeout': heartbeat.timeout,
    'polling.interval': polling.interval,
    idleTimeout,
    ackTimeout,
  };
  const nonNegative = {
    'reconnection.delay': reconnection.delay,
    'reconnection.maxDelay': reconnection.maxDelay,
    'polling.grace': polling.grace,
    throttle,
    linger,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!(value > 0 && value < Infinity))
      throw new TypeError(`jobstream: \`${name}\` must be a number of ms above 0, got ${value}.`);
  }
  for (const [name, value] of Object.entries(nonNegative)) {
    if (!(value >= 0 && value < Infinity))
      throw new TypeError(`jobstream: \`${name}\` must be a number of ms of 0 or more, got ${value}.`);
  }
  // setTimeout fires after 1 ms for anything longer, so a delay meant as "never" would spin.
  for (const [name, value] of Object.entries({ ...positive, ...nonNegative })) {
    if (value > MAX_TIMER_DELAY)
      throw new TypeError(`jobstream: \`${name}\` must be at most ${MAX_TIMER_DELAY} ms (about 24.8 days), got ${value}.`);
  }
  if (!(reconnection.attempts >= 0)) {
    throw new TypeError(`jobstream: \`reconnection.attempts\` must be 0 or more, got ${reconnection.attempts}.`);
  }
}
