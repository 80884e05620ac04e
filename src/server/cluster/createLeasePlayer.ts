import { randomBytes } from 'node:crypto';
import {
  catchError,
  EMPTY,
  exhaustMap,
  firstValueFrom,
  from,
  noop,
  race,
  timer,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { JobRecord } from '../JobRecord.js';
import type { JobTimeline } from '../JobTimeline.js';
import { playStep } from '../playStep.js';
import { timelineOf } from '../timelineOf.js';
import type { JobRecords } from './createJobRecords.js';

/** Options of {@link createLeasePlayer}. */
export interface LeasePlayerConfig {
  records: JobRecords;
  /** This node's id: the first part of its lease token, so a lease tells which node plays a job. */
  nodeId: string;
  /** How long a lease lasts unless renewed; renewed, and free leases looked for, every sixth of it. */
  leaseTtlMs: number;
  scheduler: SchedulerLike;
  /** Prefix of media URLs, the same on every node. */
  mediaOrigin: string;
}

/** Plays the running jobs whose lease this node holds. */
export interface LeasePlayer {
  /** This node's lease token (`<nodeId>:<random>`), for a job created with its lease (`JobRecords.create`). */
  readonly token: string;
  /** Takes the lease of a job if it is free, and plays the job from its recorded step if so. */
  claim(id: string): Promise<void>;
  /** Plays a job whose lease was just given to {@link LeasePlayer.token}, from its recorded step. */
  play(id: string): Promise<void>;
  /** Ids of the jobs this node holds the lease of (a job just taken may still be read). */
  held(): string[];
  /** Stops playing and gives the leases back, so other nodes take them at their next beat. */
  close(): Promise<void>;
}

/** A job this node plays. `stale`: its record must be read again before the next step. */
interface Played {
  rev: number;
  record: JobRecord;
  timeline: JobTimeline;
  stale: boolean;
  steps?: Subscription;
}

// How long closing waits for Redis to take the leases back before leaving them to expire.
const RELEASE_WAIT_MS = 1000;

/**
 * The lease side of a cluster's job store. Each running job is played by the node holding its
 * lease: every `stepMs` it writes the next step (record and broadcast, one script), which only
 * succeeds while the lease is still its own and nobody else wrote first. Every sixth of the TTL
 * the node renews its leases (a lost one stops its job here) and takes those of active jobs that
 * have none: their node died, or closed and gave them back. A step whose answer was lost (Redis
 * away) is not retried blindly: the record is read again first.
 *
 * @example
 * const player = createLeasePlayer({ records, nodeId: 'node-1', leaseTtlMs: 3000, scheduler, mediaOrigin: '' });
 * await player.claim(id); // just created here: played here
 */
export function createLeasePlayer(config: LeasePlayerConfig): LeasePlayer {
  const { records, nodeId, leaseTtlMs, scheduler, mediaOrigin } = config;
  // Unique per process: a node restarted under the same id must not think it holds its past leases.
  const token = `${nodeId}:${randomBytes(6).toString('hex')}`;
  const played = new Map<string, Played>();
  // Leases taken whose record is being read: renewed like the others, played once read.
  const adopting = new Set<string>();
  let closed = false;

  const held = () => [...played.keys(), ...adopting];
  const giveBack = (ids: readonly string[]) => records.release(token, ids).catch(noop);

  function drop(id: string, release: boolean): void {
    adopting.delete(id);
    played.get(id)?.steps?.unsubscribe();
    played.delete(id);
    if (release) void giveBack([id]);
  }

  /** Plays a job this node just took the lease of, from its recorded step. */
  async function adopt(id: string): Promise<void> {
    // A job claimed twice (by a start and a beat) is played once.
    if (closed || played.has(id) || adopting.has(id)) return;
    adopting.add(id);
    const loaded = await records.load(id).catch(() => undefined);
    // Dropped meanwhile (the lease was lost, the player closed): not this node's to play.
    if (!adopting.delete(id)) return;
    if (loaded?.record.state !== 'running') return void giveBack([id]);
    const job: Played = { ...loaded, timeline: timelineOf(loaded.record, mediaOrigin), stale: false };
    played.set(id, job);
    const { stepMs } = loaded.record.plan;
    const next = () =>
      from(step(id, job)).pipe(
        catchError(() => {
          // Redis did not answer: whether the step was written is unknown until the record is read again.
          job.stale = true;
          return EMPTY;
        }),
      );
    job.steps = timer(stepMs, stepMs, scheduler).pipe(exhaustMap(next)).subscribe();
  }

  async function step(id: string, job: Played): Promise<void> {
    if (job.stale) {
      const fresh = await records.load(id);
      // Stalled or ended by another node's request, or forgotten: this node's part is over.
      if (fresh?.record.state !== 'running') {
        drop(id, fresh !== undefined);
        return;
      }
      Object.assign(job, { ...fresh, stale: false });
    }
    // A timeline with no step left ends the job (it cannot happen with a record `playStep` wrote).
    const { event, record } = playStep(job.record, job.timeline) ?? { record: { ...job.record, state: 'done' as const } };
    const answer = await records.commit(job.rev, record, event, token);
    if (played.get(id) !== job) return;
    if (answer === 'conflict') job.stale = true;
    else if (answer !== 'ok') drop(id, false);
    else {
      job.rev++;
      job.record = record;
      // The script gave the lease of an ended job back.
      if (record.state !== 'running') drop(id, false);
    }
  }

  async function beat(): Promise<void> {
    const { lost, claimed } = await records.beat(token, leaseTtlMs, held());
    for (const id of lost) drop(id, false);
    for (const id of claimed) void adopt(id);
  }

  const beats = timer(0, leaseTtlMs / 6, scheduler)
    .pipe(exhaustMap(() => from(beat()).pipe(catchError(() => EMPTY))))
    .subscribe();

  return {
    token,
    async claim(id) {
      if (await records.claim(id, token, leaseTtlMs)) await adopt(id);
    },
    play: adopt,
    held,
    async close() {
      closed = true;
      beats.unsubscribe();
      const ids = held();
      for (const id of ids) drop(id, false);
      // A Redis that is away would keep this waiting: the leases then expire by themselves.
      await firstValueFrom(race(from(giveBack(ids)), timer(RELEASE_WAIT_MS, scheduler)));
    },
  };
}
