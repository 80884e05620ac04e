import type { SchedulerLike } from 'rxjs';
import { redisScript, type RedisCommands } from './redisScript.js';

/** Options of {@link redisOutboxDedupe}; the server passes its own `dedupe…` and `recordLimit`. */
export interface RedisOutboxDedupeConfig {
  redis: RedisCommands;
  /** How long an id is remembered (`JobServerOptions.dedupeTtlMs`). */
  ttlMs: number;
  /** Most ids remembered; beyond it the oldest goes early (`JobServerOptions.dedupeLimit`). */
  limit: number;
  /** Ids kept in the cluster's applied list. */
  recordLimit: number;
  /** Gives `now`: the expiries are the nodes' clocks (those of one machine, or kept in sync). */
  scheduler: SchedulerLike;
  /** Prefix of both keys, `<prefix>outbox` and `<prefix>outbox:applied`. */
  keyPrefix: string;
}

/** The outbox dedupe log of a cluster, in Redis. */
export interface RedisOutboxDedupe {
  /** `true` for the first delivery of `id` to any node (while remembered), noting it; `false` for a resend. */
  claim(id: string): Promise<boolean>;
  /** Ids applied by any node, oldest first: the last `recordLimit`. */
  applied(): Promise<string[]>;
}

/**
 * Checks and notes an id in one step. KEYS: the sorted set of ids by expiry, the applied list.
 * ARGV: id, now, ttl (-1: for ever), limit (-1: none), recordLimit. Answers 1 the first time, 0 for a resend.
 */
const CLAIM_MESSAGE = redisScript(`
local now, ttl, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ttl < 0 and '+inf' or now + ttl, ARGV[1])
local over = redis.call('ZCARD', KEYS[1]) - limit
if limit >= 0 and over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1) end
if ttl >= 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
if tonumber(ARGV[5]) ~= 0 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  if tonumber(ARGV[5]) > 0 then redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1) end
end
return 1
`);

/**
 * The outbox dedupe log shared by the nodes of a cluster: a sorted set of ids by expiry, so a
 * message whose ack was lost with its node, and that the client's outbox sends again to another
 * node, still acts once. The set itself expires when no id was added for `ttlMs`. Each first
 * delivery is also appended to a list of the cluster's applied ids, which tests read.
 *
 * @example
 * const dedupe = redisOutboxDedupe({ redis, ttlMs: 3_600_000, limit: 100_000, recordLimit: 1000, scheduler, keyPrefix: 'jobstream:' });
 * createOutboxLog({ apply, claim: dedupe.claim });
 */
export function redisOutboxDedupe(config: RedisOutboxDedupeConfig): RedisOutboxDedupe {
  const { redis, ttlMs, limit, recordLimit, scheduler, keyPrefix } = config;
  const [ids, appliedIds] = [`${keyPrefix}outbox`, `${keyPrefix}outbox:applied`];
  return {
    async claim(id) {
      const args = [id, String(scheduler.now()), finite(ttlMs), finite(limit), finite(recordLimit)];
      return (await CLAIM_MESSAGE.run(redis, [ids, appliedIds], args)) === 1;
    },
    applied: async () => (await redis.sendCommand(['LRANGE', appliedIds, '0', '-1'])) as string[],
  };
}

const finite = (value: number) => (Number.isFinite(value) ? String(value) : '-1');
