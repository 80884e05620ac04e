import { createJobServer, demoControlHandler, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { buildDashboard, DEFAULT_DASHBOARD_OUT_DIR } from './buildDashboard.js';
import { staticFileHandler } from './staticFileHandler.js';

/** Options of {@link startDashboard}. */
export interface StartDashboardConfig {
  /** TCP port; 0 picks a free one. @default 5173 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Serve the network panel's `/api/demo/*` controls (loopback clients only). @default true */
  demoMode?: boolean;
  /** Directory holding the built dashboard. @default demo/dist */
  outDir?: string;
  /** Build the dashboard into `outDir` first; the e2e suite builds once and passes `false`. @default true */
  build?: boolean;
  /** Run as one node of a cluster (`npm run start:cluster`). @default undefined (one process) */
  cluster?: Pick<JobServerOptions, 'redis' | 'nodeId'>;
}

/** Defaults of {@link StartDashboardConfig}. */
export const DEFAULT_START_DASHBOARD = {
  port: 5173,
  host: '127.0.0.1',
  demoMode: true,
  outDir: DEFAULT_DASHBOARD_OUT_DIR,
  build: true,
} as const satisfies Required<Omit<StartDashboardConfig, 'cluster'>>;

/**
 * The whole demo on one port: the built dashboard, the REST API and socket.io of one reference
 * server, and (in demo mode) the network panel's controls.
 *
 * @example
 * const server = await startDashboard({ port: 0 });
 * console.log(server.url);
 * await server.close();
 */
export async function startDashboard(config: StartDashboardConfig = {}): Promise<JobServer> {
  const { port, host, demoMode, outDir, build, cluster } = { ...DEFAULT_START_DASHBOARD, ...config };
  if (build) await buildDashboard({ outDir });
  const files = staticFileHandler(outDir);
  // The controls exist before the server they drive; until it is assigned they answer 503.
  const started: { server?: JobServer } = {};
  const demo = demoMode ? demoControlHandler(() => started.server) : () => false;
  started.server = await createJobServer({ ...cluster, port, host, requestHandler: (req, res) => demo(req, res) || files(req, res) });
  return started.server;
}
