import {
  catchError,
  defer,
  distinctUntilChanged,
  EMPTY,
  exhaustMap,
  filter,
  finalize,
  map,
  type Observable,
  of,
  repeat,
  Subject,
  switchMap,
  takeUntil,
  tap,
  timeout,
  timer,
} from 'rxjs';
import type { Socket } from 'socket.io-client';
import * as v from 'valibot';
import { safeParse } from '../protocol/parse.js';
import { backoffDelay } from '../operators/backoffDelay.js';
import { acquireSendLease } from '../outbox/acquireSendLease.js';
import type { DeadLetter } from '../outbox/DeadLetter.js';
import { MessageQueue } from '../outbox/MessageQueue.js';
import { reportOnce } from '../outbox/reportOnce.js';
import { resolveStorage } from '../outbox/resolveStorage.js';
import type { StorageProblem } from '../outbox/StorageProblem.js';
import type { QueuedMessage } from '../outbox/QueuedMessage.js';
import { ack$ } from '../transport/ack$.js';
import { ConnectionLostError } from '../transport/ConnectionLostError.js';
import type { Link } from './createLink.js';
import { describeError } from './describeError.js';
import type { JobStreamsError } from './JobStreamsError.js';
import { MessageRejectedError } from './MessageRejectedError.js';
import type { OutboxOptions } from './OutboxOptions.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** {@link OutboxOptions} with every default applied (`storage` and `locks` may stay unset). */
export type OutboxConfig = Required<Omit<OutboxOptions, 'storage' | 'locks'>> & Pick<OutboxOptions, 'storage' | 'locks'>;

/** A client's offline outbox, made by the `outbox()` plugin. */
export interface Outbox {
  send(event: string, data: unknown): string;
  /** Starts sending what storage holds; idempotent. */
  start(): void;
  readonly messages$: Observable<readonly QueuedMessage[]>;
  readonly deadLetters$: Observable<DeadLetter>;
  dispose(): void;
}

/**
 * Sends queued messages over the root socket, one at a time and in order, while the link is up
 * and this tab holds the send lease. Each message waits for its ack: `{ id }` with its own id
 * removes it, `{ error }` dead-letters it as refused, and any other answer (reported on `errors$`),
 * silence, or the link dropping before the answer counts as a failed attempt, retried with backoff
 * up to `maxRetries`: a message that makes the server drop the connection cannot stall the queue.
 * Nothing is emitted on a disconnected socket, so socket.io's own send buffer stays empty and a
 * resend after reconnect carries the same id, which the server dedupes.
 */
