import type { Subscription } from 'rxjs';
import type { Socket } from 'socket.io-client';
import type { Transport } from '../protocol/connection.js';
import type { WebSocketEvent } from '../protocol/events.js';
import { isProgressEvent, isTerminalEvent } from '../protocol/guards.js';
import { parseEvent } from '../protocol/parseEvent.js';
import type { JobKind, JobSnapshot } from '../protocol/resources.js';
import { backoffDelay } from '../operators/backoffDelay.js';
import { createProgressGate } from '../operators/createProgressGate.js';
import { DEFAULT_RETRY_BACKOFF } from '../operators/retryBackoff.js';
import { ack$ } from '../transport/ack$.js';
import { socket$ } from '../transport/socket$.js';
import type { FeedClient } from './createJobFeed.js';
import type { FeedListener } from './createFeedHub.js';
import type { JobPoll } from './createJobPoll.js';
import type { Timer, TimerTarget } from './createTimerQueue.js';
import { describeError } from './describeError.js';
import { subscribeRefusal } from './subscribeRefusal.js';
import type { JobStreamsError } from './JobStreamsError.js';

/** The job a run works for: its identity, its shared machinery, and where its events go. */
export interface JobRunHost {
  readonly job: { kind: JobKind; id: string };
  readonly namespace: string;
  readonly client: FeedClient;
  readonly poll: JobPoll;
  /** What the job's events so far add up to. */
  readonly seen: JobSnapshot;
  /** Folds an event the run delivers into {@link seen}. */
  record(event: WebSocketEvent): void;
  /** The transport of the latest socket or fallback-poll value. */
  transport: Transport;
  /** Turns a snapshot (ack or REST) into the events `seen` lacks. */
  eventsFrom(payload: unknown): WebSocketEvent[];
  report(problem: JobStreamsError): void;
  /** An event that passed every stage. */
  deliver(event: WebSocketEvent): void;
  /** The run ended by itself: after the terminal event, or because the client was disposed. */
  ended(): void;
}

/**
 * One connection lifetime of a job's feed, written out by hand rather than as an operator chain:
 * the namespace session and its retry, the polling fallback, the idle resync, de-duplication,
 * the progress throttle and the end at the terminal event. It does what
 * `linkUp$.pipe(switchMap(session$), pollingFallback, idleTimeout, monotonicProgress,
 * throttleProgress, untilTerminal)` did, with the same timings, but holds a few fields per job
 * instead of some forty subscribers and closures; its timers live on the client's
 * {@link TimerQueue} and the link state comes from the client's {@link FeedHub}.
 */
export class JobRun implements FeedListener, TimerTarget {
  private stopped = false;
  private readonly isNew = createProgressGate();
  // Namespace session: `gen` tells the current socket$ subscription's callbacks from stale ones.
  private linkUp = false;
  private gen = 0;
  private session: Subscription | undefined;
  private socket: Socket | undefined;
  private ack: Subscription | undefined;
  private ackTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private attempt = 0;
  private upSince: number | undefined;
  // Polling fallback: `socketUp` is whether the subscribe ack came back on the current session.
  private socketUp = false;
  private pollTimer: Timer | undefined;
  private polling: Subscription | undefined;
  // Idle resync: a value only notes its time; the timer, when it fires early, re-arms for the rest.
  private lastAt: number;
  private idleTimer: Timer | undefined;
  private resync: Subscription | undefined;
  // Progress throttle: a window is open while `windowTimer` is set.
  private windowTimer: Timer | undefined;
  private pending: WebSocketEvent | undefined;

  constructor(private readonly host: JobRunHost) {
    this.lastAt = host.client.options.scheduler.now();
  }

  start(): void {
    const { options, hub } = this.host.client;
    this.idleTimer = this.host.client.timers.after(options.idleTimeout, this);
    if (options.polling.enabled) this.pollTimer = this.host.client.timers.after(options.polling.grace, this);
    hub.watch(this);
  }

