import { configFromEnv } from '../client/configFromEnv.js';
import { createJobStreams, type JobStreams } from '../client/createJobStreams.js';
import type { JobStreamsOptions, PollingOptions } from '../client/JobStreamsOptions.js';
import { DEFAULT_JOB_STREAMS, resolveOptions } from '../client/resolveOptions.js';
import type { ChannelSource } from './createJobChannel.js';
import { viteEnv } from './viteEnv.js';
import { withOutbox } from './withOutbox.js';

/**
 * Options of `WebSocketService.configure`: the shared client's options, and two additions. The
 * client always has the outbox: `outbox()` unless `outbox` brings one, say `outbox({ storage })`.
 */
export interface WebSocketServiceConfig extends JobStreamsOptions {
  /**
   * Share this client (say, the one given to `JobStreamsProvider`) instead of creating one, so
   * the whole app uses one connection. Its other options here should match it (`url`/`apiUrl`,
   * `fetch`), as REST polling uses them, and `send` needs it to have the outbox plugin
   * (`outbox: outbox()` from `jobstream/outbox`). `reset()` does not dispose it.
   * @default a client created from these options on first use
   */
  client?: JobStreams;
  /**
   * Receives a handler that threw and the problems the streams recovered from.
   * @default console.error
   */
  onError?: (error: Error) => void;
}

interface Registry {
  config: WebSocketServiceConfig;
  /** One client per polling setting; the configured one under the base key. */
  sources: Map<string, ChannelSource>;
  owned: JobStreams[];
}

let registry: Registry | undefined;

/** Replaces the shared configuration; clients made from the previous one are disposed. */
export function configureShared(config: WebSocketServiceConfig): void {
  resetShared();
  registry = { config: { ...config }, sources: new Map(), owned: [] };
}

/** Disposes the clients the compat layer created and forgets the configuration. */
export function resetShared(): void {
  const previous = registry;
  registry = undefined;
  for (const client of previous?.owned ?? []) client.dispose();
}

/**
 * The shared client (and its resolved options) for `polling`: the configured client when
 * `polling` asks nothing different, else one more client with that polling setting, created once
 * and shared by everyone asking the same. Unconfigured, the client comes from Vite's
 * `import.meta.env` (`configFromEnv`) and the page's origin.
 *
 * @throws {TypeError} when no URL can be found (SSR without `configure({ url })`) or a setting is malformed.
 */
export function sharedSource(polling: Pick<PollingOptions, 'enabled' | 'interval'> = {}): ChannelSource {
  const current: Registry = (registry ??= { config: configFromEnv(viteEnv()), sources: new Map(), owned: [] });
  const { client: given, onError: _onError, ...base } = current.config;
  const key = (
    enabled = base.polling?.enabled ?? DEFAULT_JOB_STREAMS.polling.enabled,
    interval = base.polling?.interval ?? DEFAULT_JOB_STREAMS.polling.interval,
  ) => `${enabled}:${interval}`;
  const wanted = key(polling.enabled, polling.interval);
  const existing = current.sources.get(wanted);
  if (existing) return existing;

  const streams: JobStreamsOptions = { ...base, polling: { ...base.polling, ...defined(polling) } };
  let options: ChannelSource['options'];
  try {
    options = resolveOptions(streams);
  } catch (error) {
    if (streams.url !== undefined) throw error;
    throw new TypeError(
      'jobstream: the plan-compatible API has no URL to connect to here (SSR or a worker). Call WebSocketService.configure({ url: "https://api.example.com" }) first, or set VITE_WS_URL.',
      { cause: error },
    );
  }
  const reuse = given !== undefined && wanted === key();
  const client = reuse ? given : createJobStreams(withOutbox(streams));
  if (!reuse) current.owned.push(client);
  const source = { client, options };
  current.sources.set(wanted, source);
  return source;
}

/** Reports to the configured `onError`, else to the console. */
export function reportShared(error: Error): void {
  const onError = registry?.config.onError;
  if (onError) onError(error);
  else console.error(error);
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
