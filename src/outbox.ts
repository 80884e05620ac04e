/**
 * `jobstream/outbox`: the offline outbox, a plugin of `createJobStreams` behind `send`,
 * `outbox$` and `deadLetters$`. Opt-in, so the core carries none of its code.
 *
 * A package entry, beside `src/index.ts` and above the layers: the plugin lives in `client/`,
 * where the outbox is wired to the link, and the queue and its storage in `outbox/`.
 *
 * @example
 * import { createJobStreams } from 'jobstream';
 * import { outbox } from 'jobstream/outbox';
 * const streams = createJobStreams({ url, outbox: outbox({ maxSize: 100 }) });
 * streams.send('cancel_generation', { generation_id: 'gen_1' });
 */
export { outbox } from './client/outbox.js';
export { DEFAULT_OUTBOX, type OutboxOptions } from './client/OutboxOptions.js';
export type { OutboxPlugin } from './client/OutboxPlugin.js';
export { MessageRejectedError } from './client/MessageRejectedError.js';
export { memoryStorage } from './outbox/memoryStorage.js';
export type { QueuedMessage } from './outbox/QueuedMessage.js';
export type { DeadLetter } from './outbox/DeadLetter.js';
export type { StorageLike } from './outbox/StorageLike.js';
export type { LockManagerLike } from './outbox/LockManagerLike.js';
