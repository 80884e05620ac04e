import type {
  ClipCompletedEvent,
  CompletedEvent,
  EncodingProgressEvent,
  ErrorEvent,
  ProgressEvent,
  StatusChangeEvent,
  WebSocketEvent,
  WebSocketEventType,
} from '../protocol/events.js';

/**
 * Side effects for a job's events (toasts, analytics, navigation), one optional handler per
 * event, each given the event's validated `data`. Used by `useJobEvents` and the plan's `WebSocketService`.
 */
export interface JobEventHandlers {
  /** A generation step advanced (throttled, never backwards). */
  onProgress?: (data: ProgressEvent['data']) => void;
  /** A clip is ready; called once per clip. */
  onClipCompleted?: (data: ClipCompletedEvent['data']) => void;
  /** The job's status changed. */
  onStatusChange?: (data: StatusChangeEvent['data']) => void;
  /** The final video is ready; called once. */
  onCompleted?: (data: CompletedEvent['data']) => void;
  /** The job reported an error; it ended the job when `recoverable` is false. */
  onError?: (data: ErrorEvent['data']) => void;
  /** A composition's encoder advanced (throttled, never backwards). */
  onEncodingProgress?: (data: EncodingProgressEvent['data']) => void;
}

/** The handler that receives each event type. */
export const HANDLER_OF_EVENT = {
  progress: 'onProgress',
  clip_completed: 'onClipCompleted',
  status_change: 'onStatusChange',
  completed: 'onCompleted',
  error: 'onError',
  encoding_progress: 'onEncodingProgress',
} as const satisfies Record<WebSocketEventType, keyof JobEventHandlers>;

/**
 * Calls the handler of `event`'s type, if any, with its `data`. A throwing handler throws here;
 * callers decide how to report it.
 */
export function dispatchJobEvent(event: WebSocketEvent, handlers: JobEventHandlers): void {
  (handlers[HANDLER_OF_EVENT[event.type]] as ((data: WebSocketEvent['data']) => void) | undefined)?.(event.data);
}
