import type { JobKind } from '../../src/index.js';

/** A job the dashboard watches. */
export interface WatchedJob {
  kind: JobKind;
  id: string;
}

/** Most jobs a list keeps; older ones are forgotten first. */
export const MAX_WATCHED_JOBS = 20;

const ENTRY = /^(generation|composition):([A-Za-z0-9_-]{1,128})$/;

/**
 * Reads `generation:gen_x,composition:comp_y` (the `#jobs=` hash and the stored list). Entries
 * that are malformed or repeated are skipped, so a hand-edited URL never breaks the page.
 *
 * @example
 * parseJobList('generation:gen_1,bogus'); // [{ kind: 'generation', id: 'gen_1' }]
 */
export function parseJobList(text: string): WatchedJob[] {
  const jobs: WatchedJob[] = [];
  for (const entry of text.split(',')) {
    const match = ENTRY.exec(entry.trim());
    if (!match) continue;
    const job = { kind: match[1] as JobKind, id: match[2] ?? '' };
    if (!jobs.some((known) => known.id === job.id)) jobs.push(job);
  }
  return jobs.slice(-MAX_WATCHED_JOBS);
}

/** The inverse of {@link parseJobList}; ids need no escaping. */
export function formatJobList(jobs: readonly WatchedJob[]): string {
  return jobs.map(({ kind, id }) => `${kind}:${id}`).join(',');
}
