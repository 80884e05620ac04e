import * as v from 'valibot';
import {
  ClipCompletedDataSchema,
  CompositionStatusSchema,
  EncodingProgressDataSchema,
  GenerationStatusSchema,
  MAX_ID_LENGTH,
  MAX_TEXT_LENGTH,
  ProgressDataSchema,
} from './events.js';
import { SafeUrlSchema } from './safeUrl.js';

/** Most clips a generation may report; bounds the work a hostile snapshot can cause. */
export const MAX_CLIPS = 1000;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));

/** Why a job failed, as a snapshot reports it. */
export const JobFailureSchema = v.object({
  code: Id,
  message: v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH)),
});
/** Why a job failed. */
export type JobFailure = v.InferOutput<typeof JobFailureSchema>;

/** `GET /api/v1/generations/{id}`, and the ack of a generation `subscribe`. */
export const GenerationSchema = v.object({
  id: Id,
  status: GenerationStatusSchema,
  progress: v.optional(ProgressDataSchema),
  clips: v.optional(v.pipe(v.array(ClipCompletedDataSchema), v.maxLength(MAX_CLIPS))),
  video_url: v.optional(SafeUrlSchema),
  thumbnail_url: v.optional(SafeUrlSchema),
  duration: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  error: v.optional(JobFailureSchema),
});
/** A generation job's snapshot. */
export type Generation = v.InferOutput<typeof GenerationSchema>;

/** `GET /api/v1/compositions/{id}`, and the ack of a composition `subscribe`. */
export const CompositionSchema = v.object({
  id: Id,
  status: CompositionStatusSchema,
  progress: v.optional(EncodingProgressDataSchema),
  video_url: v.optional(SafeUrlSchema),
  thumbnail_url: v.optional(SafeUrlSchema),
  duration: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  error: v.optional(JobFailureSchema),
});
/** A composition job's snapshot. */
export type Composition = v.InferOutput<typeof CompositionSchema>;

/** Either kind of job snapshot. */
export type JobSnapshot = Generation | Composition;

/** The two kinds of job, named as in their URLs. */
export type JobKind = 'generation' | 'composition';
