import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobSimulator } from './JobSimulator.js';
import type { ServerControl } from './ServerControl.js';

/** What {@link demoControlHandler} drives: a running server's controls and jobs (a `JobServer` fits). */
export interface DemoControlTarget {
  readonly control: ServerControl;
  readonly jobs: JobSimulator;
}

/**
 * Header every state-changing demo request must carry. A cross-site page can make a browser send
 * a plain POST to localhost, but not one with a custom header (that needs a CORS preflight, which
 * this handler never grants).
 */
export const DEMO_CONTROL_HEADER = 'x-jobstream-demo';

const PREFIX = '/api/demo/';
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
// The Host a loopback browser sends; anything else is a DNS-rebinding page reaching us by name.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const JOB_ACTION = /^jobs\/([A-Za-z0-9_-]{1,128})\/(stall|resume)$/;
const LISTED_JOBS = 50;

/**
 * A `requestHandler` for `createJobServer` that serves the demo's network panel under
 * `/api/demo/`: `GET status`, and `POST` `socket/stop`, `socket/start`, `connections/drop`,
 * `heartbeat/stop`, `heartbeat/resume`, `jobs/:id/stall`, `jobs/:id/resume`, each answering the
 * new status. Requests from anywhere but loopback are refused (403), and so are POSTs without the
 * {@link DEMO_CONTROL_HEADER} header; other paths are left to the next handler (`false`).
 *
 * `target` is read per request because the handler must exist before the server it controls;
 * until it returns a server, requests get a 503.
 *
 * @example
 * let server: JobServer | undefined;
 * const demo = demoControlHandler(() => server);
 * server = await createJobServer({ requestHandler: (req, res) => demo(req, res) || files(req, res) });
 */
export function demoControlHandler(
  target: () => DemoControlTarget | undefined,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const status = ({ control, jobs }: DemoControlTarget) => ({
    socket: control.accepting ? 'accepting' : 'stopped',
    heartbeatAcks: control.heartbeatAcks,
    engineConnections: control.engineConnections(),
    jobs: jobs
      .list()
      .slice(-LISTED_JOBS)
      .map(({ id, status: jobStatus }) => ({ id, kind: jobs.info(id)?.kind, state: jobs.info(id)?.state, status: jobStatus })),
  });

  // `undefined`: no such control; `false`: the job it names cannot do that now (unknown, ended, not stalled).
  const act = ({ control }: DemoControlTarget, action: string): boolean | undefined => {
    const job = JOB_ACTION.exec(action);
    if (job) return job[2] === 'stall' ? control.stall(job[1] ?? '') : control.resume(job[1] ?? '');
    switch (action) {
      case 'socket/stop':
        control.stopSocket();
        return true;
      case 'socket/start':
        control.startSocket();
        return true;
      case 'connections/drop':
        control.dropConnections();
        return true;
      case 'heartbeat/stop':
        control.stopHeartbeatAcks();
        return true;
      case 'heartbeat/resume':
        control.resumeHeartbeatAcks();
        return true;
      default:
        return undefined;
    }
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(PREFIX)) return false;
    const action = path.slice(PREFIX.length);
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') || !LOOPBACK_HOSTS.has(host)) {
      json(res, 403, failure('FORBIDDEN', 'The demo controls answer loopback requests only.'));
      return true;
    }
    const server = target();
    if (server === undefined) {
      json(res, 503, failure('UNAVAILABLE', 'The server is still starting.'));
      return true;
    }
    if (action === 'status') {
      if (req.method !== 'GET' && req.method !== 'HEAD') json(res, 405, failure('METHOD_NOT_ALLOWED', 'Use GET.'));
      else json(res, 200, status(server));
      return true;
    }
    if (req.method !== 'POST') {
      json(res, 405, failure('METHOD_NOT_ALLOWED', `Use POST for ${PREFIX}${action}.`));
    } else if (req.headers[DEMO_CONTROL_HEADER] !== '1') {
      json(res, 403, failure('FORBIDDEN', `Send the "${DEMO_CONTROL_HEADER}: 1" header with demo controls.`));
    } else {
      const done = act(server, action);
      if (done === undefined) json(res, 404, failure('NOT_FOUND', `No demo control "${action}".`));
      else if (!done)
        json(res, 409, failure('CONFLICT', `Cannot ${action}: the job is unknown, ended, or already in that state.`));
      else json(res, 200, status(server));
    }
    // The body (if any) is not needed; drain it so the connection can be reused.
    req.resume();
    return true;
  };
}

function failure(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
