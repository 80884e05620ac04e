/**
 * `npm run example:console`: a reference server with a few simulated jobs, followed by a jobstream
 * client that prints each job's progress, for a terminal without a browser. Midway the socket is cut for two seconds
 * so the REST fallback can be seen carrying the jobs, then the socket takes over again; a message sent meanwhile waits
 * in the outbox (the `jobstream/outbox` plugin) and is delivered once the socket is back.
 */
import { distinctUntilChanged, lastValueFrom, map, merge } from 'rxjs';
import { createJobStreams, type JobState } from '../src/index.js';
import { outbox } from '../src/outbox.js';
import { createJobServer } from '../src/server/index.js';

const server = await createJobServer({ port: Number(process.env.PORT ?? 0) });
console.log(`reference server on ${server.url}`);

const jobs = [
  { kind: 'generation', id: server.jobs.startGeneration({ clips: 4, stepMs: 250 }) },
  { kind: 'generation', id: server.jobs.startGeneration({ clips: 3, stepMs: 300, failAtClip: 3 }) },
  { kind: 'composition', id: server.jobs.startComposition({ frames: 300, framesPerStep: 15, stepMs: 200 }) },
] as const;

const streams = createJobStreams({
  url: server.url,
  polling: { interval: 500, grace: 500 },
  reconnection: { delay: 250, maxDelay: 1000 },
  outbox: outbox(),
});
streams.connectionState$
  .pipe(
    map(({ status, transport, reconnectAttempts }) => `  link: ${status} over ${transport}${reconnectAttempts ? ` (attempt ${reconnectAttempts})` : ''}`),
    distinctUntilChanged(),
  )
  .subscribe((text) => console.log(text));
streams.outbox$
  .pipe(
    map((waiting) => `  outbox: ${waiting.length} message(s) waiting`),
    distinctUntilChanged(),
  )
  .subscribe((text) => console.log(text));

const line = (job: JobState) =>
  [
    job.id.padEnd(16),
    job.status.padEnd(10),
    `${job.percentage.toFixed(0).padStart(3)}%`,
    job.kind === 'generation' ? `clips ${job.clips.length}/${job.totalClips ?? '?'}` : `frames ${job.framesProcessed ?? 0}/${job.totalFrames ?? '?'}`,
    `via ${job.transport}`,
    job.videoUrl ? `video ${job.videoUrl}` : '',
    job.error ? `error ${job.error.code}` : '',
  ].join('  ');

const states = jobs.map(({ kind, id }) => (kind === 'generation' ? streams.generationState$(id) : streams.compositionState$(id)));
const done = lastValueFrom(merge(...states), { defaultValue: undefined });
merge(...states).subscribe((job) => console.log(line(job)));

setTimeout(() => {
  console.log('  -- cutting the socket for 2 s: polling takes over --');
  server.control.stopSocket();
  streams.send('note', { text: 'sent while the socket was cut' });
  setTimeout(() => {
    console.log('  -- socket back --');
    server.control.startSocket();
  }, 2000);
}, 1500);

await done;
console.log('all jobs ended');
streams.dispose();
await server.close();