  /** Tears everything down; no event is delivered after it. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.host.client.hub.unwatch(this);
    this.retryTimer?.cancel();
    this.endSession();
    this.pollTimer?.cancel();
    this.polling?.unsubscribe();
    this.idleTimer?.cancel();
    this.resync?.unsubscribe();
    this.windowTimer?.cancel();
    this.pending = undefined;
  }

  linkChanged(up: boolean): void {
    if (this.stopped || up === this.linkUp) return;
    this.linkUp = up;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    if (up) {
      // A fresh session after each link-up, with a fresh retry schedule.
      this.attempt = 0;
      this.upSince = undefined;
      this.startSession();
    } else {
      this.endSession();
    }
  }

  clientDisposed(): void {
    if (this.stopped) return;
    this.stop();
    this.host.ended();
  }

  onTimer(timer: Timer): void {
    if (this.stopped) return;
    if (timer === this.idleTimer) this.checkIdle();
    else if (timer === this.pollTimer) this.tickPoll();
    else if (timer === this.windowTimer) this.endWindow();
    else if (timer === this.retryTimer) {
      this.retryTimer = undefined;
      this.startSession();
    } else if (timer === this.ackTimer) {
      this.ackTimer = undefined;
      this.sessionFailed(new Error(`no subscribe ack within ${this.host.client.options.ackTimeout} ms`));
    }
  }

  // --- namespace session -------------------------------------------------------------------

  private startSession(): void {
    const { namespace } = this.host;
    const { options, link } = this.host.client;
    const gen = ++this.gen;
    const subscription = socket$(link.manager, namespace, {
      auth: options.auth,
      requestId: link.requestId(),
      onUnrouted: link.unrouted,
    }).subscribe({
      next: (socket) => gen === this.gen && this.connected(socket),
      error: (error: unknown) => gen === this.gen && this.sessionFailed(error),
    });
    // A socket$ that failed synchronously has already scheduled its retry.
    if (gen === this.gen && !subscription.closed) this.session = subscription;
  }

  private connected(socket: Socket): void {
    const { job, namespace } = this.host;
    const { options, timers } = this.host.client;
    options.log({ scope: 'job', message: 'subscribing', data: { job, namespace } });
    this.socket = socket;
    socket.onAny(this.onSocketEvent);
    const gen = this.gen;
    this.ack = ack$(socket, 'subscribe', { type: 'subscribe', [`${job.kind}_id`]: job.id }).subscribe((payload) => {
      if (gen === this.gen) this.acked(payload);
    });
    this.ackTimer = timers.after(options.ackTimeout, this);
  }

  private acked(payload: unknown): void {
    this.ackTimer?.cancel();
    this.ackTimer = undefined;
    this.ack = undefined;
    const { job } = this.host;
    const { log } = this.host.client.options;
    // Refused for now (a busy backend): nothing will come on this namespace, so the socket must
    // not count as up. Polling goes on, and the subscribe is tried again with backoff.
    const refusal = subscribeRefusal(payload);
    const refused = refusal?.data.recoverable === true;
    if (refused) {
      log({ scope: 'job', message: 'subscribe refused: retrying', data: { job, code: refusal.data.code } });
    } else {
      log({ scope: 'job', message: 'subscribed: resyncing from the ack snapshot', data: { job } });
      this.host.poll.socketBack();
      this.setSocketUp(true);
    }
    const gen = this.gen;
    for (const event of refusal ? [refusal] : this.host.eventsFrom(payload)) {
      if (this.stopped || gen !== this.gen) return;
      this.fromSession(event);
    }
    if (refused) this.sessionFailed(new Error(`subscribe refused with ${refusal.data.code}`));
  }

  // An instance field, not a method: `offAny` needs the very function `onAny` was given.
  private readonly onSocketEvent = (name: string, payload: unknown): void => {
    const parsed = parseEvent(name, payload);
    if (parsed.ok) this.fromSession(parsed.value);
    else this.host.report({ error: parsed.error, job: this.host.job });
  };

  /** Ends the current session, if any: the socket closes and polling may take over. */
  private endSession(): void {
    this.gen++;
    this.socket?.offAny(this.onSocketEvent);
    this.socket = undefined;
    this.ack?.unsubscribe();
    this.ack = undefined;
    this.ackTimer?.cancel();
    this.ackTimer = undefined;
    const session = this.session;
    this.session = undefined;
    session?.unsubscribe();
    this.setSocketUp(false);
  }

  // A namespace refused while the link is up (a server worker restarting, say) retries on its
  // own, as `retryBackoff` would; when the link itself drops, `linkChanged` ends the session.
  private sessionFailed(error: unknown): void {
    this.endSession();
    const { job } = this.host;
    const { options, timers } = this.host.client;
    const { scheduler, reconnection } = options;
    if (this.upSince !== undefined && scheduler.now() - this.upSince >= DEFAULT_RETRY_BACKOFF.resetAfter) this.attempt = 0;
    this.upSince = undefined;
    const attempt = ++this.attempt;
    const delay = backoffDelay(attempt, {
      initialDelay: reconnection.delay,
      maxDelay: reconnection.maxDelay,
      jitter: DEFAULT_RETRY_BACKOFF.jitter,
      random: options.random,
    });
    options.log({
      scope: 'job',
      message: 'namespace retry scheduled',
      data: { job, attempt, delay, error: describeError(error) },
    });
    this.retryTimer = timers.after(delay, this);
  }

