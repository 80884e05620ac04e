import { Observable, type Subscriber } from 'rxjs';
import type { Transport } from '../protocol/connection.js';
import type { WebSocketEvent } from '../protocol/events.js';
import { applyEvent } from '../protocol/applyEvent.js';
import { isProgressEvent } from '../protocol/guards.js';
import { parseSnapshot } from '../protocol/parseSnapshot.js';
import type { JobKind, JobSnapshot } from '../protocol/resources.js';
import { hasEnded, snapshotToEvents } from '../protocol/snapshotToEvents.js';
import { ValidationError } from '../protocol/ValidationError.js';
import type { ConnectionStore } from './createConnectionStore.js';
import type { FeedHub } from './createFeedHub.js';
import { createJobPoll, type JobPoll } from './createJobPoll.js';
import type { Link } from './createLink.js';
import type { Timer, TimerQueue, TimerTarget } from './createTimerQueue.js';
import { initialJobState, reduceJobState, type JobState } from './JobState.js';
import { JobRun, type JobRunHost } from './JobRun.js';
import { subscribeRefusal } from './subscribeRefusal.js';
import type { JobStreamsError } from './JobStreamsError.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** The shared streams of one job. */
export interface JobFeed {
  readonly events$: Observable<WebSocketEvent>;
  readonly state$: Observable<JobState>;
}

/** What every feed of a client shares: one object per client, not copied into each job. */
export interface FeedClient {
  readonly options: ResolvedOptions;
  readonly link: Link;
  readonly store: ConnectionStore;
  /** The client's one link watcher; it also ends every feed when the client is disposed. */
  readonly hub: FeedHub;
  /** The client's one timer queue: idle, polling, throttle, retry and linger timers of every job. */
  readonly timers: TimerQueue;
  report(problem: JobStreamsError): void;
}

/**
 * One job's pipeline: socket events and resync snapshots, REST polling while the socket is down,
 * then de-duplication, throttling and the end at the terminal event (see {@link JobRun}). Shared
 * by every subscriber of the job, and kept `linger` ms after the last one leaves; a subscriber
 * arriving late first gets the job's history so far, compressed to the events a fresh snapshot
 * would give. `state$` folds the events into a {@link JobState} and replays the latest.
 */
export function createJobFeed(kind: JobKind, id: string, client: FeedClient, onClose: () => void): JobFeed {
  const feed = new Feed(kind, id, client, onClose);
  return {
    events$: new Observable<WebSocketEvent>((subscriber) => feed.subscribeEvents(subscriber)),
    state$: new Observable<JobState>((subscriber) => feed.subscribeState(subscriber)),
  };
}

/** Where a feed multicasts to: an RxJS subscriber, or the feed's own `state$` fold. */
interface Sink<T> {
  readonly closed: boolean;
  next(value: T): void;
  complete(): void;
}

/**
 * The multicasts of one job, written out rather than as `share()` operators: a client holds one
 * per job, thousands at once, and each `share` with its linger, `scan` and `concat` costs more
 * than the job's own state.
 */
class Feed implements JobRunHost, TimerTarget {
  readonly job: { kind: JobKind; id: string };
  readonly namespace: string;
  readonly poll: JobPoll;
  private folded: JobSnapshot;
  // Progress not yet folded into `folded`: most events are progress, and the snapshot is read
  // only on a resync, for a late subscriber and at the end, so only the latest one is kept.
  private progress: WebSocketEvent | undefined;
  transport: Transport = 'none';
  // The run and the subscribers of its events (`share` with a linger).
  private run: JobRun | undefined;
  // Both lists are replaced, never changed in place, so delivering an event needs no copy.
  private sinks: readonly Sink<WebSocketEvent>[] = [];
  private linger: Timer | undefined;
  // `state$`: its subscribers, the latest state (replayed to late subscribers), its own linger.
  private stateSinks: readonly Subscriber<JobState>[] = [];
  private state: JobState | undefined;
  private stateSource: StateFold | undefined;
  private stateTeardown: (() => void) | undefined;
  private stateLinger: Timer | undefined;

  constructor(
    kind: JobKind,
    id: string,
    readonly client: FeedClient,
    /** Called when the feed's run has closed, so the client can forget it. */
    private readonly onClose: () => void,
  ) {
    this.job = { kind, id };
    this.namespace = `/ws/${kind}s/${encodeURIComponent(id)}`;
    this.folded = { id, status: 'queued' };
    // The feed is the poll's context: its methods serve as they are, with no closure per job.
    this.poll = createJobPoll(this);
  }

  get seen(): JobSnapshot {
    if (this.progress) {
      this.folded = applyEvent(this.folded, this.progress);
      this.progress = undefined;
    }
    return this.folded;
  }

  record(event: WebSocketEvent): void {
    if (isProgressEvent(event)) this.progress = event;
    else this.folded = applyEvent(this.seen, event);
  }

  eventsFrom(payload: unknown): WebSocketEvent[] {
    const refusal = subscribeRefusal(payload);
    if (refusal) return [refusal];
    const parsed = parseSnapshot(this.job.kind, payload);
    if (!parsed.ok) {
      this.report({ error: parsed.error, job: this.job });
      return [];
    }
    return snapshotToEvents(this.seen, parsed.value);
  }

