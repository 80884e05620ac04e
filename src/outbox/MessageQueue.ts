import { BehaviorSubject } from 'rxjs';
import type { Observable } from 'rxjs';
import { MAX_ID_LENGTH } from '../protocol/events.js';
import { createStorageSlot, type StorageSlot } from './createStorageSlot.js';
import { decodeQueue } from './decodeQueue.js';
import { encodeQueue } from './encodeQueue.js';
import { normalizeData } from './normalizeData.js';
import { DEFAULT_MESSAGE_QUEUE, type MessageQueueConfig } from './MessageQueueConfig.js';
import { reportOnce } from './reportOnce.js';
import { resolveStorage } from './resolveStorage.js';
import { withDefaults } from './withDefaults.js';
import type { DeadLetter } from './DeadLetter.js';
import type { QueuedMessage } from './QueuedMessage.js';
import type { StorageProblem } from './StorageProblem.js';

/**
 * The plan's offline message queue: FIFO, bounded, with TTL and retry counts, persisted to storage
 * on every change and merged by id with what storage holds before every operation, so tabs on one
 * storage see one queue, and a tab whose writes failed (quota) drops nothing another tab wrote.
 * It stores; it never sends. The sender peeks, sends, then calls `remove` on ack or
 * `incrementRetries` on failure, while holding the send lease (see `acquireSendLease`).
 *
 * @example
 * const queue = new MessageQueue({ onDrop: (letter) => deadLetters.next(letter) });
 * const id = queue.enqueue('cancel_job', { generation_id: 'g1' });
 * queue.messages$.subscribe((waiting) => render(`${waiting.length} changes waiting to sync`));
 */
export class MessageQueue {
  /** The queue's content, replayed on subscribe and emitted on every change (frozen copies). */
  readonly messages$: Observable<readonly QueuedMessage[]>;

  private queue: QueuedMessage[] = [];
  /** What storage held when last read or written; memory is ahead of it while writes fail. */
  private synced: string | null | undefined;
  /** The ids in `synced`: the common ancestor that tells a removal from an addition when merging. */
  private base = new Set<string>();
  private emitted = encodeQueue([]);
  private readonly state = new BehaviorSubject<readonly QueuedMessage[]>(Object.freeze([]));
  private readonly slot: StorageSlot;
  private readonly report: (problem: StorageProblem) => void;
  private readonly options: typeof DEFAULT_MESSAGE_QUEUE & Pick<MessageQueueConfig, 'onDrop'>;

