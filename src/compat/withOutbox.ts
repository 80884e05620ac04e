import type { JobStreamsOptions } from '../client/JobStreamsOptions.js';
import { outbox } from '../client/outbox.js';

/**
 * `options` with the outbox plugin installed, unless they bring their own (`outbox: outbox({…})`
 * for its storage or limits): the plan's `send` must always work, so the plan's API always has it.
 */
export function withOutbox(options: JobStreamsOptions): JobStreamsOptions {
  return options.outbox ? options : { ...options, outbox: outbox() };
}
