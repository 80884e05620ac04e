import { useMemo } from 'react';
import { useObservableState } from 'observable-hooks';
import { initialJobState, type JobState } from '../client/JobState.js';
import type { JobKind } from '../protocol/resources.js';
import { useJobStreams } from './useJobStreams.js';

/**
 * The {@link JobState} of one job, re-rendering at most once per update (progress is throttled by
 * the client, 10 per second by default). A new `kind` or `id` switches streams at once: the old
 * job's state is never returned for the new one.
 *
 * Subscribes in an effect (`useObservableState`), never during render: the job's stream is cold
 * and opens a socket, so `useObservableEagerState`, which subscribes while rendering, would connect
 * during SSR and in renders React throws away. The first render therefore shows the job's initial
 * state (`queued`, 0 %), and the replayed state follows right after mount.
 *
 * @example
 * const job = useJobState('composition', compositionId);
 */
export function useJobState(kind: JobKind, id: string): JobState {
  const client = useJobStreams();
  const state$ = useMemo(() => client[`${kind}State$`](id), [client, kind, id]);
  const initial = useMemo(() => initialJobState(kind, id), [kind, id]);
  const state = useObservableState(state$, initial);
  return state.kind === kind && state.id === id ? state : initial;
}