  constructor(config: MessageQueueConfig = {}) {
    const options = withDefaults(DEFAULT_MESSAGE_QUEUE, config);
    const { maxSize, maxRetries, ttl, key, maxMessageBytes } = options;
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError('MessageQueue: maxSize must be an integer > 0.');
    }
    if (!(maxMessageBytes > 0)) throw new RangeError('MessageQueue: maxMessageBytes must be > 0.');
    if (!(maxRetries >= 0)) throw new RangeError('MessageQueue: maxRetries must be >= 0 (Infinity never gives up).');
    if (!(ttl > 0)) throw new RangeError('MessageQueue: ttl must be > 0 ms (Infinity keeps messages forever).');
    this.options = options;
    this.report = reportOnce(config.onProblem);
    this.slot = createStorageSlot(resolveStorage(config.storage, this.report), key, this.report);
    this.messages$ = this.state.asObservable();
    this.reload();
  }

  /**
   * Appends a message and returns its id at once.
   * @throws TypeError for an event name the wire contract refuses, or data JSON cannot carry.
   * @throws RangeError when the envelope `{ id, event, data }`, as JSON in UTF-8, is above `maxMessageBytes`.
   */
  enqueue(event: string, data: unknown): string {
    if (typeof event !== 'string' || event.length === 0 || event.length > MAX_ID_LENGTH) {
      throw new TypeError(`MessageQueue: event must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`);
    }
    const payload = normalizeData(data);
    return this.transact(() => {
      const id = this.options.generateId();
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || this.indexOf(id) >= 0) {
        throw new TypeError('MessageQueue: generateId must return a new, non-empty string each time.');
      }
      const { maxMessageBytes } = this.options;
      const bytes = new TextEncoder().encode(JSON.stringify({ id, event, data: payload })).length;
      if (bytes > maxMessageBytes)
        throw new RangeError(`MessageQueue: message of ${bytes} bytes is above maxMessageBytes (${maxMessageBytes}).`);
      this.queue.push({ id, timestamp: new Date(this.options.scheduler.now()), event, data: payload, retries: 0 });
      return id;
    });
  }

  /** Removes and returns the oldest message, or `null` when empty. */
  dequeue(): QueuedMessage | null {
    return this.transact(() => {
      const first = this.queue.shift();
      return first ? copy(first) : null;
    });
  }

  /** The oldest message without removing it, or `null` when empty: what the sender sends next. */
  peek(): QueuedMessage | null {
    return this.transact(() => (this.queue[0] ? copy(this.queue[0]) : null));
  }

  /** Removes a message, e.g. once the server acked it. Whether it was there. */
  remove(id: string): boolean {
    // Spared by the sweep: a message acked just after its TTL was delivered, and must not also
    // reach `onDrop` as expired.
    return this.transact(() => this.take((message) => message.id === id).length > 0, id);
  }

  /** Empties the queue at the caller's request (logout, say); expired messages are reported first. */
  clear(): void {
    this.transact(() => void (this.queue = []));
  }

  /** How many messages wait. */
  size(): number {
    return this.transact(() => this.queue.length);
  }

  /**
   * Counts a failed attempt. Returns `false`, and drops the message to `onDrop('retries_exhausted',
   * error)`, once it has been retried `maxRetries` times already; `false` too for an unknown id.
   */
  incrementRetries(id: string, error?: unknown): boolean {
    return this.transact((dropped) => {
      const index = this.indexOf(id);
      const message = this.queue[index];
      if (!message) return false;
      if (message.retries >= this.options.maxRetries) {
        dropped.push(letter(this.queue.splice(index, 1)[0] ?? message, 'retries_exhausted', error));
        return false;
      }
      this.queue[index] = { ...message, retries: message.retries + 1 };
      return true;
    });
  }

  /** Drops a message the sender gave up on for good (e.g. refused by the server) to `onDrop('rejected')`. */
  reject(id: string, error?: unknown): boolean {
    return this.transact((dropped) => {
      const taken = this.take((message) => message.id === id).map((message) => letter(message, 'rejected', error));
      dropped.push(...taken);
      return taken.length > 0;
    });
  }

  /** Copies of all messages, oldest first. */
  getAll(): QueuedMessage[] {
    return this.transact(() => this.queue.map(copy));
  }

  /** Drops messages older than `maxAge` ms to `onDrop('expired')`. */
  removeOldMessages(maxAge: number): void {
    if (!(maxAge >= 0)) throw new RangeError(`MessageQueue: maxAge must be >= 0 ms, got ${maxAge}.`);
    this.transact((dropped) => void dropped.push(...this.expire(maxAge)));
  }

  /**
   * Re-reads storage, e.g. on a `storage` event from another tab. Every operation does this too;
   * call it when nothing else would, so `messages$` shows the other tab's change. After a failed
   * write (quota) memory holds what storage lacks: both are merged by id and written again.
   */
  reload(): void {
    this.transact(() => undefined);
  }

  /** Every operation: merge storage in, sweep, change, bound, save, tell. */
  private transact<T>(change: (dropped: DeadLetter[]) => T, spared?: string): T {
    this.adopt();
    const dropped = this.expire(this.options.ttl, spared);
    try {
      return change(dropped);
    } finally {
      const excess = Math.max(0, this.queue.length - this.options.maxSize);
      dropped.push(...this.queue.splice(0, excess).map((message) => letter(message, 'overflow')));
      this.save();
      this.deliver(dropped);
    }
  }

  /**
   * A three-way merge by id of memory and storage since `base`: what either side added stays,
   * what either removed goes, and a message in both keeps the higher retry count. Memory's
   * additions (written nowhere yet: a write failed) join storage's in timestamp order.
   */
  private adopt(): void {
    const raw = this.slot.read();
    if (raw === undefined || raw === this.synced) return;
    const { messages, corrupt } = raw === null ? { messages: [], corrupt: false } : decodeQueue(raw);
    if (corrupt) this.report({ kind: 'corrupt' });
    const { base, queue } = this;
    const ours = new Map(queue.map((message) => [message.id, message]));
    this.sync(raw, messages);
    const added = queue.filter(({ id }) => !base.has(id) && !this.base.has(id));
    const kept = messages
      .filter(({ id }) => ours.has(id) || !base.has(id))
      .map((theirs) => {
        const mine = ours.get(theirs.id);
        return mine && mine.retries > theirs.retries ? mine : theirs;
      });
    // Sorted only when both sides add, so one tab's own order is never rearranged otherwise.
    this.queue = added.length > 0 ? [...kept, ...added].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime()) : kept;
  }

  private save(): void {
    const raw = encodeQueue(this.queue);
    if (raw !== this.synced && this.slot.write(raw)) this.sync(raw, this.queue);
    if (raw === this.emitted) return;
    this.emitted = raw;
    this.state.next(Object.freeze(this.queue.map((message) => Object.freeze(copy(message)))));
  }

  /** After saving, so an `onDrop` that re-enters the queue finds it consistent; one throw hides no other drop. */
  private deliver(dropped: readonly DeadLetter[]): void {
    const failures = dropped.flatMap((dead) => {
      try {
        this.options.onDrop?.(dead);
        return [];
      } catch (error) {
        return [error];
      }
    });
    if (failures.length > 0) throw failures[0];
  }

  private sync(raw: string | null, messages: readonly QueuedMessage[]): void {
    this.synced = raw;
    this.base = new Set(messages.map(({ id }) => id));
  }

  private expire(maxAge: number, spared?: string): DeadLetter[] {
    const cutoff = this.options.scheduler.now() - maxAge;
    return this.take((message) => message.id !== spared && message.timestamp.getTime() < cutoff).map((m) => letter(m, 'expired'));
  }

  private take(predicate: (message: QueuedMessage) => boolean): QueuedMessage[] {
    const taken = this.queue.filter(predicate);
    if (taken.length > 0) this.queue = this.queue.filter((message) => !predicate(message));
    return taken;
  }

  private indexOf(id: string): number {
    return this.queue.findIndex((message) => message.id === id);
  }
}

function copy(message: QueuedMessage): QueuedMessage {
  return { ...message, timestamp: new Date(message.timestamp.getTime()) };
}

function letter(message: QueuedMessage, reason: DeadLetter['reason'], error?: unknown): DeadLetter {
  return error === undefined ? { message: copy(message), reason } : { message: copy(message), reason, error };
}
