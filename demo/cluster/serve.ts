/**
 * `npm run start:cluster`: the dashboard served by three reference server nodes on Redis, behind
 * HAProxy on one port. `PORT` (default 5173) chooses it; `JOBSTREAM_DEMO=0` turns the network
 * panel's controls off. Needs Debian's redis-server and haproxy; a node that dies is started
 * again on its port, as a process supervisor would.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { buildDashboard } from '../server/buildDashboard.js';
import { startCluster, type Cluster } from './startCluster.js';

const INSTALL = 'apt-get install -y redis-server haproxy';

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const missing = ['redis-server', 'haproxy'].filter((command) => !onPath(command));
if (missing.length > 0) {
  console.error(`start:cluster needs redis-server and haproxy (missing: ${missing.join(', ')}). Install them with:`);
  console.error(INSTALL);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 5173);
const demo = process.env.JOBSTREAM_DEMO !== '0';
let stopping = false;

/** Restarts node `index` whenever it exits while the cluster is up. */
function superviseNode(cluster: Cluster, index: number): void {
  void cluster.nodes[index]?.process.exited.then(async ({ code, signal }) => {
    if (stopping) return;
    console.log(`  node-${index + 1} exited (${signal ?? code}); starting it again`);
    try {
      await cluster.restartNode(index);
      console.log(`  node-${index + 1} is back`);
      superviseNode(cluster, index);
    } catch (error) {
      console.error(`  node-${index + 1} did not start again:`, error);
    }
  });
}

try {
  const dashboard = await buildDashboard();
  const cluster = await startCluster({ port, dashboard, demo });
  console.log(`\n  jobstream dashboard (3 nodes behind HAProxy): ${cluster.url.replace('127.0.0.1', 'localhost')}/\n`);
  for (const node of cluster.nodes) console.log(`  ${node.id}: ${node.url}`);
  console.log(`  redis: ${cluster.redis.url}`);
  console.log(
    cluster.demoToken === undefined
      ? '  network panel: off'
      : `  network panel: on, token ${cluster.demoToken} on every node (loopback only; JOBSTREAM_DEMO=0 turns it off)`,
  );
  console.log('  Ctrl+C to stop\n');
  cluster.nodes.forEach((_, index) => superviseNode(cluster, index));
  const stop = () => {
    stopping = true;
    void cluster.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(
    error instanceof Error && /Port \d+ on 127\.0\.0\.1 is in use/.test(error.message)
      ? `${error.message} Run with another, e.g. PORT=5174 npm run start:cluster.`
      : error,
  );
  process.exit(1);
}
