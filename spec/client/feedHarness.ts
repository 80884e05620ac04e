import { asyncScheduler, BehaviorSubject, EMPTY, NEVER, type Observable, type Subscription, Subject } from 'rxjs';
import type { Manager, Socket } from 'socket.io-client';
import { expect, vi } from 'vitest';
import { createConnectionStore } from '../../src/client/createConnectionStore.js';
import { createFeedHub } from '../../src/client/createFeedHub.js';
import { createJobFeed, type JobFeed } from '../../src/client/createJobFeed.js';
import type { Link } from '../../src/client/createLink.js';
import { createTimerQueue, type TimerQueue } from '../../src/client/createTimerQueue.js';
import type { JobState } from '../../src/client/JobState.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import { resolveOptions } from '../../src/client/resolveOptions.js';
import type { WebSocketEvent } from '../../src/protocol/events.js';
import type { Generation } from '../../src/protocol/resources.js';
import type { FetchLike } from '../../src/transport/poll$.js';

// Virtual time is vitest's fake clock under `asyncScheduler`, as in JobRun.spec.ts. The link never
// comes up, so every event reaches the feed through REST polling: the fetch stub answers the
// job's URL with whatever `serve` was last given. Its promises settle on microtasks, which
// `advanceTo` (over `advanceTimersByTimeAsync`) drains after each timer.

const API = 'http://jobs.test';
const JOB_URL = `${API}/api/v1/generations/g1`;

/** A link that never comes up: every event of these tests comes through REST polling. */
export const downLink: Link = {
  root$: NEVER,
  get manager(): Manager {
    throw new Error('the link never comes up in these tests: no namespace socket is made');
  },
  requestId: () => 'request-1',
  reconnect: () => {},
  unrouted: () => {},
};

/** One generation feed, `g1`, over a link that stays down; see {@link createFeedHarness}. */
export interface FeedHarness {
  feed: JobFeed;
  timers: TimerQueue;
  /** When each GET of the job went out. */
  readonly polls: number[];
  /** `onClose`: how often the feed told the client to forget it. */
  readonly calls: { onClose: number };
  /** Problems the feed reported to its client; a test expects none. */
  readonly problems: JobStreamsError[];
  /** What the next polls answer. */
  serve(this: void, snapshot: Generation): void;
  /** Disposes of the client, as `createJobStreams().dispose()` does through its hub. */
  dispose(this: void): void;
}

/**
 * A feed with short delays: the first poll at 100 ms, then one every 1000 ms (100, 1100, 2100…),
 * no throttle (every event passes at once), `linger: 1200` unless `overrides` say otherwise.
 */
export function createFeedHarness(overrides: JobStreamsOptions = {}): FeedHarness {
  let snapshot: Generation = { id: 'g1', status: 'queued' };
  const polls: number[] = [];
  const problems: JobStreamsError[] = [];
  const calls = { onClose: 0 };
  const fetch: FetchLike = (url) => {
    if (url !== JOB_URL) return Promise.resolve({ ok: false, status: 404, json: () => Promise.resolve(null) });
    polls.push(Date.now());
    const body = structuredClone(snapshot);
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(body) });
  };
  const options = resolveOptions({
    url: API,
    idleTimeout: 60_000,
    polling: { grace: 100, interval: 1000 },
    throttle: 0,
    linger: 1200,
    scheduler: asyncScheduler,
    wake$: EMPTY,
    fetch,
    ...overrides,
  });
  const timers = createTimerQueue(options.scheduler);
  const disposed = new Subject<void>();
  const client = {
    options,
    link: downLink,
    store: createConnectionStore(),
    hub: createFeedHub(new BehaviorSubject<Socket | null>(null), disposed),
    timers,
    report: (problem: JobStreamsError) => problems.push(problem),
  };
  const feed = createJobFeed('generation', 'g1', client, () => calls.onClose++);
  return {
    feed,
    timers,
    polls,
    calls,
    problems,
    serve: (next) => {
      snapshot = next;
    },
    dispose: () => disposed.next(),
  };
}

/** A generation snapshot: `processing` with `percentage` and `clips` unless `rest` says otherwise. */
export function generation(percentage: number, clips: string[] = [], rest: Partial<Generation> = {}): Generation {
  return {
    id: 'g1',
    status: 'processing',
    progress: { step: 'generating_clip', clip_number: 1, total_clips: 4, percentage, message: '' },
    clips: clips.map((id) => ({ clip_id: id, thumbnail_url: `/t/${id}.svg`, duration: 2 })),
    ...rest,
  };
}

/** The finished video, for `generation(100, clips, done)`. */
export const done: Partial<Generation> = { status: 'completed', video_url: '/v.mp4', thumbnail_url: '/t.svg', duration: 8 };

/** `progress 10@100`: what an event was, and when it arrived. */
export function showEvent(event: WebSocketEvent): string {
  switch (event.type) {
    case 'progress':
    case 'encoding_progress':
      return `progress ${event.data.percentage}@${Date.now()}`;
    case 'clip_completed':
      return `clip ${event.data.clip_id}@${Date.now()}`;
    case 'status_change':
      return `status ${event.data.old_status}>${event.data.new_status}@${Date.now()}`;
    case 'error':
      return `error ${event.data.recoverable ? 'recoverable' : 'fatal'}@${Date.now()}`;
    case 'completed':
      return `completed@${Date.now()}`;
  }
}

/** `processing 10% [c1] polling@100`: the parts of a state these tests follow, and when it came. */
export function showState(state: JobState): string {
  const clips = state.clips.map((clip) => clip.clip_id).join(',');
  return `${state.status} ${state.percentage}% [${clips}] ${state.transport}@${Date.now()}`;
}

/** A subscriber noting each value (shown by `show`), and `|@time` at completion. */
export interface Watcher<T> {
  readonly log: string[];
  readonly values: T[];
  readonly subscription: Subscription;
}

/** Subscribes to `source$`, noting what arrives; `onNext` runs after each value is noted. */
export function watch<T>(source$: Observable<T>, show: (value: T) => string, onNext?: (value: T) => void): Watcher<T> {
  const log: string[] = [];
  const values: T[] = [];
  const subscription = source$.subscribe({
    next: (value) => {
      log.push(show(value));
      values.push(value);
      onNext?.(value);
    },
    complete: () => log.push(`|@${Date.now()}`),
    error: (error: unknown) => log.push(`#${String(error)}@${Date.now()}`),
  });
  return { log, values, subscription };
}

/** Moves the fake clock to `time`, settling each fetch as it goes. */
export async function advanceTo(time: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(time - Date.now());
}

/** No timer left: none on the client's queue, none on the (fake) clock. */
export function expectNothingScheduled(timers: { size: number }): void {
  expect(timers.size).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
}
