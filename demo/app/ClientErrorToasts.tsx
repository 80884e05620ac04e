import { useSubscription } from 'observable-hooks';
import type { ReactNode } from 'react';
import { useJobStreams } from '../../src/react/index.js';
import { useToast } from './Toasts.js';

/**
 * Turns what the client recovered from (`errors$`: a refused payload, a failed poll) and what it
 * could not deliver (`deadLetters$`) into toasts. Renders nothing.
 */
export function ClientErrorToasts(): ReactNode {
  const client = useJobStreams();
  const toast = useToast();
  useSubscription(client.errors$, ({ error, job }) => toast(job ? `${job.id}: ${error.message}` : error.message));
  useSubscription(client.deadLetters$, ({ message, reason }) =>
    toast(`"${message.event}" was not delivered (${reason.replace('_', ' ')}).`),
  );
  return null;
}
