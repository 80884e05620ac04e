import { createHash } from 'node:crypto';

/** The one command jobstream sends a Redis client: a `redis` v5 client fits. */
export interface RedisCommands {
  /** Sends one command (`['HGET', key, field]`) and resolves with its raw reply. */
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** A Lua script run atomically in Redis, see {@link redisScript}. */
export interface RedisScript {
  /** Runs the script with `keys` and `args`; resolves with its reply. */
  run(redis: RedisCommands, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/**
 * A Lua script sent by its SHA1 (`EVALSHA`), and in full (`EVAL`) when Redis does not know it
 * yet, as after a restart: each change of a job's record is one script, so no other command can
 * fall between its check and its write.
 *
 * @example
 * const incrementIfExists = redisScript("if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end");
 * await incrementIfExists.run(client, ['counter'], []);
 */
export function redisScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    async run(redis, keys, args) {
      const rest = [String(keys.length), ...keys, ...args];
      try {
        return await redis.sendCommand(['EVALSHA', sha, ...rest]);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return redis.sendCommand(['EVAL', lua, ...rest]);
      }
    },
  };
}
