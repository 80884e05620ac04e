import type { LockManagerLike } from '../outbox/LockManagerLike.js';
import type { StorageLike } from '../outbox/StorageLike.js';

/**
 * Options of the outbox plugin, `outbox()` from `jobstream/outbox`.
 *
 * @example
 * createJobStreams({ url, outbox: outbox({ maxSize: 20, storage: sessionStorage }) });
 */
export interface OutboxOptions {
  /** Most messages kept; a new one beyond it drops the oldest into `deadLetters$`. @default 100 */
  maxSize?: number;
  /**
   * Resends of a message after a failed attempt (no ack within `ackTimeout`, an ack that is not
   * `{ id }` with its id, or the link dropping before the ack), before it goes to `deadLetters$`.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Largest message `send` accepts, in bytes: the envelope `{ id, event, data }` as JSON in UTF-8.
   * Above it `send` throws a `RangeError`: a socket.io server drops the connection on a message
   * above its `maxHttpBufferSize` (1 MB by default). Raise both together, or send a reference.
   * @default 1000000
   */
  maxMessageBytes?: number;
  /** Ms a message may wait before it expires into `deadLetters$`. @default 3600000 */
  ttl?: number;
  /** Ms to wait for the server's ack of one message. @default 10000 */
  ackTimeout?: number;
  /**
   * Storage key; clients (tabs) with the same key share one outbox. Give each user their own.
   * @default `jobstream:outbox:v1:${url}`
   */
  key?: string;
  /**
   * Where the outbox persists, so a reload sends what the last page left. `sessionStorage` keeps
   * one outbox per tab; `memoryStorage()` persists nothing.
   * @default localStorage where it works, memory otherwise (SSR, private mode)
   */
  storage?: StorageLike;
  /**
   * Web Locks, so that of several tabs on one storage only one sends. `null` uses a lease kept in
   * storage instead.
   * @default navigator.locks
   */
  locks?: LockManagerLike | null;
}

/** Defaults of {@link OutboxOptions}; `key` defaults to `jobstream:outbox:v1:${url}`. */
export const DEFAULT_OUTBOX = {
  maxSize: 100,
  maxRetries: 3,
  ttl: 3_600_000,
  ackTimeout: 10_000,
  maxMessageBytes: 1_000_000,
} as const;
