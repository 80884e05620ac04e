import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobServer, MAX_JOB_STEPS, TooManyJobsError, type JobServer } from '../../src/server/index.js';
import { printFigure } from '../helpers/printFigure.js';
import { heapAfterGc } from './heapAfterGc.js';
import { httpRequest, postJson } from './helpers.js';

const MB = 1024 * 1024;
// Far enough that no job of these tests sends an event while they run.
const NEVER = 2 ** 31 - 1;

describe('createRestHandler', () => {
  let server: JobServer;

  beforeEach(async () => {
    server = await createJobServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('creating jobs', () => {
    it('should answer frames=1e7 and clips=1000 × progressPerClip=1000 at once with a 400, allocating nothing', async () => {
      const before = heapAfterGc();
      const started = performance.now();
      const frames = await postJson(server, '/api/v1/compositions', { frames: 1e7, stepMs: NEVER });
      const clips = await postJson(server, '/api/v1/generations', { clips: 1000, progressPerClip: 1000, stepMs: NEVER });
      const elapsedMs = performance.now() - started;
      const grownMb = (heapAfterGc() - before) / MB;
      printFigure({ test: 'rest: frames=1e7 and clips=1000×1000', statuses: [frames.status, clips.status], elapsedMs, grownMb });

      expect(frames).toMatchObject({
        status: 400,
        body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining(`at most ${MAX_JOB_STEPS}`) } },
      });
      expect(clips).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('fewer clips or progressPerClip') } },
      });
      expect(server.jobs.list()).toEqual([]);
      expect(elapsedMs).toBeLessThan(1000);
      expect(grownMb).toBeLessThan(5);
    });

    it('should build events step by step: 40 jobs of 9,003 events each cost under 2 MB in all', async () => {
      const before = heapAfterGc();
      for (let n = 0; n < 40; n++) {
        const created = await postJson(server, '/api/v1/generations', { clips: 1000, progressPerClip: 8, stepMs: NEVER });
        expect(created.status).toBe(201);
      }
      const grownMb = (heapAfterGc() - before) / MB;
      printFigure({ test: 'rest: 40 jobs of 9,003 events', grownMb });

      expect(server.jobs.list()).toHaveLength(40);
      // Built up front, each job's 9,003 events took about 3.6 MB (144 MB for the 40).
      expect(grownMb).toBeLessThan(2);
    });

    it('should refuse a stepMs of 2^31 ms or more, which a timer cannot wait', async () => {
      const refused = await postJson(server, '/api/v1/generations', { stepMs: 2 ** 31 });
      expect(refused).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('stepMs') } } });
      expect(() => server.jobs.startComposition({ stepMs: 1e12 })).toThrow(/stepMs must be a number from 0 to 2147483647/);
      expect((await postJson(server, '/api/v1/generations', { stepMs: NEVER })).status).toBe(201);
    });

    it('should refuse a POST that is not application/json with a 415, creating and cancelling nothing', async () => {
      const id = server.jobs.startGeneration({ stepMs: NEVER });
      // What a cross-site page can send without a preflight: text/plain, a form.
      const plain = await httpRequest(server, '/api/v1/generations', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: '{"clips":1}',
      });
      const form = await httpRequest(server, `/api/v1/generations/${id}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'x=1',
      });
      const none = await httpRequest(server, `/api/v1/generations/${id}/cancel`, { method: 'POST' });

      for (const answer of [plain, form, none]) {
        expect(answer).toMatchObject({
          status: 415,
          body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') } },
        });
      }
      expect(server.jobs.list()).toEqual([{ id, status: 'queued' }]);
      const cancelled = await postJson(
        server,
        `/api/v1/generations/${id}/cancel`,
        {},
        { 'content-type': 'application/json; charset=utf-8' },
      );
      expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
    });
  });

  describe('with maxLiveJobs and maxFinishedJobs', () => {
    beforeEach(async () => {
      await server.close();
      server = await createJobServer({ maxLiveJobs: 2, maxFinishedJobs: 1 });
    });

    it('should refuse a job beyond maxLiveJobs with a 429, and forget the job that ended first beyond maxFinishedJobs', async () => {
      const create = () => postJson(server, '/api/v1/generations', { stepMs: NEVER });
      const [a, b] = await Promise.all([create(), create()]);
      const tooMany = await create();
      expect(tooMany).toMatchObject({
        status: 429,
        body: { error: { code: 'TOO_MANY_JOBS', message: expect.stringContaining('maxLiveJobs') } },
      });
      expect(() => server.jobs.createComposition()).toThrow(TooManyJobsError);

      const [first, second] = [a, b].map((answer) => (answer.body as { id: string }).id) as [string, string];
      server.jobs.cancel(first);
      const third = await create();
      expect(third.status).toBe(201);
      expect((await httpRequest(server, `/api/v1/generations/${first}`)).status).toBe(200);
      server.jobs.cancel(second);
      expect((await httpRequest(server, `/api/v1/generations/${first}`)).status).toBe(404);
      expect((await httpRequest(server, `/api/v1/generations/${second}`)).body).toMatchObject({ status: 'cancelled' });
      expect(server.jobs.list()).toHaveLength(2);
    });
  });

  describe('every answer', () => {
    it('should carry X-Content-Type-Options: nosniff', async () => {
      const id = server.jobs.createGeneration({ stepMs: NEVER });
      const answers = await Promise.all([
        httpRequest(server, `/api/v1/generations/${id}`),
        httpRequest(server, `/api/v1/generations/${encodeURIComponent('<script>alert(1)</script>')}`),
        postJson(server, '/api/v1/generations', { clips: 1 }),
        postJson(server, '/api/v1/generations', { clips: -1 }),
        httpRequest(server, '/api/v1/generations', { method: 'POST', body: 'x' }),
        postJson(server, `/api/v1/generations/${id}/cancel`, {}),
        httpRequest(server, '/api/v1/thumbnails/gen_1/2.svg'),
        httpRequest(server, '/api/v1/videos/gen_1.mp4'),
        httpRequest(server, '/nothing/here'),
      ]);

      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 201, 400, 415, 200, 200, 200, 404]);
      expect(answers.map((answer) => answer.headers['x-content-type-options'])).toEqual(answers.map(() => 'nosniff'));
      // The 404 still echoes the id it was asked for, as JSON a browser will not sniff as HTML.
      expect(answers[1].body).toMatchObject({ error: { message: expect.stringContaining('<script>') } });
    });
  });

  describe('restHits', () => {
    it('should count GETs of known jobs only: 2,000 unknown 8 KB ids keep nothing', async () => {
      const id = server.jobs.createGeneration({ stepMs: NEVER });
      const before = heapAfterGc();
      for (let n = 0; n < 2000; n += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, k) => httpRequest(server, `/api/v1/generations/${String(n + k).padStart(8192, 'x')}`)),
        );
      }
      const grownMb = (heapAfterGc() - before) / MB;
      printFigure({ test: 'rest: 2,000 unknown 8 KB ids', grownMb });
      await httpRequest(server, `/api/v1/generations/${id}`);

      expect(server.control.restHits(id)).toBe(1);
      expect(server.control.restHits('0'.padStart(8192, 'x'))).toBe(0);
      // Each unknown id used to be kept with its count: 2,000 × 8 KB (16 MB).
      expect(grownMb).toBeLessThan(4);
    });
  });
});
