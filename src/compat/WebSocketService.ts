import { filter, type Observable, Subscription } from 'rxjs';
import type { JobStreams } from '../client/createJobStreams.js';
import type { CompletedEvent, EncodingProgressEvent, ErrorEvent, WebSocketEvent } from '../protocol/events.js';
import type { Composition, Generation, JobKind } from '../protocol/resources.js';
import { dispatchJobEvent, type JobEventHandlers } from '../client/JobEventHandlers.js';
import { EventHandlerError } from './EventHandlerError.js';
import { pollSnapshots$ } from './pollSnapshots$.js';
import { configureShared, reportShared, resetShared, sharedSource, type WebSocketServiceConfig } from './sharedClient.js';

/**
 * Handlers of {@link WebSocketService.subscribeToGeneration}, each optional: `onProgress`,
 * `onClipCompleted` (each clip once, including those finished while offline), `onStatusChange`,
 * `onCompleted` (exactly once) and `onError` (terminal when `recoverable` is `false`).
 */
export type GenerationHandlers = Omit<JobEventHandlers, 'onEncodingProgress'>;

/** Handlers of {@link WebSocketService.subscribeToComposition}; each is optional. */
export interface CompositionHandlers {
  /** Each `encoding_progress` event: frames processed, percentage, estimated time left. */
  onProgress?: (data: EncodingProgressEvent['data']) => void;
  /** The terminal success, exactly once, with the video's URLs and duration. */
  onCompleted?: (data: CompletedEvent['data']) => void;
  /** A failure; when `recoverable` is `false` it is terminal and delivered once. */
  onError?: (data: ErrorEvent['data']) => void;
}

/** The plan's default polling interval, in ms. */
const DEFAULT_POLL_INTERVAL = 5000;

/**
 * The plan's service layer over one client shared by the whole plan-compatible API (this
 * service and `useWebSocket`), so every job rides one connection.
 *
 * Configure it once at start-up; unconfigured, it takes Vite's `VITE_*` variables
 * (`configFromEnv(import.meta.env)`) and the page's origin on first use:
 *
 * ```ts
 * WebSocketService.configure({ url: 'https://api.example.com', withCredentials: true });
 * ```
 *
 * @example
 * useEffect(
 *   () => WebSocketService.subscribeToGeneration(generationId, { onProgress: (data) => setPercent(data.percentage) }),
 *   [generationId],
 * );
 */
// The plan's API is a class of static methods; code written against it calls them as such.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class WebSocketService {
  /**
   * Sets the shared client's options (or the client itself, `config.client`). Clients made from
   * a previous configuration are disposed. jobstream's addition.
   */
  static configure(config: WebSocketServiceConfig): void {
    configureShared(config);
  }

  /**
   * Disposes the clients the service created and forgets the configuration, e.g. between tests;
   * the next use configures afresh. jobstream's addition.
   */
  static reset(): void {
    resetShared();
  }

  /** The shared client, for `JobStreamsProvider` or the streams directly. jobstream's addition. */
  static getClient(): JobStreams {
    return sharedSource().client;
  }

  /**
   * Calls the handlers with the generation's events (the job's state so far first) until it
   * ends. A handler that throws is reported (`configure({ onError })`) and does not stop the others.
   *
   * @returns the cleanup function, to return from a `useEffect`
   */
  static subscribeToGeneration(generationId: string, handlers: GenerationHandlers): () => void {
    const { client } = sharedSource();
    return follow('generation', generationId, client.generationProgress$(generationId), client, (event) => {
      dispatchJobEvent(event, handlers);
    });
  }

  /**
   * Like {@link subscribeToGeneration}, for a composition: `encoding_progress` goes to
   * `onProgress`. A cancelled composition ends with an `error` (code `CANCELLED`).
   *
   * @returns the cleanup function
   */
  static subscribeToComposition(compositionId: string, handlers: CompositionHandlers): () => void {
    const { client } = sharedSource();
    return follow('composition', compositionId, client.compositionProgress$(compositionId), client, (event) => {
      const { onProgress, onCompleted, onError } = handlers;
      dispatchJobEvent(event, { onEncodingProgress: onProgress, onCompleted, onError });
    });
  }

  /**
   * Polls `GET /api/v1/generations/{id}` now and every `interval` ms, calling `onUpdate` with
   * each validated snapshot, and stops after a terminal status (completed, failed, cancelled).
   * A failed poll (after its retries) is reported and polling goes on.
   *
   * @returns a promise of the stop function, settled after the first poll; it rejects with an
   * `HttpError` when the job does not exist (404), and polling does not start
   */
  static pollGenerationStatus(
    generationId: string,
    onUpdate: (generation: Generation) => void,
    interval: number = DEFAULT_POLL_INTERVAL,
  ): Promise<() => void> {
    return pollStatus('generation', generationId, onUpdate as (snapshot: Generation | Composition) => void, interval);
  }

  /** Like {@link pollGenerationStatus}, for `GET /api/v1/compositions/{id}` (stops at completed or failed). */
  static pollCompositionStatus(
    compositionId: string,
    onUpdate: (composition: Composition) => void,
    interval: number = DEFAULT_POLL_INTERVAL,
  ): Promise<() => void> {
    return pollStatus('composition', compositionId, onUpdate as (snapshot: Generation | Composition) => void, interval);
  }
}

function follow(
  kind: JobKind,
  id: string,
  events$: Observable<WebSocketEvent>,
  client: JobStreams,
  handle: (event: WebSocketEvent) => void,
): () => void {
  const subscription = client.errors$
    .pipe(filter(({ job }) => !job || (job.kind === kind && job.id === id)))
    .subscribe(({ error }) => reportShared(error));
  subscription.add(
    events$.subscribe({
      next(event) {
        try {
          handle(event);
        } catch (cause) {
          reportShared(new EventHandlerError(event.type, cause));
        }
      },
      error: reportShared,
    }),
  );
  return () => subscription.unsubscribe();
}

function pollStatus(
  kind: JobKind,
  id: string,
  onUpdate: (snapshot: Generation | Composition) => void,
  interval: number,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const { options } = sharedSource();
    const subscription = new Subscription();
    const stop = () => subscription.unsubscribe();
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve(stop);
    };
    const onProblem = (error: Error) => {
      reportShared(error);
      settle();
    };
    subscription.add(
      pollSnapshots$(kind, id, { options, interval, onProblem }).subscribe({
        next(snapshot) {
          try {
            onUpdate(snapshot);
          } catch (cause) {
            reportShared(new EventHandlerError('onUpdate', cause));
          }
          settle();
        },
        error(error: Error) {
          if (settled) {
            reportShared(error);
            return;
          }
          settled = true;
          reject(error);
        },
        complete: settle,
      }),
    );
  });
}
