/** The IPC contract between `bench/fanout.ts` and each `bench/fanoutClient.ts` process. */
export type FanoutSide = 'raw' | 'jobstream';

export type FanoutCommand =
  /** Warm up on `warmupIds`, then subscribe every job of `ids` and report the time it took. */
  | { op: 'subscribe'; side: FanoutSide; url: string; ids: readonly string[]; warmupIds: readonly string[] }
  | { op: 'weigh' }
  | { op: 'dispose' }
  | { op: 'exit' };

export type FanoutReport =
  | { phase: 'subscribed'; subscribeAllMs: number }
  | { phase: 'weighed'; heapPerJobKB: number }
  | { phase: 'disposed'; disposeMs: number }
  | { phase: 'exiting'; activeResources: string[] }
  | { phase: 'failed'; error: string };
