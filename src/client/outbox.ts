import { createOutbox } from './createOutbox.js';
import { DEFAULT_OUTBOX, type OutboxOptions } from './OutboxOptions.js';
import type { OutboxPlugin } from './OutboxPlugin.js';

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
  const { storage, locks, ...config } = options;
  const { ackTimeout } = { ...DEFAULT_OUTBOX, ...config };
  if (!(ackTimeout > 0 && ackTimeout < Infinity))
    throw new TypeError(`jobstream: outbox \`ackTimeout\` must be a number of ms above 0, got ${ackTimeout}.`);
  return {
    attach: (resolved, link, report) =>
      createOutbox(
        { ...DEFAULT_OUTBOX, key: `jobstream:outbox:v1:${resolved.url}`, ...config, storage, locks },
        resolved,
        link,
        report,
      ),
  };
}
