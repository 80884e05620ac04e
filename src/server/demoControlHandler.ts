import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobStore, MaybePromise } from './JobStore.js';
import { sendError, sendJson } from './sendJson.js';
import type { ServerControl } from './ServerControl.js';

/** What {@link demoControlHandler} drives: a running server's controls and jobs (a `JobServer` fits). */
export interface DemoControlTarget {
  readonly control: ServerControl;
  readonly store: JobStore;
  /** The cluster node this server is, if any: its id is in the status. */
  readonly cluster?: { readonly id: string } | undefined;
}

/**
 * Header carrying the controls' token on every demo request. Only a page the server served knows
 * the token, and a cross-site page cannot even send a custom header (that needs a CORS preflight,
 * which this handler never grants).
 */
export const DEMO_CONTROL_HEADER = 'x-jobstream-demo';

/** Options of {@link demoControlHandler}. */
export interface DemoControlConfig {
  /**
   * The secret every request must carry in {@link DEMO_CONTROL_HEADER}: a random string made at
   * start (`randomBytes(16).toString('hex')`), printed for the person running the server and
   * given to the page it serves. At least 16 characters. The nodes of a cluster share one, so a
   * control the load balancer routes to any of them is accepted.
   */
  token: string;
  /**
   * Ends this node's process as a crash would, for the `node/kill` control (answered first); only
   * given to the nodes of `npm run start:cluster`, whose supervisor starts a killed node again.
   * @default undefined (no `node/kill` control)
   */
  killNode?: () => void;
}

const PREFIX = '/api/demo/';
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
// The Host a loopback browser sends; anything else is a DNS-rebinding page reaching us by name.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const JOB_ACTION = /^jobs\/([A-Za-z0-9_-]{1,128})\/(stall|resume)$/;
const KILL_NODE = 'node/kill';
const LISTED_JOBS = 50;

/**
 * A `requestHandler` for `createJobServer` that serves the demo's network panel under
 * `/api/demo/`: `GET status`, and `POST` `socket/stop`, `socket/start`, `connections/drop`,
 * `heartbeat/stop`, `heartbeat/resume`, `jobs/:id/stall`, `jobs/:id/resume`, each answering the
 * new status, and `node/kill` when `killNode` is given (answered with `202`, then the node dies).
 * The status names the cluster node that answered (`node`, `null` for one process): behind a
 * load balancer with sticky sessions, the node serving the page's connection.
 * These controls can stop the socket server, so every request is refused (403)
 * unless it comes from loopback, by a loopback `Host`, with no `X-Forwarded-*` or `Forwarded`
 * header (a reverse proxy on the same host would make a remote client look local) and with the
 * token in {@link DEMO_CONTROL_HEADER}. Other paths are left to the next handler (`false`).
 *
 * `target` is read per request because the handler must exist before the server it controls;
 * until it returns a server, requests get a 503.
 *
 * @example
 * const token = randomBytes(16).toString('hex');
 * let server: JobServer | undefined;
 * const demo = demoControlHandler(() => server, { token });
 * server = await createJobServer({ requestHandler: (req, res) => demo(req, res) || files(req, res) });
 */
export function demoControlHandler(
  target: () => DemoControlTarget | undefined,
  { token, killNode }: DemoControlConfig,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  if (typeof token !== 'string' || token.length < 16) {
    throw new TypeError('demoControlHandler needs a token of at least 16 characters, such as randomBytes(16).toString("hex").');
  }
  const expected = Buffer.from(token);
  const hasToken = (req: IncomingMessage): boolean => {
    const given = Buffer.from(String(req.headers[DEMO_CONTROL_HEADER] ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const status = async ({ control, store, cluster }: DemoControlTarget) => ({
    socket: control.accepting ? 'accepting' : 'stopped',
    heartbeatAcks: control.heartbeatAcks,
    engineConnections: control.engineConnections(),
    node: cluster?.id ?? null,
    killNode: killNode !== undefined,
    jobs: (await store.recent(LISTED_JOBS)).map(({ id, kind, state, snapshot }) => ({
      id,
      kind,
      state,
      status: snapshot.status,
    })),
  });

  // `undefined`: no such control; `false`: the job it names cannot do that now (unknown, ended, not stalled).
  const act = ({ control, store }: DemoControlTarget, action: string): MaybePromise<boolean | undefined> => {
    const job = JOB_ACTION.exec(action);
    if (job) return job[2] === 'stall' ? store.stall(job[1] ?? '') : store.resume(job[1] ?? '');
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

  const answer = (req: IncomingMessage, res: ServerResponse, action: string): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const forwarded = Object.keys(req.headers).some((name) => name === 'forwarded' || name.startsWith('x-forwarded-'));
    if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') || !LOOPBACK_HOSTS.has(host) || forwarded) {
      return sendError(res, 403, 'FORBIDDEN', 'The demo controls answer loopback requests only, never through a proxy.');
    }
    if (!hasToken(req)) {
      return sendError(res, 403, 'FORBIDDEN', `Send the token printed at start in the "${DEMO_CONTROL_HEADER}" header.`);
    }
    const server = target();
    if (server === undefined) return sendError(res, 503, 'UNAVAILABLE', 'The server is still starting.');
    if (action === 'status') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET.');
      return settle(res, status(server));
    }
    if (req.method !== 'POST') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `Use POST for ${PREFIX}${action}.`);
    if (action === KILL_NODE && killNode) {
      // The answer must leave before the process does.
      res.once('finish', killNode);
      return sendJson(res, 202, { node: server.cluster?.id ?? null, killed: true });
    }
    settle(
      res,
      Promise.resolve(act(server, action)).then((done) => {
        if (done === undefined) throw new HttpRefusal(404, 'NOT_FOUND', `No demo control "${action}".`);
        if (!done)
          throw new HttpRefusal(409, 'CONFLICT', `Cannot ${action}: the job is unknown, ended, or already in that state.`);
        return status(server);
      }),
    );
  };

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(PREFIX)) return false;
    answer(req, res, path.slice(PREFIX.length));
    // The body (if any) is not needed; drain it so the connection can be reused.
    req.resume();
    return true;
  };
}

/** A refusal decided once the store answered. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers the status `body` resolves to, or the refusal (a store that did not answer: 503). */
function settle(res: ServerResponse, body: Promise<unknown>): void {
  body.then(
    (value) => sendJson(res, 200, value),
    (error: unknown) => {
      if (error instanceof HttpRefusal) return sendError(res, error.status, error.code, error.message);
      sendError(
        res,
        503,
        'UNAVAILABLE',
        `The job store did not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
}
