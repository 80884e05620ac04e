import type {
  ClipCompletedEvent,
  CompletedEvent,
  EncodingProgressEvent,
  ErrorEvent,
  ProgressEvent,
  StatusChangeEvent,
} from '../protocol/events.js';

/**
 * Side effects for a job's events (toasts, analytics, navigation), one optional handler per
 * event, each given the event's validated `data`. See `useJobEvents`.
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
