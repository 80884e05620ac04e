import * as v from 'valibot';
import { SafeUrlSchema } from './safeUrl.js';

/** Longest free text (messages, step names) accepted from the wire. */
export const MAX_TEXT_LENGTH = 10_000;
/** Longest identifier (job ids, clip ids, error codes) accepted from the wire. */
export const MAX_ID_LENGTH = 256;

const Text = v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));
const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0));
const Percentage = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(100));

/** Status of a generation job. */
export const GenerationStatusSchema = v.picklist(['queued', 'processing', 'completed', 'failed', 'cancelled']);
/** Status of a generation job: `queued | processing | completed | failed | cancelled`. */
export type GenerationStatus = v.InferOutput<typeof GenerationStatusSchema>;

/** Status of a composition job. */
export const CompositionStatusSchema = v.picklist(['queued', 'encoding', 'completed', 'failed']);
/** Status of a composition job: `queued | encoding | completed | failed`. */
export type CompositionStatus = v.InferOutput<typeof CompositionStatusSchema>;

/** Any job status; `status_change` carries these so compositions can report theirs too. */
export const JobStatusSchema = v.picklist(['queued', 'processing', 'encoding', 'completed', 'failed', 'cancelled']);
/** Any job status, generation or composition. */
export type JobStatus = v.InferOutput<typeof JobStatusSchema>;

/** Payload of `progress`. */
export const ProgressDataSchema = v.object({
  step: Text,
  clip_number: Count,
  total_clips: Count,
  percentage: Percentage,
  message: Text,
});

/** Payload of `clip_completed`; also the shape of each entry of `Generation.clips`. */
export const ClipCompletedDataSchema = v.object({
  clip_id: Id,
  thumbnail_url: SafeUrlSchema,
  duration: Seconds,
});

/** Payload of `status_change`. */
export const StatusChangeDataSchema = v.object({
  old_status: JobStatusSchema,
  new_status: JobStatusSchema,
  message: Text,
});

/** Payload of `completed`: the final video. */
export const CompletedDataSchema = v.object({
  video_url: SafeUrlSchema,
  thumbnail_url: SafeUrlSchema,
  duration: Seconds,
});

/** Payload of `error`. A non-recoverable error ends the job. */
export const ErrorDataSchema = v.object({
  code: Id,
  message: Text,
  recoverable: v.boolean(),
});

/** Payload of `encoding_progress` (compositions). */
export const EncodingProgressDataSchema = v.object({
  percentage: Percentage,
  frames_processed: Count,
  total_frames: Count,
  estimated_remaining: Seconds,
});

/** Payload schema of each server-to-client event, by event name. */
export const EVENT_DATA_SCHEMAS = {
  progress: ProgressDataSchema,
  clip_completed: ClipCompletedDataSchema,
  status_change: StatusChangeDataSchema,
  completed: CompletedDataSchema,
  error: ErrorDataSchema,
  encoding_progress: EncodingProgressDataSchema,
} as const;

/** Name of a server-to-client event. */
export type WebSocketEventType = keyof typeof EVENT_DATA_SCHEMAS;

/** The event names, in the plan's order. */
export const WEBSOCKET_EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as readonly WebSocketEventType[];

/** A step of a generation advanced. */
export interface ProgressEvent {
  type: 'progress';
  data: v.InferOutput<typeof ProgressDataSchema>;
}
/** One clip of a generation is ready. */
export interface ClipCompletedEvent {
  type: 'clip_completed';
  data: v.InferOutput<typeof ClipCompletedDataSchema>;
}
/** The job moved from one status to another. */
export interface StatusChangeEvent {
  type: 'status_change';
  data: v.InferOutput<typeof StatusChangeDataSchema>;
}
/** The final video is ready. Terminal. */
export interface CompletedEvent {
  type: 'completed';
  data: v.InferOutput<typeof CompletedDataSchema>;
}
/** Something went wrong; terminal when `recoverable` is false. */
export interface ErrorEvent {
  type: 'error';
  data: v.InferOutput<typeof ErrorDataSchema>;
}
/** A composition's encoder advanced. */
export interface EncodingProgressEvent {
  type: 'encoding_progress';
  data: v.InferOutput<typeof EncodingProgressDataSchema>;
}

/** Any validated server-to-client event, discriminated by `type`. */
export type WebSocketEvent =
  ProgressEvent | ClipCompletedEvent | StatusChangeEvent | CompletedEvent | ErrorEvent | EncodingProgressEvent;

/** The event of a given name. */
export type WebSocketEventOf<K extends WebSocketEventType> = Extract<WebSocketEvent, { type: K }>;

/** A handler of one event's payload. */
export type EventHandler<T = unknown> = (data: T) => void;
