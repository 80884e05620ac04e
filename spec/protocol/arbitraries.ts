// fast-check arbitraries shared by the protocol specs: valid payloads, realistic job timelines,
// and JSON texts whose objects carry `__proto__`/`constructor`/`prototype` as own keys.
import fc from 'fast-check';
import {
  JOB_FAILED,
  type ClipCompletedEvent,
  type EncodingProgressEvent,
  type JobKind,
  type JobStatus,
  type ProgressEvent,
  type WebSocketEvent,
  type WebSocketEventOf,
  type WebSocketEventType,
} from '../../src/protocol/index.js';

const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
const path = fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const query = fc.option(fc.stringMatching(/^[a-z0-9]{1,6}=[a-z0-9%]{0,8}$/), { nil: undefined });
const fragment = fc.option(fc.stringMatching(/^[a-z0-9-]{0,8}$/), { nil: undefined });
const host = fc.oneof(fc.domain(), fc.constantFrom('localhost:5173', '127.0.0.1:8080', '[::1]:3000'));

/** http(s) URLs and root-relative paths, with an optional query and fragment. */
export const safeUrl: fc.Arbitrary<string> = fc
  .record({
    origin: fc.option(
      fc.tuple(fc.constantFrom('http://', 'https://', 'HTTPS://'), host).map(([scheme, name]) => scheme + name),
      { nil: '' },
    ),
    path,
    query,
    fragment,
  })
  .map(({ origin, path, query, fragment }) =>
    [origin, path, query === undefined ? '' : `?${query}`, fragment === undefined ? '' : `#${fragment}`].join(''),
  );

/** Free text as the wire may carry it, lone surrogates included (JSON keeps them as escapes). */
const text = fc.string({ unit: 'binary', maxLength: 40 });
/** Ids stay far below `MAX_ID_LENGTH` even when every unit is a surrogate pair. */
const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const count = fc.maxSafeNat();
const seconds = fc.double({ min: 0, max: 1e9, noNaN: true });
const percentage = fc.double({ min: 0, max: 100, noNaN: true });
const jobStatus = fc.constantFrom<JobStatus>('queued', 'processing', 'encoding', 'completed', 'failed', 'cancelled');

/** A valid `data` for each event. */
export const validData: { [K in WebSocketEventType]: fc.Arbitrary<WebSocketEventOf<K>['data']> } = {
  progress: fc.record({ step: text, clip_number: count, total_clips: count, percentage, message: text }),
  clip_completed: fc.record({ clip_id: id, thumbnail_url: safeUrl, duration: seconds }),
  status_change: fc.record({ old_status: jobStatus, new_status: jobStatus, message: text }),
  completed: fc.record({ video_url: safeUrl, thumbnail_url: safeUrl, duration: seconds }),
  error: fc.record({ code: id, message: text, recoverable: fc.boolean() }),
  encoding_progress: fc.record({
    percentage,
    frames_processed: count,
    total_frames: count,
    estimated_remaining: seconds,
  }),
};

/** Any valid event, discriminated by `type`. */
export const validEvent: fc.Arbitrary<WebSocketEvent> = fc.oneof(
  ...(Object.keys(validData) as WebSocketEventType[]).map((type) =>
    (validData[type] as fc.Arbitrary<WebSocketEvent['data']>).map((data) => ({ type, data }) as WebSocketEvent),
  ),
);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * JSON text whose objects mix `__proto__`, `constructor` and `prototype` keys with ordinary ones,
 * at any depth. `JSON.parse` makes them own properties, exactly as a payload off the wire would.
 */
export const dangerousJsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }).map((leaf) => JSON.stringify(leaf)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(
        fc.tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string({ maxLength: 6 })), tie('value')),
        { maxLength: 5 },
      )
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
    fc.constant('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
  ),
})).value;

type Step =
  | { tag: 'progress'; event: ProgressEvent | EncodingProgressEvent }
  | { tag: 'clip'; event: ClipCompletedEvent }
  | { tag: 'resend_clip' }
  | { tag: 'recoverable_error'; code: string; message: string };

type Terminal = 'completed' | 'completed_after_status_change' | 'failed' | 'cancelled';

