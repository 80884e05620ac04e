import { concat, defer, NEVER, noop, of, Subject, type Observable } from 'rxjs';
import type { ConnectionState } from '../protocol/connection.js';
import type { WebSocketEvent } from '../protocol/events.js';
import type { JobKind } from '../protocol/resources.js';
import { createConnectionStore } from './createConnectionStore.js';
import { createFeedHub } from './createFeedHub.js';
import { createJobFeed, type FeedClient, type JobFeed } from './createJobFeed.js';
import { createTimerQueue } from './createTimerQueue.js';
import { createLink } from './createLink.js';
import type { Outbox } from './createOutbox.js';
import type { DeadLetter } from '../outbox/DeadLetter.js';
import type { QueuedMessage } from '../outbox/QueuedMessage.js';
import type { JobState } from './JobState.js';
import type { JobStreamsError } from './JobStreamsError.js';
import type { JobStreamsOptions } from './JobStreamsOptions.js';
import { resolveOptions } from './resolveOptions.js';

/** The streams of one jobstream client. Everything is lazy: nothing connects until subscribed. */
export interface JobStreams {
  /**
   * Validated events of a generation, in order, ending after its terminal event. Progress is
   * throttled and never goes backwards; each clip and the terminal event arrive exactly once.
   */
  generationProgress$(id: string): Observable<WebSocketEvent>;
  /** Like {@link generationProgress$}, for a composition (`encoding_progress`, `completed`, `error`). */
  compositionProgress$(id: string): Observable<WebSocketEvent>;
  /** A generation's events folded into a {@link JobState}; replays the latest to late subscribers. */
  generationState$(id: string): Observable<JobState>;
  /** A composition's events folded into a {@link JobState}. */
  compositionState$(id: string): Observable<JobState>;
  /** The link's state; watching it does not open a connection. */
  readonly connectionState$: Observable<ConnectionState>;
  /**
   * Problems the streams recovered from: refused payloads, failed polls, unanswered subscribes.
   * Those found before its first subscriber (the outbox's storage, read at creation) are replayed
   * to that subscriber, up to 20.
   */
  readonly errors$: Observable<JobStreamsError>;
  /**
   * Queues a message for the server and returns its id at once. It is sent over the socket when
   * the link is up (now, or after a reconnect or a reload), in order, and removed when the server
   * acks its id; see {@link deadLetters$} for what could not be delivered.
   *
   * Delivery is at least once on the wire and exactly once in effect when the server ignores an
   * id it has already acted on (the reference server does).
   *
   * Needs the outbox plugin: `createJobStreams({ url, outbox: outbox() })`, with `outbox` from
   * `jobstream/outbox`; without it `send` throws. Needs no `this`, so it can be passed as is.
   */
  send(this: void, event: string, data?: unknown): string;
  /**
   * The messages waiting to be sent, oldest first, e.g. for "3 changes waiting to sync". Always
   * `[]` without the outbox plugin.
   */
  readonly outbox$: Observable<readonly QueuedMessage[]>;
  /**
   * Messages that left the outbox undelivered: overflow, expiry, retries exhausted or refused.
   * Never emits without the outbox plugin.
   */
  readonly deadLetters$: Observable<DeadLetter>;
  /**
   * Retries the connection at once instead of waiting out the backoff. Needs no `this`, so it
   * can be passed as is, e.g. `onClick={streams.reconnect}`.
   */
  reconnect(this: void): void;
  /** Closes every socket, timer and listener; the streams complete and the client cannot be reused. */
  dispose(): void;
}

/** A client without the outbox plugin: nothing waits, nothing is lost, and `send` says how to enable it. */
const NO_OUTBOX: Outbox = {
  send() {
    throw new Error(
      'jobstream: send() needs the outbox plugin. Install it: createJobStreams({ url, outbox: outbox() }) with `import { outbox } from "jobstream/outbox"`.',
    );
  },
  start: noop,
  messages$: of(Object.freeze([])),
  deadLetters$: NEVER,
  dispose: noop,
};

/**
 * Creates a client. Jobs of one client share one socket.io connection (one namespace each), and
 * subscribers of one job share its namespace socket.
 *
 * @example
 * const streams = createJobStreams({ url: 'https://api.example.com' });
 * streams.generationState$('gen_123').subscribe((job) => render(job.percentage));
 *
 * // With the offline outbox, for `send`:
 * import { outbox } from 'jobstream/outbox';
 * const sending = createJobStreams({ url: 'https://api.example.com', outbox: outbox() });
 *
 * @throws {TypeError} when an option is invalid (a URL that is not http(s)/ws(s), a negative delay,
 * outbox options given without the plugin, …).
 */
export function createJobStreams(options: JobStreamsOptions = {}): JobStreams {
  const resolved = resolveOptions(options);
  const store = createConnectionStore();
  const errors = new Subject<JobStreamsError>();
  const disposed = new Subject<void>();
  const feedsDisposed = new Subject<void>();
  const link = createLink(resolved, store, disposed);
  const feeds = new Map<string, JobFeed>();
  // Kept for the first subscriber of errors$: a problem found before anyone could listen (a corrupt
  // outbox storage, read right here) would otherwise reach no one, and be reported only once.
  let early: JobStreamsError[] | undefined = [];
  const report = (problem: JobStreamsError) => (early ? early.length < 20 && early.push(problem) : errors.next(problem));
  // Shared by every feed, so a job costs a few fields rather than its own timers and link pipeline.
  const feedClient: FeedClient = {
    options: resolved,
    link,
    store,
    hub: createFeedHub(link.root$, feedsDisposed),
    timers: createTimerQueue(resolved.scheduler),
    report,
  };
  const outbox = options.outbox?.attach(resolved, link, report) ?? NO_OUTBOX;
  let isDisposed = false;

  const feed = (kind: JobKind, id: string): JobFeed => {
    if (isDisposed) throw new Error('jobstream: this client was disposed; create a new one with createJobStreams().');
    if (typeof id !== 'string' || id.length === 0)
      throw new TypeError(`jobstream: a ${kind} id must be a non-empty string, got ${JSON.stringify(id)}.`);
    const key = `${kind}:${id}`;
    outbox.start();
    const existing = feeds.get(key);
    if (existing) return existing;
    const created: JobFeed = createJobFeed(kind, id, feedClient, () => feeds.get(key) === created && feeds.delete(key));
    feeds.set(key, created);
    return created;
  };

  return {
    // Looked up at subscription, not at call: a feed forgotten after its linger must not be
    // revived beside a newer one for the same job.
    generationProgress$: (id) => defer(() => feed('generation', id).events$),
    compositionProgress$: (id) => defer(() => feed('composition', id).events$),
    generationState$: (id) => defer(() => feed('generation', id).state$),
    compositionState$: (id) => defer(() => feed('composition', id).state$),
    connectionState$: store.state$,
    errors$: defer(() => {
      const replay = early ?? [];
      early = undefined;
      return concat(replay, errors);
    }),
    send(event, data = null) {
      if (isDisposed) throw new Error('jobstream: this client was disposed; create a new one with createJobStreams().');
      return outbox.send(event, data);
    },
    outbox$: outbox.messages$,
    deadLetters$: outbox.deadLetters$,
    reconnect: link.reconnect,
    dispose() {
      if (isDisposed) return;
      isDisposed = true;
      feedsDisposed.next();
      feedsDisposed.complete();
      disposed.next();
      disposed.complete();
      outbox.dispose();
      // Typed as always there, `engine` is undefined until the first connect.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      link.manager.engine?.close();
      feeds.clear();
      errors.complete();
      store.complete();
    },
  };
}
