import type { JobSimulator } from '../JobSimulator.js';

// Every member, so that a member added to JobSimulator must be added here too.
const MEMBERS = {
  startGeneration: true,
  startComposition: true,
  createGeneration: true,
  createComposition: true,
  start: true,
  get: true,
  info: true,
  list: true,
  cancel: true,
  stall: true,
  resume: true,
  fail: true,
  emit: true,
  events$: true,
  records: true,
  dispose: true,
} as const satisfies Record<keyof JobSimulator, true>;

/**
 * The `jobs` of a cluster node: the in-memory simulator's methods answer synchronously, which a
 * job in Redis cannot, so each one throws, saying what to use instead.
 *
 * @example
 * const server = await createJobServer({ redis });
 * server.jobs.get(id); // throws: use `await server.store.find(id)`
 */
export function jobsInRedis(): JobSimulator {
  const refuse = (): never => {
    throw new Error(
      'server.jobs is the in-memory simulator of a single-process server; with redis the jobs live in Redis: ' +
        'use server.store (find, start, cancel, stall, resume, recent), whose methods return promises.',
    );
  };
  return Object.defineProperties(
    {},
    Object.fromEntries(Object.keys(MEMBERS).map((name) => [name, { get: refuse }])),
  ) as JobSimulator;
}