/** A job's lifetime as its server would send it, and what that job is. */
export interface Timeline {
  kind: JobKind;
  id: string;
  events: WebSocketEvent[];
  /** Index in `events` of the terminal event, if the job ended. */
  terminalIndex: number | undefined;
}

function stepArbitrary(kind: JobKind): fc.Arbitrary<Step> {
  const progress: fc.Arbitrary<Step> =
    kind === 'generation'
      ? validData.progress.map((data) => ({ tag: 'progress', event: { type: 'progress', data } }))
      : validData.encoding_progress.map((data) => ({ tag: 'progress', event: { type: 'encoding_progress', data } }));
  const recoverable: fc.Arbitrary<Step> = fc
    .record({ code: id, message: text })
    .map(({ code, message }) => ({ tag: 'recoverable_error', code, message }));
  if (kind === 'composition') return fc.oneof(progress, recoverable);
  const clip: fc.Arbitrary<Step> = validData.clip_completed.map((data) => ({
    tag: 'clip',
    event: { type: 'clip_completed', data },
  }));
  return fc.oneof(progress, clip, fc.constant<Step>({ tag: 'resend_clip' }), recoverable);
}

function terminalEvents(kind: JobKind, terminal: Terminal, done: WebSocketEventOf<'completed'>['data']): WebSocketEvent[] {
  const running: JobStatus = kind === 'generation' ? 'processing' : 'encoding';
  switch (terminal) {
    case 'completed':
      return [{ type: 'completed', data: done }];
    case 'completed_after_status_change':
      // guards.ts: a status_change to completed is not terminal, the `completed` with the video follows.
      return [
        { type: 'status_change', data: { old_status: running, new_status: 'completed', message: 'done' } },
        { type: 'completed', data: done },
      ];
    case 'failed':
      return [{ type: 'error', data: { code: JOB_FAILED, message: 'encoder crashed', recoverable: false } }];
    case 'cancelled':
      return [{ type: 'status_change', data: { old_status: running, new_status: 'cancelled', message: '' } }];
  }
}

function timelineOf(kind: JobKind): fc.Arbitrary<Timeline> {
  const terminals: Terminal[] =
    kind === 'generation'
      ? ['completed', 'completed_after_status_change', 'failed', 'cancelled']
      : ['completed', 'completed_after_status_change', 'failed'];
  return fc
    .record({
      id,
      started: kind === 'generation' ? fc.constant(true) : fc.boolean(),
      steps: fc.array(stepArbitrary(kind), { maxLength: 25 }),
      terminal: fc.option(fc.constantFrom(...terminals), { nil: undefined }),
      done: validData.completed,
    })
    .map(({ id, started, steps, terminal, done }) => {
      const running: JobStatus = kind === 'generation' ? 'processing' : 'encoding';
      const events: WebSocketEvent[] = started
        ? [{ type: 'status_change', data: { old_status: 'queued', new_status: running, message: 'started' } }]
        : [];
      let highest = 0;
      const clips: ClipCompletedEvent[] = [];
      steps.forEach((step, index) => {
        switch (step.tag) {
          case 'progress': {
            // Percentages only rise, as a server reports them.
            highest = Math.max(highest, step.event.data.percentage);
            events.push({ ...step.event, data: { ...step.event.data, percentage: highest } } as WebSocketEvent);
            break;
          }
          case 'clip': {
            const clip: ClipCompletedEvent = {
              type: 'clip_completed',
              data: { ...step.event.data, clip_id: `${step.event.data.clip_id}#${index}` },
            };
            clips.push(clip);
            events.push(clip);
            break;
          }
          case 'resend_clip': {
            const last = clips.at(-1);
            if (last) events.push(last);
            break;
          }
          case 'recoverable_error':
            events.push({ type: 'error', data: { code: step.code, message: step.message, recoverable: true } });
            break;
        }
      });
      const ending = terminal === undefined ? [] : terminalEvents(kind, terminal, done);
      events.push(...ending);
      return { kind, id, events, terminalIndex: terminal === undefined ? undefined : events.length - 1 };
    });
}

/** A realistic generation or composition timeline. */
export const timeline: fc.Arbitrary<Timeline> = fc.oneof(timelineOf('generation'), timelineOf('composition'));
