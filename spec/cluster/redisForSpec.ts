import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient } from 'redis';
import { startProcessWatchdog, type ProcessWatchdog } from '../../demo/cluster/processWatchdog.js';
import { startRedis, type RedisProcess } from '../../demo/cluster/startRedis.js';

/** What {@link redisForSpec} gives a spec file, once its `beforeAll` ran. */
export interface SpecRedis {
  /** Watches every process the file starts (a node too), so none outlives the run. */
  readonly watchdog: ProcessWatchdog;
  readonly url: string;
  /** A connected client, for the spec's own reads and writes. */
  readonly client: ReturnType<typeof createClient>;
}

/**
 * A redis-server for the spec file that calls it (at its top level, before its own hooks), a
 * client of it, and the watchdog they run under: started before the tests, emptied after each
 * (after the file's own `afterEach`, which closes its servers: leftover active jobs would be taken
 * over by the next test's nodes), stopped after all.
 *
 * @example
 * const redis = redisForSpec();
 * it('…', async () => { const server = await createJobServer({ redis: redis.url }); … });
 */
export function redisForSpec(): SpecRedis {
  let started: { watchdog: ProcessWatchdog; redis: RedisProcess; client: ReturnType<typeof createClient> } | undefined;
  const get = () => {
    if (!started) throw new Error('redisForSpec: used before its beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    const watchdog = startProcessWatchdog();
    const redis = await startRedis({ watchdog });
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    started = { watchdog, redis, client };
  });
  afterEach(async () => {
    await get().client.flushAll();
  });
  afterAll(async () => {
    const { watchdog, redis, client } = get();
    client.destroy();
    await redis.stop();
    watchdog.close();
  });
  return {
    get watchdog() {
      return get().watchdog;
    },
    get url() {
      return get().redis.url;
    },
    get client() {
      return get().client;
    },
  };
}
