import type { ReactNode } from 'react';
import { useOutbox } from '../../src/react/index.js';

/** "N changes waiting to sync": what the outbox holds until the socket is back and the server acks. */
export function OutboxCount(): ReactNode {
  const { messages } = useOutbox();
  const count = messages.length;
  return (
    <p className="outbox-count" role="status" data-count={count}>
      {count === 0 ? 'All changes synced' : `${count} ${count === 1 ? 'change' : 'changes'} waiting to sync`}
    </p>
  );
}
