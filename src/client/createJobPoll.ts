import { catchError, EMPTY, mergeMap, type Observable, of } from 'rxjs';
import type { WebSocketEvent } from '../protocol/events.js';
import type { JobKind } from '../protocol/resources.js';
import { HttpError } from '../transport/HttpError.js';
import { poll$ } from '../transport/poll$.js';
import type { FeedClient } from './createJobFeed.js';
import { describeError } from './describeError.js';
import type { JobStreamsError } from './JobStreamsError.js';

/** What a job's REST polling needs from its feed. */
export interface JobPollContext {
  client: Pick<FeedClient, 'options' | 'link' | 'store'>;
  job: { kind: JobKind; id: string };
  /** Turns a polled snapshot into the events the feed has not seen yet. */
  eventsFrom(payload: unknown): WebSocketEvent[];
  report(problem: JobStreamsError): void;
}

/** One job's REST polling: the fallback while its socket is down, and resyncs when it goes silent. */
export interface JobPoll {
  /** One poll standing in for the socket; the first since the socket left traces the switch. */
  fallback(): Observable<WebSocketEvent>;
  /** One poll resyncing a job that has been silent for `idleTimeout`. */
  idle(): Observable<WebSocketEvent>;
  /** The socket carries the job again, or the job's feed ended: polling no longer stands in. */
  socketBack(): void;
}

/**
 * Polls `GET /api/v1/{kind}s/{id}` and turns each snapshot into events. A 404 ends the job with a
 * non-recoverable `NOT_FOUND` error; other failures are reported and the next poll tries again.
 */
export function createJobPoll(context: JobPollContext): JobPoll {
  return new Poll(context);
}

// A class, not a closure per method: a client holds one of these per job, thousands at once.
class Poll implements JobPoll {
  private readonly resource: string;
  // Whether polling stands in for the socket, so that switches, not every poll, are traced.
  private fallingBack = false;

  constructor(private readonly context: JobPollContext) {
    const { job } = context;
    this.resource = `${context.client.options.apiUrl}/api/v1/${job.kind}s/${encodeURIComponent(job.id)}`;
  }

  fallback(): Observable<WebSocketEvent> {
    const { job } = this.context;
    const { options, store } = this.context.client;
    if (!this.fallingBack) {
      this.fallingBack = true;
      // Say "polling" as soon as a poll goes out, not when one brings news.
      store.setPolling(keyOf(job), true);
      const { grace, interval } = options.polling;
      options.log({ scope: 'poll', message: 'job switched websocket -> polling', data: { job, grace, interval } });
    }
    return this.poll();
  }

  idle(): Observable<WebSocketEvent> {
    const { job } = this.context;
    const { options } = this.context.client;
    options.log({ scope: 'job', message: 'idle: resyncing from REST', data: { job, idleMs: options.idleTimeout } });
    return this.poll();
  }

  socketBack(): void {
    if (!this.fallingBack) return;
    const { job } = this.context;
    const { options, store } = this.context.client;
    this.fallingBack = false;
    store.setPolling(keyOf(job), false);
    options.log({ scope: 'poll', message: 'job switched polling -> websocket', data: { job } });
  }

  private poll(): Observable<WebSocketEvent> {
    const { context } = this;
    const { job } = context;
    const { options, link } = context.client;
    const { log } = options;
    const resource = this.resource;
    log({ scope: 'poll', message: 'GET', data: { job, url: resource } });
    return poll$(resource, {
      fetch: options.fetch,
      scheduler: options.scheduler,
      random: options.random,
      timeout: options.ackTimeout,
      headers: { 'X-Request-ID': link.requestId() },
      credentials: options.withCredentials ? 'include' : 'same-origin',
      onRetry: ({ attempt, delay, error }) =>
        log({ scope: 'poll', message: 'retry scheduled', data: { job, attempt, delay, error: describeError(error) } }),
    }).pipe(
      mergeMap((payload) => context.eventsFrom(payload)),
      catchError((error: unknown) => {
        log({ scope: 'poll', message: 'failed', data: { job, error: describeError(error) } });
        if (error instanceof HttpError && error.status === 404) {
          return of<WebSocketEvent>({
            type: 'error',
            data: { code: 'NOT_FOUND', message: `No ${job.kind} ${job.id}.`, recoverable: false },
          });
        }
        context.report({ error: error instanceof Error ? error : new Error(String(error)), job });
        return EMPTY;
      }),
    );
  }
}

function keyOf(job: { kind: JobKind; id: string }): string {
  return `${job.kind}:${job.id}`;
}
