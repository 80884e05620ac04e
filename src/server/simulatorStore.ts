import type { JobSnapshot } from '../protocol/index.js';
import type { JobSimulator } from './JobSimulator.js';
import type { JobStore } from './JobStore.js';

/**
 * The {@link JobStore} of a single-process server: its simulator, answering synchronously.
 *
 * @example
 * const store = simulatorStore(createJobSimulator());
 */
export function simulatorStore(jobs: JobSimulator): JobStore {
  return {
    find: (id) => jobs.info(id),
    start(kind, options) {
      const id = kind === 'generation' ? jobs.startGeneration(options) : jobs.startComposition(options);
      return snapshotOf(jobs, id);
    },
    create(kind, options) {
      const id = kind === 'generation' ? jobs.createGeneration(options) : jobs.createComposition(options);
      return snapshotOf(jobs, id);
    },
    begin: (id) => jobs.start(id),
    cancel: (id) => jobs.cancel(id),
    stall: (id) => jobs.stall(id),
    resume: (id) => jobs.resume(id),
    recent: (count) =>
      jobs
        .list()
        .slice(-count)
        .flatMap(({ id }) => jobs.info(id) ?? []),
    events$: jobs.events$,
  };
}

function snapshotOf(jobs: JobSimulator, id: string): JobSnapshot {
  const snapshot = jobs.get(id);
  // Just created, so it is there: the check is for the type.
  if (snapshot === undefined) throw new Error(`Job "${id}" was forgotten as it was created.`);
  return snapshot;
}
