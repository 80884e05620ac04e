import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import { FAST } from '../helpers/liveClient.js';
import { printFigure } from '../helpers/printFigure.js';

/** Active handle kinds that a closed client must not leave behind. */
const WATCHED_RESOURCES = ['Timeout', 'TCPSocketWrap', 'Immediate'] as const;

/** V8 spaces holding compiled code: JIT output, bounded by the program, not by how often it runs. */
const CODE_SPACES = new Set(['code_space', 'code_large_object_space']);

/** Heap in use after full collections: all of it, and the part outside the code spaces. */
export interface Heap {
  usedBytes: number;
  dataBytes: number;
}

/** {@link Heap} after full collections; requires `--expose-gc` (see vitest.leaks.config.ts). */
export async function collectedHeap(): Promise<Heap> {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('leak specs need --expose-gc: run them with `npm run test:leaks`.');
  // Finalizers and weak callbacks can leave work for a second pass, and promise jobs for a turn.
  for (let pass = 0; pass < 3; pass++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const spaces = getHeapSpaceStatistics();
  const code = spaces.filter((space) => CODE_SPACES.has(space.space_name)).reduce((sum, space) => sum + space.space_used_size, 0);
  const usedBytes = process.memoryUsage().heapUsed;
  return { usedBytes, dataBytes: usedBytes - code };
}

/** Counts of the watched kinds in `process.getActiveResourcesInfo()`. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED_RESOURCES.map((kind) => [kind, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * Waits until no watched kind of active resource outnumbers `baseline` (a transient timer of the
 * test runner may have been counted in the baseline and be gone since, so fewer is fine).
 */
export function resourcesBackTo(baseline: Record<string, number>): Promise<void> {
  const over = () => Object.entries(activeResources()).filter(([kind, count]) => count > (baseline[kind] ?? 0));
  return eventually(
    () => over().length === 0,
    () => `active resources back to ${JSON.stringify(baseline)}, still over: ${JSON.stringify(Object.fromEntries(over()))}`,
  );
}

/** Listener count of every event `target` has listeners for, by event name. */
export function listenerCounts(target: NodeJS.EventEmitter): Record<string, number> {
  return Object.fromEntries(target.eventNames().map((name) => [String(name), target.listenerCount(name)]));
}

/** Resolves once `check()` is true, polling; rejects with `what()` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Most heap that cycles may leave behind after the warm-up (issue 7). */
export const HEAP_BUDGET_BYTES = 1024 * 1024;

/** What {@link measureCycles} measured. */
export interface CycleFigures {
  warmupCycles: number;
  /**
   * Growth of the heap outside the code spaces across the measured cycles: what the budget is
   * checked against. Code that V8 compiles while the cycles run (a function turning hot, a path
   * first taken) is reported beside it, in `heapUsedGrowthBytes`, and is not a leak.
   */
  heapGrowthBytes: number;
  heapUsedGrowthBytes: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  seconds: number;
}

/**
 * Runs `cycles` cycles of `cycle(index)`, the first 10 % as a warm-up (JIT, caches, pools), and
 * measures the heap across the rest, after full collections once `settle()` resolved (every
 * socket closed). `LEAK_SNAPSHOT=dir` writes heap snapshots before and after, to diff in DevTools.
 */
export async function measureCycles(
  cycles: number,
  cycle: (index: number) => Promise<void>,
  settle: () => Promise<void>,
): Promise<CycleFigures> {
  const started = performance.now();
  const warmupCycles = Math.ceil(cycles / 10);
  for (let index = 0; index < warmupCycles; index++) await cycle(index);
  await settle();
  const before = await collectedHeap();
  const snapshots = process.env.LEAK_SNAPSHOT;
  if (snapshots) writeHeapSnapshot(`${snapshots}/before.heapsnapshot`);
  for (let index = warmupCycles; index < cycles; index++) await cycle(index);
  await settle();
  const after = await collectedHeap();
  if (snapshots) writeHeapSnapshot(`${snapshots}/after.heapsnapshot`);
  return {
    warmupCycles,
    heapGrowthBytes: after.dataBytes - before.dataBytes,
    heapUsedGrowthBytes: after.usedBytes - before.usedBytes,
    heapBeforeBytes: before.usedBytes,
    heapAfterBytes: after.usedBytes,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

export { printFigure };

/**
 * The integration tests' FAST options with the default polling grace (3 s): a job that takes
 * 100 ms to subscribe on a busy machine would otherwise poll REST, and the HTTP keep-alive
 * sockets of those polls would be weighed as growth. Polling itself is not under test here.
 */
export const LEAK_OPTIONS: JobStreamsOptions = { ...FAST, polling: { interval: 5000, grace: 3000 } };
