import { redisScript } from './redisScript.js';

/**
 * The keys of a cluster's jobs under `prefix`:
 *
 * - `job:<id>`: a hash `{ rev, record, seq }`, the record as JSON and its revision, bumped by every write;
 * - `lease:<id>`: the token of the node running the job, with a TTL;
 * - `live`: ids of the jobs not ended (`maxLiveJobs`); `active`: ids that need a runner (state `running`);
 * - `jobs`: every kept id by creation order; `ended`: ended ids by end order (`maxFinishedJobs`);
 * - `seq`: the counter both orders come from.
 */
export function jobKeys(prefix: string) {
  return {
    job: (id: string) => `${prefix}job:${id}`,
    lease: (id: string) => `${prefix}lease:${id}`,
    live: `${prefix}live`,
    active: `${prefix}active`,
    jobs: `${prefix}jobs`,
    ended: `${prefix}ended`,
    seq: `${prefix}seq`,
  };
}

/**
 * Creates a job unless its id is taken (`exists`) or `maxLiveJobs` are live (`full`); a running
 * one with its lease given to the creating node's token, so no other node's beat can take it first.
 * KEYS: job, live, active, jobs, seq, lease. ARGV: id, record, running (`1`/`0`), maxLive (-1: no
 * limit), token, ttl (ms).
 */
export const CREATE_JOB = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
local maxLive = tonumber(ARGV[4])
if maxLive >= 0 and redis.call('SCARD', KEYS[2]) >= maxLive then return 'full' end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[1], 'rev', 1, 'record', ARGV[2], 'seq', seq)
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[3] == '1' then
  redis.call('SADD', KEYS[3], ARGV[1])
  redis.call('SET', KEYS[6], ARGV[5], 'PX', ARGV[6])
end
redis.call('ZADD', KEYS[4], seq, ARGV[1])
return 'ok'
`);

/**
 * Writes a job's next record if it is still at revision `rev` (else `conflict`), the job still
 * exists (else `gone`) and, with a token, the lease is still that token's (else `lost`); keeps the
 * sets in step with the new state; appends the event's adapter broadcast to the stream, if any.
 * A job that ends loses its lease and may push the oldest ended ones out (`maxFinishedJobs`).
 * KEYS: job, lease, live, active, ended, jobs, seq, stream.
 * ARGV: id, rev, record, state, token ('' for none), prefix, maxFinished (-1: no limit), maxLen,
 * then the broadcast's entry fields, if any.
 */
export const COMMIT_JOB = redisScript(`
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return 'gone' end
if rev ~= ARGV[2] then return 'conflict' end
if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[5] then return 'lost' end
redis.call('HSET', KEYS[1], 'rev', tonumber(rev) + 1, 'record', ARGV[3])
local id, state = ARGV[1], ARGV[4]
if state == 'running' then redis.call('SADD', KEYS[4], id) else redis.call('SREM', KEYS[4], id) end
if state == 'done' then
  redis.call('SREM', KEYS[3], id)
  redis.call('ZADD', KEYS[5], redis.call('INCR', KEYS[7]), id)
  if ARGV[5] ~= '' then redis.call('DEL', KEYS[2]) end
  local over = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[7])
  if tonumber(ARGV[7]) >= 0 and over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[5], 0, over - 1)) do
      redis.call('DEL', ARGV[6] .. 'job:' .. old, ARGV[6] .. 'lease:' .. old)
      redis.call('ZREM', KEYS[6], old)
      redis.call('SREM', KEYS[4], old)
    end
    redis.call('ZREMRANGEBYRANK', KEYS[5], 0, over - 1)
  end
end
if #ARGV > 8 then
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[8], '*', unpack(ARGV, 9))
end
return 'ok'
`);

/**
 * One beat of a node: renews the leases it holds (answering those it lost) and takes the lease of
 * every active job that has none (its node died or gave it back). KEYS: active.
 * ARGV: token, ttl (ms), prefix, then the ids held. Answers `[lost ids, claimed ids]`.
 */
export const LEASE_TICK = redisScript(`
local lost, claimed = {}, {}
for i = 4, #ARGV do
  local lease = ARGV[3] .. 'lease:' .. ARGV[i]
  if redis.call('GET', lease) == ARGV[1] then redis.call('PEXPIRE', lease, ARGV[2]) else lost[#lost + 1] = ARGV[i] end
end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('SET', ARGV[3] .. 'lease:' .. id, ARGV[1], 'NX', 'PX', ARGV[2]) then claimed[#claimed + 1] = id end
end
return { lost, claimed }
`);

/** Gives back the leases of `ids` still held by `token`. ARGV: token, prefix, then the ids. */
export const RELEASE_LEASES = redisScript(`
for i = 3, #ARGV do
  local lease = ARGV[2] .. 'lease:' .. ARGV[i]
  if redis.call('GET', lease) == ARGV[1] then redis.call('DEL', lease) end
end
return 0
`);
