import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobKind } from '../protocol/index.js';
import type { JobRecord } from './JobRecord.js';
import type { JobStore } from './JobStore.js';
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

// Jobs whose GETs `restHits` counts at once; beyond it the one first counted longest ago is forgotten.
const COUNTED_JOBS = 10_000;

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
  jobs: JobStore;
  /** Tells which cross-origin pages get CORS headers. */
  guard: Pick<RequestGuard, 'crossOriginAllowed'>;
}

/** The REST side of the reference server, with the knobs tests turn. */
export interface RestHandler {
  /** Answers one request; anything outside `/api/v1` gets a JSON 404. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Makes the next `count` job GETs answer `status` (a failing backend). */
  failNextPolls(count: number, status?: number): void;
  /**
   * Job GETs received for `id` so far, failed ones included; only known jobs are counted (the
   * last 10,000 counted).
   */
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
  const hits = new Map<string, number>();
  const failures = { count: 0, status: 503 };

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    let match: RegExpExecArray | null;

    if ((match = JOB.exec(path)) && method === 'GET') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      const record = await jobs.find(id);
      if (record) count(id);
      if (failures.count > 0) {
        failures.count--;
        sendError(res, failures.status, 'UNAVAILABLE', 'Simulated failure (failNextPolls)');
        return;
      }
      found(res, kindOf(plural), id, record);
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
      sendJson(res, 201, await jobs.start(kind, options));
      return;
    }
    if ((match = CANCEL.exec(path)) && method === 'POST') {
      const [, plural = '', rawId = ''] = match;
      const id = decodeURIComponent(rawId);
      req.resume();
      if ((await jobs.find(id))?.kind === kindOf(plural)) await jobs.cancel(id);
      found(res, kindOf(plural), id, await jobs.find(id));
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
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof TooManyJobsError) sendError(res, 429, 'TOO_MANY_JOBS', message);
        // Bad JSON, an oversized body or options the simulator refuses: the caller's fault.
        else if (error instanceof RangeError || error instanceof TypeError || error instanceof SyntaxError)
          sendError(res, 400, 'BAD_REQUEST', message);
        // The job store (Redis) did not answer: worth trying again.
        else sendError(res, 503, 'UNAVAILABLE', `The job store did not answer: ${message}`);
      });
    },
    failNextPolls(count, status = 503) {
      failures.count = count;
      failures.status = status;
    },
    restHits: (id) => hits.get(id) ?? 0,
  };

  function count(id: string): void {
    hits.set(id, (hits.get(id) ?? 0) + 1);
    const [oldest] = hits.keys();
    if (hits.size > COUNTED_JOBS && oldest !== undefined) hits.delete(oldest);
  }
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

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function found(res: ServerResponse, kind: JobKind, id: string, record: JobRecord | undefined): void {
  if (record?.kind !== kind) return sendError(res, 404, 'NOT_FOUND', `No ${kind} with id "${id}"`);
  sendJson(res, 200, record.snapshot);
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
