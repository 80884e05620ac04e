import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobKind } from '../protocol/index.js';
import type { JobSimulator } from './JobSimulator.js';
import { readJsonBody } from './readJsonBody.js';
import { thumbnailSvg } from './thumbnailSvg.js';

const JOB = /^\/api\/v1\/(generations|compositions)\/([^/]+)$/;
const JOBS = /^\/api\/v1\/(generations|compositions)$/;
const CANCEL = /^\/api\/v1\/(generations|compositions)\/([^/]+)\/cancel$/;
const THUMBNAIL = /^\/api\/v1\/thumbnails\/([^/]+)\/(\d{1,6})\.svg$/;
const VIDEO = /^\/api\/v1\/videos\/([^/]+)\.mp4$/;

// An `ftyp` box: enough for a sniffing client to see an MP4, nothing a player could play.
const PLACEHOLDER_MP4 = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');

// Options a POST body may set; anything else is ignored rather than passed to the simulator.
const BODY_FIELDS = {
  generation: ['id', 'clips', 'stepMs', 'failAtClip', 'progressPerClip', 'clipDuration'],
  composition: ['id', 'frames', 'framesPerStep', 'stepMs', 'failAtFrame', 'fps'],
} as const;

/** The REST side of the reference server, with the knobs tests turn. */
export interface RestHandler {
  /** Answers one request; anything outside `/api/v1` gets a JSON 404. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Makes the next `count` job GETs answer `status` (a failing backend). */
  failNextPolls(count: number, status?: number): void;
  /** Job GETs received for `id` so far, failed ones included. */
  restHits(id: string): number;
}

/**
 * Serves the wire contract's REST endpoints from the simulator: job snapshots, job creation
 * and cancellation for the demo, and placeholder thumbnails and videos.
 *
 * @example
 * const rest = createRestHandler(jobs);
 * http.createServer(rest.handle);
 */
export function createRestHandler(jobs: JobSimulator): RestHandler {
  const hits = new Map<string, number>();
  const failures = { count: 0, status: 503 };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;

    if ((match = JOB.exec(path)) && method === 'GET') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      hits.set(id, (hits.get(id) ?? 0) + 1);
      if (failures.count > 0) {
        failures.count--;
        json(res, failures.status, failure('UNAVAILABLE', 'Simulated failure (failNextPolls)'));
        return;
      }
      found(res, jobs, kindOf(plural), id, 200);
      return;
    }
    if ((match = JOBS.exec(path)) && method === 'POST') {
      const kind = kindOf(match[1] ?? '');
      const options = pick(await readJsonBody(req), BODY_FIELDS[kind]);
      // `pick` kept only known fields with the right types; `planJob` checks their ranges.
      const id = kind === 'generation' ? jobs.startGeneration(options) : jobs.startComposition(options);
      json(res, 201, jobs.get(id));
      return;
    }
    if ((match = CANCEL.exec(path)) && method === 'POST') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      if (jobs.info(id)?.kind === kindOf(plural)) jobs.cancel(id);
      found(res, jobs, kindOf(plural), id, 200);
      return;
    }
    if ((match = THUMBNAIL.exec(path)) && method === 'GET') {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
      return void res.end(thumbnailSvg(decodeURIComponent(match[1] ?? ''), Number(match[2])));
    }
    if (VIDEO.test(path) && method === 'GET') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': PLACEHOLDER_MP4.length });
      return void res.end(PLACEHOLDER_MP4);
    }
    json(res, 404, failure('NOT_FOUND', `No route for ${method} ${path}`));
  }

  return {
    handle(req, res) {
      route(req, res).catch((error: unknown) => {
        // Bad JSON, an oversized body or options the simulator refuses: the caller's fault.
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) json(res, 400, failure('BAD_REQUEST', message));
        else res.destroy();
      });
    },
    failNextPolls(count, status = 503) {
      failures.count = count;
      failures.status = status;
    },
    restHits: (id) => hits.get(id) ?? 0,
  };
}

function found(res: ServerResponse, jobs: JobSimulator, kind: JobKind, id: string, status: number): void {
  if (jobs.info(id)?.kind !== kind) return json(res, 404, failure('NOT_FOUND', `No ${kind} with id "${id}"`));
  json(res, status, jobs.get(id));
}

function kindOf(plural: string): JobKind {
  return plural === 'generations' ? 'generation' : 'composition';
}

function failure(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function pick(body: unknown, fields: readonly string[]): Record<string, number | string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TypeError('The body must be a JSON object.');
  }
  const options: Record<string, number | string> = {};
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (field === 'id' ? typeof value !== 'string' : typeof value !== 'number') {
      throw new TypeError(`"${field}" must be a ${field === 'id' ? 'string' : 'number'}.`);
    }
    options[field] = value as number | string;
  }
  return options;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Polling must always reach the server, never a cached answer.
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
