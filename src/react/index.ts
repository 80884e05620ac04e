/**
 * `jobstream/react`: thin React bindings over a jobstream client. A provider, hooks that bridge
 * its streams into components (through observable-hooks, subscribing in effects only), and two
 * small components. Nothing connects on import or during render; safe under SSR and StrictMode.
 *
 * The default stylesheet is `jobstream/react/styles.css`, not imported here so that importing the
 * bindings has no side effects and costs no CSS bytes in the script.
 */
export { JobStreamsProvider, type JobStreamsProviderProps } from './JobStreamsProvider.js';
export { useJobStreams } from './useJobStreams.js';
export { useJobState } from './useJobState.js';
export { useGenerationProgress } from './useGenerationProgress.js';
export { useCompositionProgress } from './useCompositionProgress.js';
export { useConnectionState } from './useConnectionState.js';
export { useOutbox, type UseOutboxResult } from './useOutbox.js';
export { useJobEvents, type UseJobEventsOptions } from './useJobEvents.js';
export type { JobEventHandlers } from '../client/JobEventHandlers.js';
export { ConnectionStatus, type ConnectionStatusProps } from './ConnectionStatus.js';
export { ConnectedStatus, type ConnectedStatusProps } from './ConnectedStatus.js';
export { connectionDisplayStatus, type ConnectionDisplayStatus } from './connectionDisplayStatus.js';
export { DEFAULT_CONNECTION_STATUS_LABELS, type ConnectionStatusLabels } from './ConnectionStatusLabels.js';
export { JobProgress, type JobProgressProps } from './JobProgress.js';
export { JobProgressView, type JobProgressViewProps } from './JobProgressView.js';
export type { JobState } from '../client/JobState.js';
export type { JobStreams } from '../client/createJobStreams.js';
export type { JobStreamsOptions } from '../client/JobStreamsOptions.js';
export type { ConnectionState } from '../protocol/connection.js';