  private fromSession(event: WebSocketEvent): void {
    this.upSince ??= this.host.client.options.scheduler.now();
    this.fromTransport(event, 'websocket');
  }

  // --- polling fallback --------------------------------------------------------------------

  private setSocketUp(up: boolean): void {
    if (up === this.socketUp) return;
    this.socketUp = up;
    if (this.stopped || !this.host.client.options.polling.enabled) return;
    this.pollTimer?.cancel();
    this.pollTimer = undefined;
    this.polling?.unsubscribe();
    this.polling = undefined;
    // The grace runs from the moment the socket left, not from the last poll.
    if (!up) this.pollTimer = this.host.client.timers.after(this.host.client.options.polling.grace, this);
  }

  private tickPoll(): void {
    this.pollTimer = this.host.client.timers.after(this.host.client.options.polling.interval, this);
    // A tick while a poll is still in flight is skipped.
    if (this.polling) return;
    // Assigned after subscribe only if still running: a poll that completed synchronously is not in flight.
    // The poll reports its own failures and completes; an error must not leave it in flight forever either.
    const settled = () => {
      this.polling = undefined;
    };
    const polling = this.host.poll.fallback().subscribe({
      next: (event) => this.fromTransport(event, 'polling'),
      error: settled,
      complete: settled,
    });
    if (!polling.closed && !this.stopped) this.polling = polling;
  }

  private fromTransport(event: WebSocketEvent, via: Transport): void {
    if (this.stopped) return;
    const { host } = this;
    host.transport = via;
    const now = host.client.options.scheduler.now();
    host.client.store.touch(now);
    this.lastAt = now;
    if (this.resync) {
      // The source is talking again: the resync in flight is moot, and the silence starts over.
      this.resync.unsubscribe();
      this.resync = undefined;
      this.idleTimer?.cancel();
      this.idleTimer = host.client.timers.after(host.client.options.idleTimeout, this);
    }
    this.admit(event);
  }

  // --- idle resync -------------------------------------------------------------------------

  private checkIdle(): void {
    const { poll } = this.host;
    const { options, timers } = this.host.client;
    const quiet = options.scheduler.now() - this.lastAt;
    if (quiet < options.idleTimeout) {
      this.idleTimer = timers.after(options.idleTimeout - quiet, this);
      return;
    }
    this.idleTimer = undefined;
    const settled = () => {
      this.resync = undefined;
      if (!this.stopped) this.idleTimer = timers.after(options.idleTimeout, this);
    };
    const resync = poll.idle().subscribe({ next: (event) => this.admit(event), error: settled, complete: settled });
    if (!resync.closed && !this.stopped) this.resync = resync;
  }

  // --- de-duplication, throttle, terminal --------------------------------------------------

  private admit(event: WebSocketEvent): void {
    if (this.stopped || !this.isNew(event)) return;
    if (!(this.host.client.options.throttle > 0)) {
      this.pass(event);
      return;
    }
    if (isProgressEvent(event)) {
      if (this.windowTimer) this.pending = event;
      else this.send(event);
      return;
    }
    // A pending progress goes out before the event that ends its window, never after it.
    this.flush();
    this.pass(event);
  }

  private send(event: WebSocketEvent): void {
    this.pass(event);
    if (!this.stopped) this.windowTimer = this.host.client.timers.after(this.host.client.options.throttle, this);
  }

  private flush(): void {
    if (!this.windowTimer) return;
    this.windowTimer.cancel();
    this.endWindow();
  }

  private endWindow(): void {
    this.windowTimer = undefined;
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    this.send(pending);
  }

  private pass(event: WebSocketEvent): void {
    if (this.stopped) return;
    const { host } = this;
    host.record(event);
    const terminal = isTerminalEvent(event);
    if (terminal) this.stop();
    host.deliver(event);
    if (terminal) {
      host.client.options.log({ scope: 'job', message: 'ended', data: { job: host.job, status: host.seen.status } });
      host.ended();
    }
  }
}