  report(problem: JobStreamsError): void {
    const { error } = problem;
    if (error instanceof ValidationError) {
      this.client.options.log({
        scope: 'job',
        message: 'rejected payload',
        data: { job: this.job, event: error.event, check: error.kind, path: error.path, reason: error.reason },
      });
    }
    this.client.report(problem);
  }

  // --- events$ -------------------------------------------------------------------------------

  subscribeEvents(sink: Sink<WebSocketEvent>): (() => void) | undefined {
    // Not the status: a `status_change` to completed comes before the `completed` event with the video.
    const done = hasEnded(this.seen);
    for (const event of snapshotToEvents(undefined, this.seen)) {
      if (sink.closed) return undefined;
      sink.next(event);
    }
    // A subscriber that took what it wanted from the history (`first`, `take`) starts nothing.
    if (sink.closed) return undefined;
    if (done) {
      sink.complete();
      return undefined;
    }
    this.linger?.cancel();
    this.linger = undefined;
    this.sinks = [...this.sinks, sink];
    if (!this.run) {
      this.run = new JobRun(this);
      this.run.start();
    }
    return () => this.unsubscribeEvents(sink);
  }

  private unsubscribeEvents(sink: Sink<WebSocketEvent>): void {
    if (!this.sinks.includes(sink)) return;
    this.sinks = this.sinks.filter((other) => other !== sink);
    if (this.sinks.length === 0 && this.run) this.linger = this.client.timers.after(this.client.options.linger, this);
  }

  deliver(event: WebSocketEvent): void {
    for (const sink of this.sinks) if (!sink.closed) sink.next(event);
  }

  ended(): void {
    const sinks = this.sinks;
    this.sinks = [];
    this.closeRun();
    for (const sink of sinks) sink.complete();
    this.closed();
  }

  onTimer(timer: Timer): void {
    if (timer === this.linger) {
      this.linger = undefined;
      this.closeRun();
      this.closed();
    } else if (timer === this.stateLinger) {
      this.stateLinger = undefined;
      this.disconnectState();
    }
  }

  private closeRun(): void {
    const run = this.run;
    this.run = undefined;
    this.linger?.cancel();
    this.linger = undefined;
    run?.stop();
  }

  private closed(): void {
    this.client.options.log({ scope: 'job', message: 'closed', data: { job: this.job } });
    this.poll.socketBack();
    this.onClose();
  }

  // --- state$ --------------------------------------------------------------------------------

  subscribeState(subscriber: Subscriber<JobState>): () => void {
    this.stateLinger?.cancel();
    this.stateLinger = undefined;
    this.stateSinks = [...this.stateSinks, subscriber];
    if (this.stateSource) {
      if (this.state) subscriber.next(this.state);
    } else {
      this.connectState();
    }
    return () => this.unsubscribeState(subscriber);
  }

  private connectState(): void {
    const fold = new StateFold(this);
    this.stateSource = fold;
    this.publishState(initialJobState(this.job.kind, this.job.id));
    const teardown = this.subscribeEvents(fold);
    if (this.stateSource === fold) this.stateTeardown = teardown;
  }

  /** Folds one event of the connected `state$` source into the state and publishes it. */
  foldState(fold: StateFold, event: WebSocketEvent): void {
    if (this.stateSource !== fold || !this.state) return;
    this.publishState(reduceJobState(this.state, event, this.transport, new Date(this.client.options.scheduler.now())));
  }

  /** The `state$` source ended: as `share` resets on complete, a later subscriber starts afresh. */
  endState(fold: StateFold): void {
    if (this.stateSource !== fold) return;
    fold.closed = true;
    // As `share` does on complete: a linger still running would hold a timer for nothing.
    this.stateLinger?.cancel();
    this.stateLinger = undefined;
    const sinks = this.stateSinks;
    this.stateSinks = [];
    this.stateSource = undefined;
    this.stateTeardown = undefined;
    this.state = undefined;
    for (const sink of sinks) sink.complete();
  }

  private publishState(state: JobState): void {
    this.state = state;
    for (const sink of this.stateSinks) if (!sink.closed) sink.next(state);
  }

  private unsubscribeState(subscriber: Subscriber<JobState>): void {
    if (!this.stateSinks.includes(subscriber)) return;
    this.stateSinks = this.stateSinks.filter((other) => other !== subscriber);
    if (this.stateSinks.length === 0 && this.stateSource)
      this.stateLinger = this.client.timers.after(this.client.options.linger, this);
  }

  private disconnectState(): void {
    const source = this.stateSource;
    const teardown = this.stateTeardown;
    this.stateSource = undefined;
    this.stateTeardown = undefined;
    this.state = undefined;
    if (source) source.closed = true;
    teardown?.();
  }
}

/** The subscription of a feed's `state$` to its own events, as a sink with no closures. */
class StateFold implements Sink<WebSocketEvent> {
  closed = false;
  constructor(private readonly feed: Feed) {}
  next(event: WebSocketEvent): void {
    this.feed.foldState(this, event);
  }
  complete(): void {
    this.feed.endState(this);
  }
}
