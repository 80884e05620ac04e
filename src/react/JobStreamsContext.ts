import { createContext } from 'react';
import type { JobStreams } from '../client/createJobStreams.js';

/**
 * The client of the nearest `JobStreamsProvider`; `null` outside one. Internal: read it with
 * `useJobStreams()`, which says how to fix a missing provider.
 */
export const JobStreamsContext = createContext<JobStreams | null>(null);
JobStreamsContext.displayName = 'JobStreamsContext';
