import { MessageQueue } from '../../src/outbox/MessageQueue.js';
import type { MessageQueueConfig } from '../../src/outbox/MessageQueueConfig.js';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import type { DeadLetter } from '../../src/outbox/DeadLetter.js';
import type { StorageProblem } from '../../src/outbox/StorageProblem.js';
import { virtualTime } from './helpers.js';

/** Epoch ms the virtual clock starts at, so timestamps are realistic dates. */
export const T0 = Date.UTC(2025, 0, 1);

/**
 * A queue on shared memory storage with a virtual clock, counting ids (`m1`, `m2`, …), and
 * recording drops and problems; `open()` makes another queue on the same storage (a reload or a
 * second tab) sharing those recorders.
 */
export function setupQueue(config: MessageQueueConfig = {}) {
  const scheduler = virtualTime(T0);
  const storage = config.storage ?? memoryStorage();
  const dropped: DeadLetter[] = [];
  const problems: StorageProblem[] = [];
  let count = 0;
  const open = (extra: MessageQueueConfig = {}) =>
    new MessageQueue({
      scheduler,
      generateId: () => `m${++count}`,
      onDrop: (letter) => dropped.push(letter),
      onProblem: (problem) => problems.push(problem),
      ...config,
      storage,
      ...extra,
    });
  return { queue: open(), open, scheduler, storage, dropped, problems };
}

/** The ids of a list of messages, for compact assertions. */
export function ids(messages: readonly { id: string }[]): string[] {
  return messages.map(({ id }) => id);
}
