/**
 * `jobstream/server`: the reference socket.io + REST server with simulated jobs, a development
 * tool used by the integration tests, the demo and the benchmarks.
 */
export {
  createJobServer,
  DEFAULT_JOB_SERVER,
  type ClusterMember,
  type JobServer,
  type JobServerOptions,
} from './createJobServer.js';
export type { JobStore, MaybePromise } from './JobStore.js';
export type { ServerControl } from './ServerControl.js';
export type { JobSimulator } from './JobSimulator.js';
export { createJobSimulator, DEFAULT_JOB_SIMULATOR, type JobSimulatorConfig } from './createJobSimulator.js';
export { DEFAULT_GENERATION_OPTIONS, type GenerationOptions, type GenerationPlan } from './GenerationOptions.js';
export { DEFAULT_COMPOSITION_OPTIONS, type CompositionOptions, type CompositionPlan } from './CompositionOptions.js';
export type { JobNotice, JobPlan, JobRecord, SimulatedJobState } from './JobRecord.js';
export type { JobTimeline } from './JobTimeline.js';
export { timelineOf } from './timelineOf.js';
export { generationTimeline } from './generationTimeline.js';
export { compositionTimeline } from './compositionTimeline.js';
export { MAX_JOB_STEPS, MAX_STEP_MS } from './planJob.js';
export { TooManyJobsError } from './TooManyJobsError.js';
export { JOB_NAMESPACE, type Handshake } from './attachJobSockets.js';
export type { DedupeEntry, OutboxAck, OutboxLog, RejectedEnvelope } from './createOutboxLog.js';
export { LOOPBACK_ORIGINS } from './createRequestGuard.js';
export type { PersistedState } from './createStateStore.js';
export { demoControlHandler, DEMO_CONTROL_HEADER, type DemoControlConfig, type DemoControlTarget } from './demoControlHandler.js';
export {
  connectCluster,
  NODE_HEADER,
  type ClusterConfig,
  type ClusterNode,
  type RedisClientLike,
} from './cluster/connectCluster.js';
