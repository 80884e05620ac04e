import type { ReactNode } from 'react';
import type { JobStreams } from '../client/createJobStreams.js';
import type { JobStreamsOptions } from '../client/JobStreamsOptions.js';
import { JobStreamsContext } from './JobStreamsContext.js';
import { useOwnedJobStreams } from './useOwnedJobStreams.js';

/** Props of {@link JobStreamsProvider}: a client you own, or options for one the provider owns. */
export type JobStreamsProviderProps = { children?: ReactNode } & (
  | {
      /** A client you created and dispose yourself (keep it stable: a new one resubscribes every hook). */
      client: JobStreams;
      options?: never;
    }
  | {
      /**
       * Options of a client the provider creates on first render and disposes on unmount. Read
       * once: later changes are ignored (remount the provider with a new `key` to change them).
       */
      options: JobStreamsOptions;
      client?: never;
    }
);

/**
 * Makes a jobstream client available to the hooks and components below it. Rendering connects
 * nothing: sockets open when a hook subscribes, in an effect, and close after the linger once the
 * last one unsubscribes.
 *
 * @example
 * <JobStreamsProvider options={{ url: 'https://api.example.com' }}>
 *   <JobProgress id="gen_123" />
 * </JobStreamsProvider>
 */
export function JobStreamsProvider(props: JobStreamsProviderProps): ReactNode {
  const owned = useOwnedJobStreams(props.client === undefined ? props.options : undefined);
  const client = props.client ?? owned;
  return <JobStreamsContext value={client}>{props.children}</JobStreamsContext>;
}
