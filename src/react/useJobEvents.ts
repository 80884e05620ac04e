import { useMemo } from 'react';
import { useSubscription } from 'observable-hooks';
import type { WebSocketEvent } from '../protocol/events.js';
import type { JobKind } from '../protocol/resources.js';
import { dispatchJobEvent, HANDLER_OF_EVENT, type JobEventHandlers } from '../client/JobEventHandlers.js';
import { useJobStreams } from './useJobStreams.js';

/** Options of {@link useJobEvents}. */
export interface UseJobEventsOptions {
  /** Which kind of job `id` names. @default 'generation' */
  kind?: JobKind;
}

/**
 * Calls `handlers` for each event of a job, for side effects such as toasts. Renders nothing and
 * never re-renders the component.
 *
 * The handlers are kept in a ref (observable-hooks' `useSubscription`): passing a new object on
 * every render never resubscribes, and the latest handlers always receive the next event. Only a
 * new `id` or `kind` (or client) resubscribes.
 *
 * A handler that throws does not break the stream: the error is logged with `console.error` and
 * the next event is delivered as usual.
 *
 * Pitfall: a component mounting after some events (or remounting) first receives the job's
 * history so far, compressed to what a fresh snapshot gives (status, latest progress, each clip),
 * so a toast per clip may show again after a remount.
 *
 * @example
 * useJobEvents(id, {
 *   onClipCompleted: (clip) => toast(`Clip ${clip.clip_id} ready`),
 *   onCompleted: ({ video_url }) => navigate(`/watch?src=${encodeURIComponent(video_url)}`),
 * });
 * useJobEvents(compositionId, { onEncodingProgress: (p) => … }, { kind: 'composition' });
 */
export function useJobEvents(id: string, handlers: JobEventHandlers, { kind = 'generation' }: UseJobEventsOptions = {}): void {
  const client = useJobStreams();
  const events$ = useMemo(() => client[`${kind}Progress$`](id), [client, kind, id]);
  useSubscription(events$, (event: WebSocketEvent) => {
    try {
      dispatchJobEvent(event, handlers);
    } catch (error) {
      console.error(`jobstream: a useJobEvents ${HANDLER_OF_EVENT[event.type]} handler threw; the stream goes on.`, error);
    }
  });
}
