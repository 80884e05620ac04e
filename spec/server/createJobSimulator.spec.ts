import { describe, expect, it } from 'vitest';
import { VirtualTimeScheduler } from 'rxjs';
import { createJobSimulator, TooManyJobsError, type JobNotice } from '../../src/server/index.js';
import { parseSnapshot } from '../../src/protocol/index.js';

function setup() {
  const scheduler = new VirtualTimeScheduler();
  let changes = 0;
  let ids = 0;
  const jobs = createJobSimulator({ scheduler, onChange: () => changes++, newId: (prefix) => `${prefix}_${++ids}` });
  const notices: JobNotice[] = [];
  jobs.events$.subscribe((notice) => notices.push(notice));
  return { jobs, notices, scheduler, changes: () => changes };
}

describe('createJobSimulator', () => {
  it('should send one event per stepMs and fold each into the snapshot before publishing it', () => {
    const { jobs, notices, scheduler } = setup();
    const id = jobs.startGeneration({ clips: 1, progressPerClip: 1, stepMs: 10 });
    const seen: unknown[] = [];
    jobs.events$.subscribe(() => seen.push(jobs.get(id)?.status));

    scheduler.maxFrames = 10;
    scheduler.flush();
    expect(notices.map((notice) => notice.event.type)).toEqual(['status_change']);
    expect(seen).toEqual(['processing']);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(id).toBe('gen_1');
    expect(notices.map((notice) => notice.event.type)).toEqual(['status_change', 'progress', 'clip_completed', 'progress', 'completed']);
    expect(jobs.info(id)).toMatchObject({ state: 'done', step: 5 });
    expect(scheduler.actions).toHaveLength(0);
  });

  it('should cancel a generation with status_change and a composition with a CANCELLED error', () => {
    const { jobs, notices } = setup();
    const generation = jobs.startGeneration();
    const composition = jobs.createComposition();

    expect([jobs.cancel(generation), jobs.cancel(composition)]).toEqual([true, true]);
    expect(notices.map((notice) => notice.event)).toEqual([
      { type: 'status_change', data: { old_status: 'queued', new_status: 'cancelled', message: 'Cancelled' } },
      { type: 'error', data: { code: 'CANCELLED', message: expect.any(String), recoverable: false } },
    ]);
    expect(parseSnapshot('composition', jobs.get(composition)).ok).toBe(true);
    expect([jobs.cancel(generation), jobs.fail(composition), jobs.start(composition)]).toEqual([false, false, false]);
  });

  it('should fail a job with a code of its kind unless told otherwise', () => {
    const { jobs } = setup();
    const [a, b] = [jobs.startGeneration(), jobs.startComposition()];
    jobs.fail(a);
    jobs.fail(b, 'OUT_OF_DISK', 'Disk full');
    expect(jobs.get(a)).toMatchObject({ status: 'failed', error: { code: 'GENERATION_FAILED' } });
    expect(jobs.get(b)).toMatchObject({ status: 'failed', error: { code: 'OUT_OF_DISK', message: 'Disk full' } });
  });

  it('should emit extra events into a live job only', () => {
    const { jobs, notices } = setup();
    const id = jobs.createGeneration();
    const clip = { clip_id: 'x', thumbnail_url: '/t.svg', duration: 1 };
    expect(jobs.emit(id, { type: 'clip_completed', data: clip })).toBe(true);
    expect(jobs.emit(id, { type: 'clip_completed', data: clip })).toBe(true);
    expect(jobs.get(id)).toEqual({ id, status: 'queued', clips: [clip] });
    expect(notices).toHaveLength(2);
    expect(jobs.emit('gen_nope', { type: 'clip_completed', data: clip })).toBe(false);
  });

  it('should refuse bad options where they are given', () => {
    const { jobs } = setup();
    expect(() => jobs.startGeneration({ clips: 0 })).toThrow(/clips must be an integer/);
    expect(() => jobs.startComposition({ stepMs: -1 })).toThrow(/stepMs/);
    expect(() => jobs.startGeneration({ id: 'no/slash' })).toThrow(/must match/);
    jobs.createGeneration({ id: 'taken' });
    expect(() => jobs.createGeneration({ id: 'taken' })).toThrow(/already exists/);
    const id = jobs.createGeneration({ clips: undefined });
    expect(jobs.info(id)).toMatchObject({ kind: 'generation', plan: { clips: 3 } });
  });

  it('should refuse a job beyond maxLiveJobs and forget the first ended beyond maxFinishedJobs', () => {
    const scheduler = new VirtualTimeScheduler();
    const jobs = createJobSimulator({ scheduler, maxLiveJobs: 2, maxFinishedJobs: 2 });
    const [a, b] = [jobs.startGeneration({ clips: 1, stepMs: 10 }), jobs.createComposition()];
    expect(() => jobs.startGeneration()).toThrow(TooManyJobsError);
    expect(() => jobs.startGeneration()).toThrow(expect.objectContaining({ limit: 2 }));
    scheduler.flush();
    expect(jobs.get(a)?.status).toBe('completed');

    const c = jobs.createGeneration();
    jobs.cancel(b);
    jobs.cancel(c);
    expect([a, b, c].map((id) => jobs.get(id)?.status)).toEqual([undefined, 'failed', 'cancelled']);
    expect(jobs.records().map((record) => record.id)).toEqual([b, c]);
    expect(() => createJobSimulator({ maxLiveJobs: 0 })).toThrow(/maxLiveJobs must be an integer >= 1 or Infinity/);
  });

  it('should stop every timer on dispose and complete events$', () => {
    const { jobs, scheduler } = setup();
    let completed = false;
    jobs.events$.subscribe({ complete: () => (completed = true) });
    jobs.startGeneration();
    jobs.startComposition();
    jobs.dispose();
    expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
    expect(completed).toBe(true);
  });
});
