import {
  BehaviorSubject,
  concat,
  defer,
  distinctUntilChanged,
  EMPTY,
  finalize,
  from,
  identity,
  map,
  merge,
  mergeMap,
  Observable,
  ReplaySubject,
  scan,
  share,
  startWith,
  switchMap,
  takeUntil,
  tap,
  timeout,
  timer,
} from 'rxjs';
import type { Socket } from 'socket.io-client';
import type { Transport } from '../protocol/connection.js';
import type { WebSocketEvent } from '../protocol/events.js';
import { applyEvent } from '../protocol/applyEvent.js';
import { isTerminalStatus } from '../protocol/guards.js';
import { parseEvent } from '../protocol/parseEvent.js';
import { parseSnapshot } from '../protocol/parseSnapshot.js';
import type { JobKind, JobSnapshot } from '../protocol/resources.js';
import { snapshotToEvents } from '../protocol/snapshotToEvents.js';
import { SubscribeRefusalSchema, type SubscribeRefusal } from '../protocol/messages.js';
import { safeParse } from '../protocol/parse.js';
import { idleTimeout } from '../operators/idleTimeout.js';
import { monotonicProgress } from '../operators/monotonicProgress.js';
import { pollingFallback } from '../operators/pollingFallback.js';
import { retryBackoff } from '../operators/retryBackoff.js';
import { throttleProgress } from '../operators/throttleProgress.js';
import { untilTerminal } from '../operators/untilTerminal.js';
import { ack$ } from '../transport/ack$.js';
import { ValidationError } from '../protocol/ValidationError.js';
import { socket$ } from '../transport/socket$.js';
import type { ConnectionStore } from './createConnectionStore.js';
import { createJobPoll } from './createJobPoll.js';
import { describeError } from './describeError.js';
import type { Link } from './createLink.js';
import { initialJobState, reduceJobState, type JobState } from './JobState.js';
import type { JobStreamsError } from './JobStreamsError.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** The shared streams of one job. */
export interface JobFeed {
  readonly events$: Observable<WebSocketEvent>;
  readonly state$: Observable<JobState>;
}

/** What a feed needs from its client. */
export interface FeedContext {
  options: ResolvedOptions;
  link: Link;
  store: ConnectionStore;
  report: (problem: JobStreamsError) => void;
  disposed$: Observable<unknown>;
  /** Called when the feed's connection has closed, so the client can forget it. */
  onClose: () => void;
}

/**
 * One job's pipeline: socket events and resync snapshots, REST polling while the socket is down,
 * then de-duplication, throttling and the end at the terminal event. Shared by every subscriber
 * of the job; a subscriber arriving late first gets the job's history so far, compressed to the
 * events a fresh snapshot would give.
 */
