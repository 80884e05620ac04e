import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobKind } from '../protocol/index.js';
import type { JobSimulator } from './JobSimulator.js';
import type { RequestGuard } from './createRequestGuard.js';
import { readJsonBody } from './readJsonBody.js';
import { sendError, sendJson } from './sendJson.js';
import { thumbnailSvg } from './thumbnailSvg.js';
import { TooManyJobsError } from './TooManyJobsError.js';

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

/** Options of {@link createRestHandler}. */
export interface RestHandlerConfig {
  /** The jobs served. */
  jobs: JobSimulator;
  /** Tells which cross-origin pages get CORS headers. */
  guard: Pick<RequestGuard, 'crossOriginAllowed'>;
}

/** The REST side of the reference server, with the knobs tests turn. */
export interface RestHandler {
  /** Answers one request; anything outside `/api/v1` gets a JSON 404. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Makes the next `count` job GETs answer `status` (a failing backend). */
  failNextPolls(count: number, status?: number): void;
  /** Job GETs received for `id` so far, failed ones included; only known jobs are counted. */
  restHits(id: string): number;
}

/**
 * Serves the wire contract's REST endpoints from the simulator: job snapshots, job creation
 * and cancellation (JSON POSTs only, so a cross-site form or `text/plain` fetch cannot make one),
 * and placeholder thumbnails and videos. Every answer carries `X-Content-Type-Options: nosniff`.
 *
 * @example
 * const rest = createRestHandler({ jobs, guard });
 * http.createServer(rest.handle);
 */
export function createRestHandler({ jobs, guard }: RestHandlerConfig): RestHandler {
  const hits = createHitCounter(jobs);
  const failures = { count: 0, status: 503 };

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;

    if ((match = JOB.exec(path)) && method === 'GET') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      hits.count(id);
      if (failures.count > 0) {
        failures.count--;
        sendError(res, failures.status, 'UNAVAILABLE', 'Simulated failure (failNextPolls)');
        return;
      }
      found(res, jobs, kindOf(plural), id);
      return;
    }
    if (method === 'POST' && (JOBS.test(path) || CANCEL.test(path)) && !isJson(req)) {
      req.resume();
      sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `POST ${path} needs "Content-Type: application/json".`);
      return;
    }
    if ((match = JOBS.exec(path)) && method === 'POST') {
      const kind = kindOf(match[1] ?? '');
      const options = pick(await readJsonBody(req), BODY_FIELDS[kind]);
      // `pick` kept only known fields with the right types; `planJob` checks their ranges.
      const id = kind === 'generation' ? jobs.startGeneration(options) : jobs.startComposition(options);
      sendJson(res, 201, jobs.get(id));
      return;
    }
    if ((match = CANCEL.exec(path)) && method === 'POST') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      if (jobs.info(id)?.kind === kindOf(plural)) jobs.cancel(id);
      req.resume();
      found(res, jobs, kindOf(plural), id);
      return;
    }
    if ((match = THUMBNAIL.exec(path)) && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'image/svg+xml',
        'cache-control': 'max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      return void res.end(thumbnailSvg(decodeURIComponent(match[1] ?? ''), Number(match[2])));
    }
    if (VIDEO.test(path) && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'video/mp4',
        'content-length': PLACEHOLDER_MP4.length,
        'x-content-type-options': 'nosniff',
      });
      return void res.end(PLACEHOLDER_MP4);
    }
    sendError(res, 404, 'NOT_FOUND', `No route for ${method} ${path}`);
  }

  return {
    handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path.startsWith('/api/v1/') && allowCrossOrigin(req, res, guard)) return;
      route(req, res, path).catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        // Bad JSON, an oversized body or options the simulator refuses: the caller's fault.
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof TooManyJobsError) sendError(res, 429, 'TOO_MANY_JOBS', message);
        else sendError(res, 400, 'BAD_REQUEST', message);
      });
    },
    failNextPolls(count, status = 503) {
      failures.count = count;
      failures.status = status;
    },
    restHits: (id) => hits.of(id),
  };
}

/**
 * Adds the CORS headers a page of an allowed origin needs to read the answer, and answers its
 * preflight. Returns `true` when the request was answered (a preflight).
 */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, guard: RestHandlerConfig['guard']): boolean {
  const { origin } = req.headers;
  if (origin === undefined || !guard.crossOriginAllowed(origin)) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
    'access-control-max-age': '600',
    'x-content-type-options': 'nosniff',
  });
  res.end();
  return true;
}

/**
 * Counts job GETs per id, for known jobs only: an id nobody created is not kept, and ids of
 * forgotten jobs are swept whenever the map has doubled since the last sweep.
 */
function createHitCounter(jobs: JobSimulator): { count(id: string): void; of(id: string): number } {
  const hits = new Map<string, number>();
  let sweepAt = 64;
  return {
    count(id) {
      if (jobs.get(id) === undefined) return;
      hits.set(id, (hits.get(id) ?? 0) + 1);
      if (hits.size < sweepAt) return;
      for (const known of hits.keys()) if (jobs.get(known) === undefined) hits.delete(known);
      sweepAt = Math.max(64, hits.size * 2);
    },
    of: (id) => hits.get(id) ?? 0,
  };
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function found(res: ServerResponse, jobs: JobSimulator, kind: JobKind, id: string): void {
  if (jobs.info(id)?.kind !== kind) return sendError(res, 404, 'NOT_FOUND', `No ${kind} with id "${id}"`);
  sendJson(res, 200, jobs.get(id));
}

function kindOf(plural: string): JobKind {
  return plural === 'generations' ? 'generation' : 'composition';
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
