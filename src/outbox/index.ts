/**
 * `jobstream/outbox`: the offline outbox, a plugin of `createJobStreams` behind `send`,
 * `outbox$` and `deadLetters$`. Opt-in, so the core carries none of its code.
 *
 * This barrel is a package entry: like `src/index.ts` it sits above the layers, so it also
 * re-exports the plugin from `client/`, where the outbox is wired to the link.
 *
 * @example
 * import { createJobStreams } from 'jobstream';
 * import { outbox } from 'jobstream/outbox';
 * const streams = createJobStreams({ url, outbox: outbox({ maxSize: 100 }) });
 * streams.send('cancel_generation', { generation_id: 'gen_1' });
 */
export { outbox } from '../client/outbox.js';
export { DEFAULT_OUTBOX, type OutboxOptions } from '../client/OutboxOptions.js';
export type { OutboxPlugin } from '../client/OutboxPlugin.js';
export { MessageRejectedError } from '../client/MessageRejectedError.js';
export { memoryStorage } from './memoryStorage.js';
export type { QueuedMessage } from './QueuedMessage.js';
export type { DeadLetter } from './DeadLetter.js';
export type { StorageLike } from './StorageLike.js';
export type { LockManagerLike } from './LockManagerLike.js';
