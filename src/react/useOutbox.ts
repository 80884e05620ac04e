import { useCallback } from 'react';
import { useObservableEagerState } from 'observable-hooks';
import type { QueuedMessage } from '../outbox/QueuedMessage.js';
import { useJobStreams } from './useJobStreams.js';

/** What {@link useOutbox} returns. */
export interface UseOutboxResult {
  /** Messages waiting for the server's ack, oldest first. */
  messages: readonly QueuedMessage[];
  /** `client.send`: queues a message and returns its id; a stable reference per client. */
  send: (event: string, data?: unknown) => string;
}

/**
 * The offline outbox: what is waiting to be sent, and `send`.
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
  const send = useCallback((event: string, data?: unknown) => client.send(event, data), [client]);
  return { messages, send };
}
