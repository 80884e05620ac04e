import type { Outbox } from './createOutbox.js';
import type { JobStreamsError } from './JobStreamsError.js';
import type { Link } from './createLink.js';
import type { ResolvedOptions } from './resolveOptions.js';

/**
 * The offline outbox, installed in a client with `createJobStreams({ outbox: outbox() })`; make
 * one with `outbox()` from `jobstream/outbox`. Without it `send` throws, `outbox$` is empty and
 * `deadLetters$` never emits, and the client's bundle carries none of the outbox's code.
 *
 * @example
 * import { outbox } from 'jobstream/outbox';
 * const streams = createJobStreams({ url, outbox: outbox({ maxSize: 20 }) });
 */
export interface OutboxPlugin {
  /**
   * Called once by `createJobStreams` with the client's options, link and error sink; returns
   * that client's outbox. One plugin may serve several clients: each gets its own outbox.
   * @internal
   */
  readonly attach: (options: ResolvedOptions, link: Link, report: (problem: JobStreamsError) => void) => Outbox;
}
