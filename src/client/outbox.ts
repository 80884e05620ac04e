import { createOutbox } from './createOutbox.js';
import { DEFAULT_OUTBOX, type OutboxOptions } from './OutboxOptions.js';
import type { OutboxPlugin } from './OutboxPlugin.js';
import { withDefaults } from '../outbox/withDefaults.js';

/**
 * The offline outbox, as a plugin of `createJobStreams`: `send` queues a message (persisted,
 * bounded, expiring), sends it over the socket when the link is up, in order, one tab at a time,
 * resends it after a reconnect or a reload until the server acks its id, and reports what could
 * not be delivered on `deadLetters$`.
 *
 * @example
 * import { createJobStreams } from 'jobstream';
 * import { outbox } from 'jobstream/outbox';
 *
 * const streams = createJobStreams({ url, outbox: outbox({ maxSize: 100, storage: localStorage }) });
 * streams.send('cancel_generation', { generation_id: 'gen_1' });
 *
 * @throws {TypeError} when `ackTimeout` is not a number of ms above 0.
 */
export function outbox(options: OutboxOptions = {}): OutboxPlugin {
  const { storage, locks, ...given } = options;
  // A field forwarded as `undefined` (`outbox({ key: props.key })`) keeps its default, as in the
  // queue: spread, it would erase the per-URL key and make clients of two servers share a queue.
  const config = withDefaults(DEFAULT_OUTBOX, given);
  // Widened: `withDefaults` types the field as the default's literal (10000), but callers pass any number.
  const ackTimeout: number = config.ackTimeout;
  if (!(ackTimeout > 0 && ackTimeout < Infinity))
    throw new TypeError(`jobstream: outbox \`ackTimeout\` must be a number of ms above 0, got ${ackTimeout}.`);
  return {
    attach: (resolved, link, report) =>
      createOutbox({ key: `jobstream:outbox:v1:${resolved.url}`, ...config, storage, locks }, resolved, link, report),
  };
}
