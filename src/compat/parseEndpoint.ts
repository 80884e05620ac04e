import type { JobKind } from '../protocol/resources.js';

/** The job an endpoint names. */
export interface JobEndpoint {
  kind: JobKind;
  id: string;
}

const ENDPOINT = /^\/ws\/(generations|compositions)\/([^/?#]+)\/?$/;

/**
 * Reads the plan's endpoint (`/ws/generations/{id}` or `/ws/compositions/{id}`, the id
 * URL-encoded or not) into a job, or `undefined` when it names none.
 *
 * @example
 * parseEndpoint('/ws/generations/gen_1'); // { kind: 'generation', id: 'gen_1' }
 */
export function parseEndpoint(endpoint: unknown): JobEndpoint | undefined {
  if (typeof endpoint !== 'string') return undefined;
  const [, plural, raw] = ENDPOINT.exec(endpoint) ?? [];
  if (plural === undefined || raw === undefined) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return id.length > 0 ? { kind: plural === 'generations' ? 'generation' : 'composition', id } : undefined;
}
