import type { JobServer } from '../../src/server/index.js';

/**
 * Counts the HTTP requests for `path` that reach `server` from now on. `control.restHits` counts
 * GETs of known jobs only (an unknown id is not kept), so a spec about an unknown job counts here.
 *
 * @example
 * const requests = countRequests(server, '/api/v1/generations/gen_missing');
 * expect(requests()).toBe(1);
 */
export function countRequests(server: JobServer, path: string): () => number {
  let count = 0;
  server.httpServer.on('request', (req: { url?: string }) => {
    if (req.url?.split('?')[0] === path) count++;
  });
  return () => count;
}