export function createJobFeed(kind: JobKind, id: string, context: FeedContext): JobFeed {
  const { options, link, store } = context;
  const { scheduler, log } = options;
  const job = { kind, id };

  const report = (problem: JobStreamsError) => {
    const { error } = problem;
    if (error instanceof ValidationError) {
      log({
        scope: 'job',
        message: 'rejected payload',
        data: { job, event: error.event, check: error.kind, path: error.path, reason: error.reason },
      });
    }
    context.report(problem);
  };
  const namespace = `/ws/${kind}s/${encodeURIComponent(id)}`;
  let seen: JobSnapshot = { id, status: 'queued' };
  let transport: Transport = 'none';

  const eventsFrom = (payload: unknown): WebSocketEvent[] => {
    const refusal = refusalOf(payload);
    if (refusal) return [{ type: 'error', data: { ...refusal, recoverable: refusal.code !== 'NOT_FOUND' } }];
    const parsed = parseSnapshot(kind, payload);
    if (!parsed.ok) {
      report({ error: parsed.error, job });
      return [];
    }
    return snapshotToEvents(seen, parsed.value);
  };

  const poll = createJobPoll({ options, link, store, job, eventsFrom, report });

  const liveEvents$ = (socket: Socket) =>
    new Observable<WebSocketEvent>((subscriber) => {
      const onEvent = (name: string, payload: unknown) => {
        const parsed = parseEvent(name, payload);
        if (parsed.ok) subscriber.next(parsed.value);
        else report({ error: parsed.error, job });
      };
      socket.onAny(onEvent);
      return () => socket.offAny(onEvent);
    });

  const session$ = (subscribed: BehaviorSubject<boolean>) =>
    socket$(link.manager, namespace, { auth: options.auth, requestId: link.requestId() }).pipe(
      switchMap((socket) => {
        log({ scope: 'job', message: 'subscribing', data: { job, namespace } });
        return merge(
          liveEvents$(socket),
          ack$(socket, 'subscribe', { type: 'subscribe', [`${kind}_id`]: id }).pipe(
            timeout({ first: options.ackTimeout, scheduler }),
            tap(() => {
              log({ scope: 'job', message: 'subscribed: resyncing from the ack snapshot', data: { job } });
              poll.socketBack();
              subscribed.next(true);
            }),
            mergeMap(eventsFrom),
          ),
        );
      }),
      finalize(() => subscribed.next(false)),
      // A namespace refused while the link is up (the server restarting a worker, say) retries on
      // its own; when the link itself drops, `root$` ends this session instead.
      retryBackoff({
        maxAttempts: Infinity,
        initialDelay: options.reconnection.delay,
        maxDelay: options.reconnection.maxDelay,
        random: options.random,
        scheduler,
        onRetry: ({ attempt, delay, error }) =>
          log({ scope: 'job', message: 'namespace retry scheduled', data: { job, attempt, delay, error: describeError(error) } }),
      }),
    );

  const core$ = defer(() => {
    const subscribed = new BehaviorSubject(false);
    const linkUp$ = link.root$.pipe(
      map((root) => root !== null),
      distinctUntilChanged(),
    );
    return linkUp$.pipe(
      switchMap((up) => (up ? session$(subscribed) : EMPTY)),
      pollingFallback({ socketUp$: subscribed, poll: poll.fallback, ...options.polling, scheduler }),
      map(({ transport: via, value }) => {
        transport = via;
        store.touch(scheduler.now());
        return value;
      }),
      idleTimeout({ idle: options.idleTimeout, onIdle: poll.idle, scheduler }),
      monotonicProgress(),
      options.throttle > 0 ? throttleProgress({ interval: options.throttle, scheduler }) : identity,
      untilTerminal(),
      tap({
        next: (event) => (seen = applyEvent(seen, event)),
        complete: () => log({ scope: 'job', message: 'ended', data: { job, status: seen.status } }),
      }),
    );
  }).pipe(
    takeUntil(context.disposed$),
    finalize(() => {
      log({ scope: 'job', message: 'closed', data: { job } });
      poll.socketBack();
      context.onClose();
    }),
    share({ resetOnRefCountZero: () => timer(options.linger, scheduler) }),
  );

  const events$ = defer(() => {
    const history = from(snapshotToEvents(undefined, seen));
    return isTerminalStatus(seen.status) ? history : concat(history, core$);
  });

  const state$ = events$.pipe(
    scan((state, event) => reduceJobState(state, event, transport, new Date(scheduler.now())), initialJobState(kind, id)),
    startWith(initialJobState(kind, id)),
    share({ connector: () => new ReplaySubject<JobState>(1), resetOnRefCountZero: () => timer(options.linger, scheduler) }),
  );

  return { events$, state$ };
}

/** The `{ error }` a server acks instead of a snapshot; a failed job's snapshot has a `status` too. */
function refusalOf(payload: unknown): SubscribeRefusal['error'] | undefined {
  if (typeof payload !== 'object' || payload === null || 'status' in payload) return undefined;
  const parsed = safeParse(SubscribeRefusalSchema, payload, 'subscribe', 'invalid_snapshot');
  return parsed.ok ? parsed.value.error : undefined;
}
