import { useObservableEagerState } from 'observable-hooks';
import type { QueuedMessage } from '../outbox/QueuedMessage.js';
import { useJobStreams } from './useJobStreams.js';

/** What {@link useOutbox} returns. */
export interface UseOutboxResult {
  /** Messages waiting for the server's ack, oldest first. */
  messages: readonly QueuedMessage[];
  /** `client.send`: queues a message and returns its id; a stable reference per client. Throws without the outbox plugin. */
  send: (event: string, data?: unknown) => string;
}

/**
 * The offline outbox: what is waiting to be sent, and `send`. The client needs the outbox plugin
 * (`options={{ url, outbox: outbox() }}`, `outbox` from `jobstream/outbox`); without it
 * `messages` stays empty and `send` throws how to install it.
 *
 * @example
 * const { messages, send } = useOutbox();
 * <button onClick={() => send('cancel_job', { generation_id: id })}>Cancel</button>
 * {messages.length > 0 && <p>{messages.length} changes waiting to sync</p>}
 */
export function useOutbox(): UseOutboxResult {
  const client = useJobStreams();
  // A hot store replaying its queue and opening nothing, so it is read eagerly.
  const messages = useObservableEagerState(client.outbox$);
  // `send` needs no `this`: the client's own function is already stable per client.
  return { messages, send: client.send };
}
