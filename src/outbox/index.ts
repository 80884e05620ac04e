export { MessageQueue } from './MessageQueue.js';
export { DEFAULT_MESSAGE_QUEUE, type MessageQueueConfig } from './MessageQueueConfig.js';
export { acquireSendLease, DEFAULT_SEND_LEASE, type SendLeaseConfig } from './acquireSendLease.js';
export { memoryStorage } from './memoryStorage.js';
export type { QueuedMessage } from './QueuedMessage.js';
export type { DeadLetter } from './DeadLetter.js';
export type { StorageLike } from './StorageLike.js';
export type { StorageProblem } from './StorageProblem.js';
export type { LockManagerLike } from './LockManagerLike.js';
