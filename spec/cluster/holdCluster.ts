// Child process of harness.spec.ts: starts a one-node cluster, prints the pids it runs as one
// JSON line, then waits to be SIGKILLed, so the spec can check its processes die with it.
import { startCluster } from '../../demo/cluster/startCluster.js';

const cluster = await startCluster({ nodes: 1 });
process.stdout.write(`${JSON.stringify({ pids: cluster.pids() })}\n`);
setInterval(() => undefined, 60_000);
