import { useContext } from 'react';
import type { JobStreams } from '../client/createJobStreams.js';
import { JobStreamsContext } from './JobStreamsContext.js';

/**
 * The client of the nearest {@link JobStreamsProvider}.
 *
 * @example
 * const client = useJobStreams();
 * const cancel = () => client.send('cancel_job', { generation_id: id });
 *
 * @throws {Error} when no `JobStreamsProvider` is above the calling component.
 */
export function useJobStreams(): JobStreams {
  const client = useContext(JobStreamsContext);
  if (client === null) {
    throw new Error(
      'jobstream: useJobStreams() was called outside a <JobStreamsProvider>. Wrap your app in ' +
        '<JobStreamsProvider options={{ url }}> (or client={createJobStreams(…)}) from "jobstream/react".',
    );
  }
  return client;
}
