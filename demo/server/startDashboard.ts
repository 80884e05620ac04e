import { randomBytes } from 'node:crypto';
import { createJobServer, demoControlHandler, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { buildDashboard, DEFAULT_DASHBOARD_OUT_DIR } from './buildDashboard.js';
import { staticFileHandler } from './staticFileHandler.js';

/** Name of the `<meta>` through which the served page learns the demo controls' token. */
export const DEMO_TOKEN_META = 'jobstream-demo-token';

/** Options of {@link startDashboard}. */
export interface StartDashboardConfig {
  /** TCP port; 0 picks a free one. @default 5173 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Serve the network panel's `/api/demo/*` controls (loopback clients with the token only). @default true */
  demoMode?: boolean;
  /** Directory holding the built dashboard. @default demo/dist */
  outDir?: string;
  /** Build the dashboard into `outDir` first; the e2e suite builds once and passes `false`. @default true */
  build?: boolean;
  /** Run as one node of a cluster (`npm run start:cluster`). @default undefined (one process) */
  cluster?: Pick<JobServerOptions, 'redis' | 'nodeId'>;
  /**
   * The demo controls' token, when several servers must share one: the nodes of a cluster, whose
   * load balancer may route a control to any of them. At least 16 characters.
   * @default a new random one (`randomBytes(16)` in hex)
   */
  demoToken?: string;
  /** Ends this node's process for the `node/kill` control (cluster nodes only). @default undefined */
  killNode?: () => void;
}

/** Defaults of {@link StartDashboardConfig}. */
export const DEFAULT_START_DASHBOARD = {
  port: 5173,
  host: '127.0.0.1',
  demoMode: true,
  outDir: DEFAULT_DASHBOARD_OUT_DIR,
  build: true,
} as const satisfies Required<Omit<StartDashboardConfig, 'cluster' | 'demoToken' | 'killNode'>>;

/** The dashboard's reference server, and the token of its demo controls. */
export interface DashboardServer extends JobServer {
  /** The random token the demo controls need (sent in `x-jobstream-demo`); `undefined` without demo mode. */
  readonly demoToken: string | undefined;
}

/**
 * The whole demo on one port: the built dashboard, the REST API and socket.io of one reference
 * server, and (in demo mode) the network panel's controls, whose token is made here and put in
 * every page served, as `<meta name="jobstream-demo-token">`.
 *
 * @example
 * const server = await startDashboard({ port: 0 });
 * console.log(server.url, server.demoToken);
 * await server.close();
 */
export async function startDashboard(config: StartDashboardConfig = {}): Promise<DashboardServer> {
  const { port, host, demoMode, outDir, build, cluster, killNode } = { ...DEFAULT_START_DASHBOARD, ...config };
  if (build) await buildDashboard({ outDir });
  const demoToken = demoMode ? (config.demoToken ?? randomBytes(16).toString('hex')) : undefined;
  const files = staticFileHandler(outDir, { meta: demoToken === undefined ? {} : { [DEMO_TOKEN_META]: demoToken } });
  // The controls exist before the server they drive; until it is assigned they answer 503.
  const started: { server?: JobServer } = {};
  const demo =
    demoToken === undefined
      ? () => false
      : demoControlHandler(() => started.server, { token: demoToken, ...(killNode && { killNode }) });
  started.server = await createJobServer({
    ...cluster,
    port,
    host,
    requestHandler: (req, res) => demo(req, res) || files(req, res),
  });
  return Object.assign(started.server, { demoToken });
}