export function createOutbox(
  outbox: OutboxConfig,
  options: ResolvedOptions,
  link: Link,
  report: (problem: JobStreamsError) => void,
): Outbox {
  const { scheduler, log, debugEnabled } = options;
  const deadLetters = new Subject<DeadLetter>();
  const disposed = new Subject<void>();
  let isDisposed = false;
  // One storage and one report per problem kind for the queue and the lease together: each would
  // otherwise fall back (and report) on its own, again at every reconnect.
  const onProblem = reportOnce((problem: StorageProblem) => {
    log({
      scope: 'outbox',
      message: 'storage problem',
      data: { kind: problem.kind, ...(problem.error !== undefined && { error: describeError(problem.error) }) },
    });
    report({ error: problem.error instanceof Error ? problem.error : new Error(`outbox storage: ${problem.kind}`) });
  });
  const storage = resolveStorage(outbox.storage, onProblem);
  // The queue takes the limits it shares with the outbox (maxSize, maxRetries, maxMessageBytes, ttl, key).
  const queue = new MessageQueue({
    ...outbox,
    storage,
    scheduler,
    onDrop: (letter) => {
      const { message, reason, error } = letter;
      if (debugEnabled) {
        log({
          scope: 'outbox',
          message: 'dead letter',
          data: { id: message.id, event: message.event, reason, ...(error !== undefined && { error: describeError(error) }) },
        });
      }
      deadLetters.next(letter);
    },
    onProblem,
  });

  const deliver$ = (socket: Socket, message: QueuedMessage) => {
    if (debugEnabled)
      log({ scope: 'outbox', message: 'sent', data: { id: message.id, event: message.event, attempt: message.retries + 1 } });
    let settled = false;
    return ack$(socket, 'message', { id: message.id, event: message.event, data: message.data }).pipe(
      timeout({ first: outbox.ackTimeout, scheduler }),
      tap((response) => {
        settled = true;
        // An ack carrying `error`, beside the id or not, refuses the message for good. (An ack is
        // decoded JSON: reading a key cannot throw.)
        if ((response as { error?: unknown } | null)?.error !== undefined) {
          queue.reject(message.id, new MessageRejectedError(response));
          return;
        }
        const ack = safeParse(v.object({ id: v.literal(message.id) }), response, 'message', 'invalid_payload');
        if (!ack.ok) {
          report({ error: ack.error });
          throw ack.error;
        }
        if (debugEnabled) log({ scope: 'outbox', message: 'acked', data: { id: message.id } });
        queue.remove(message.id);
      }),
      catchError((error: unknown) => {
        settled = true;
        if (!queue.incrementRetries(message.id, error)) return EMPTY;
        const delay = backoffDelay(message.retries + 1, {
          initialDelay: options.reconnection.delay,
          maxDelay: options.reconnection.maxDelay,
        });
        if (debugEnabled) {
          log({
            scope: 'outbox',
            message: 'retry scheduled',
            data: { id: message.id, attempt: message.retries + 1, delay, error: describeError(error) },
          });
        }
        return timer(delay, scheduler);
      }),
      // Cut short without an answer: the link dropped (maybe because of this very message, one above
      // the server's maxHttpBufferSize), so it counts as an attempt, or it would be resent forever.
      finalize(
        () => settled || isDisposed || queue.incrementRetries(message.id, new ConnectionLostError('closed before the ack', '/')),
      ),
    );
  };

  // Drains until the queue is empty; `peek` re-reads storage, so another tab's sends are seen.
  const drain$ = (socket: Socket) =>
    defer(() => {
      const message = queue.peek();
      return message && socket.connected ? deliver$(socket, message) : EMPTY;
    }).pipe(repeat({ delay: () => (queue.size() > 0 && socket.connected ? of(0) : EMPTY) }));

  // Started by the client's first use, not at creation: a client made during a render that React
  // throws away must connect nothing, even with messages left in storage.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    flush$.subscribe();
  };

  const flush$ = queue.messages$.pipe(
    map((messages) => messages.length > 0),
    distinctUntilChanged(),
    // Pending messages hold the link open; with none, the outbox lets it close.
    switchMap((pending) => (pending ? link.root$ : of(null))),
    switchMap((socket) =>
      socket
        ? acquireSendLease({ key: outbox.key, storage, locks: outbox.locks, scheduler, onProblem }).pipe(
            tap((held) =>
              log({
                scope: 'outbox',
                message: held ? 'send lease held: sending' : 'waiting for the send lease (another tab may hold it)',
                data: { key: outbox.key },
              }),
            ),
            switchMap((held) =>
              held
                ? queue.messages$.pipe(
                    filter((messages) => messages.length > 0),
                    exhaustMap(() => drain$(socket)),
                  )
                : EMPTY,
            ),
          )
        : EMPTY,
    ),
    takeUntil(disposed),
  );

  return {
    send(event, data) {
      start();
      const id = queue.enqueue(event, data);
      if (debugEnabled) log({ scope: 'outbox', message: 'enqueued', data: { id, event } });
      return id;
    },
    start,
    messages$: defer(() => {
      start();
      return queue.messages$;
    }),
    deadLetters$: deadLetters.asObservable(),
    dispose() {
      isDisposed = true;
      disposed.next();
      disposed.complete();
      deadLetters.complete();
    },
  };
}
