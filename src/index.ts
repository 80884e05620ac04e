/**
 * jobstream: reliable real-time progress for long-running jobs, as typed RxJS streams over
 * socket.io with a REST fallback. This entry is the core (no React): the client, the wire
 * protocol and its errors. The offline outbox (`send`): `jobstream/outbox`; operators:
 * `jobstream/operators`; React: `jobstream/react`; reference server: `jobstream/server`.
 */
export * from './protocol/index.js';
export { createJobStreams, type JobStreams } from './client/createJobStreams.js';
export type { JobStreamsOptions, ReconnectionOptions, HeartbeatOptions, PollingOptions } from './client/JobStreamsOptions.js';
// The outbox's types, so signatures can name them; its code is in `jobstream/outbox`.
export type { OutboxPlugin } from './client/OutboxPlugin.js';
export type { OutboxOptions } from './client/OutboxOptions.js';
export type { DebugEntry } from './client/DebugEntry.js';
export type { QueuedMessage } from './outbox/QueuedMessage.js';
export type { DeadLetter } from './outbox/DeadLetter.js';
export type { StorageLike } from './outbox/StorageLike.js';
export type { LockManagerLike } from './outbox/LockManagerLike.js';
export { DEFAULT_JOB_STREAMS } from './client/resolveOptions.js';
export { configFromEnv, type JobStreamsEnv } from './client/configFromEnv.js';
export { initialJobState, reduceJobState, type JobState } from './client/JobState.js';
export type { JobStreamsError } from './client/JobStreamsError.js';
export { ConnectionLostError } from './transport/ConnectionLostError.js';
export { HttpError } from './transport/HttpError.js';
export type { FetchLike } from './transport/poll$.js';
export { HeartbeatTimeoutError } from './operators/HeartbeatTimeoutError.js';
