import { asyncScheduler } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { randomId } from './randomId.js';
import type { DeadLetter } from './DeadLetter.js';
import type { StorageLike } from './StorageLike.js';
import type { StorageProblem } from './StorageProblem.js';

/**
 * Options of {@link MessageQueue}.
 *
 * @example
 * new MessageQueue({ maxSize: 20, ttl: 10 * 60_000, onDrop: report, onProblem: log });
 */
export interface MessageQueueConfig {
  /**
   * Messages kept at most; enqueueing past it drops the oldest to `onDrop` as `'overflow'`.
   * @default 100
   */
  maxSize?: number;
  /**
   * Retries allowed per message: `incrementRetries` succeeds this many times, and the next call
   * drops the message to `onDrop` as `'retries_exhausted'`. `Infinity` never gives up.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Largest message accepted, in bytes: the envelope `{ id, event, data }` as JSON in UTF-8.
   * `enqueue` throws a `RangeError` above it, since a socket.io server drops the connection on a
   * message above its `maxHttpBufferSize` (1 MB by default; socket.io's framing adds ~15 bytes).
   * @default 1000000
   */
  maxMessageBytes?: number;
  /**
   * Ms a message may wait; older ones are dropped to `onDrop` as `'expired'` by the sweep that
   * every operation (and loading) runs. `Infinity` keeps messages until sent.
   * @default 3600000
   */
  ttl?: number;
  /**
   * Where the queue persists. Tabs sharing one storage share one queue; pass `sessionStorage` for
   * one queue per tab, or {@link memoryStorage} to persist nothing.
   * @default globalThis.localStorage when readable, else memoryStorage() (SSR, private mode)
   */
  storage?: StorageLike;
  /**
   * Storage key, versioned so a future format never misreads this one. Give each queue its own
   * (one per user, say); the send lease of the same outbox must use the same key.
   * @default 'jobstream:outbox:v1'
   */
  key?: string;
  /**
   * Makes message ids. They must be unique: the server acts once per id, so a reused id would
   * make it ignore a new message.
   * @default randomId (crypto.randomUUID where available)
   */
  generateId?: () => string;
  /**
   * The clock of timestamps and TTL (`scheduler.now()`); tests pass a virtual-time scheduler.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * Receives every message that leaves the queue undelivered, after the change is saved (so it
   * may call back into the queue). Errors it throws reach the caller of the operation.
   */
  onDrop?: (dropped: DeadLetter) => void;
  /** Receives storage trouble, once per kind; the queue keeps working in memory meanwhile. */
  onProblem?: (problem: StorageProblem) => void;
}

/** Defaults of {@link MessageQueueConfig}. */
export const DEFAULT_MESSAGE_QUEUE: Readonly<
  Required<Pick<MessageQueueConfig, 'maxSize' | 'maxRetries' | 'maxMessageBytes' | 'ttl' | 'key' | 'generateId' | 'scheduler'>>
> = {
  maxSize: 100,
  maxRetries: 3,
  maxMessageBytes: 1_000_000,
  ttl: 3_600_000,
  key: 'jobstream:outbox:v1',
  generateId: randomId,
  scheduler: asyncScheduler,
};
