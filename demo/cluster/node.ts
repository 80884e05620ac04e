/**
 * One node of the cluster, as a child process of the harness (`startNode`): a reference server
 * on 127.0.0.1, on Redis when `--redis` is given (else the in-memory server, the benches'
 * baseline), serving the dashboard when `--dashboard` names its built directory.
 *
 *   tsx demo/cluster/node.ts --redis redis://127.0.0.1:6379 --node-id node-1 [--port 0] [--dashboard demo/dist] [--demo]
 *
 * In demo mode the controls' token comes from `JOBSTREAM_DEMO_TOKEN` (the parent makes one for
 * every node: a control may reach any of them), and with `--redis` the network panel's "Kill
 * node" SIGKILLs this process. Prints one JSON line `{ ready, id, port, url }` once listening
 * (and sends it over IPC when forked); answers the requests of `nodeProtocol.ts` over IPC; exits
 * when its parent goes away.
 */
import { parseArgs } from 'node:util';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import { startDashboard } from '../server/startDashboard.js';
import {
  preciseNow,
  type NodeReady,
  type NodeReplyEnvelope,
  type NodeRequest,
  type NodeRequestEnvelope,
  type NodeStats,
} from './nodeProtocol.js';

const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    port: { type: 'string', default: '0' },
    'node-id': { type: 'string', default: 'node' },
    dashboard: { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
});
const nodeId = values['node-id'];
const cluster = values.redis === undefined ? {} : { redis: values.redis, nodeId };
const port = Number(values.port);
const host = '127.0.0.1';

const server: JobServer =
  values.dashboard === undefined
    ? await createJobServer({ ...cluster, port, host })
    : await startDashboard({
        port,
        host,
        demoMode: values.demo,
        outDir: values.dashboard,
        build: false,
        cluster,
        ...(process.env.JOBSTREAM_DEMO_TOKEN && { demoToken: process.env.JOBSTREAM_DEMO_TOKEN }),
        // A crash, as the demo shows it: no goodbye to Redis, the leases expire.
        ...(values.redis !== undefined && { killNode: () => process.kill(process.pid, 'SIGKILL') }),
      });

function blast(event: string, count: number, batch: number, everyMs: number): Promise<{ sent: number }> {
  return new Promise((resolve) => {
    let seq = 0;
    const step = () => {
      for (const end = Math.min(count, seq + batch); seq < end;) server.io.emit(event, { seq: ++seq, sentAt: preciseNow() });
      if (seq >= count) resolve({ sent: count });
      else if (everyMs > 0) setTimeout(step, everyMs);
      else setImmediate(step);
    };
    step();
  });
}

async function handle(request: NodeRequest): Promise<unknown> {
  switch (request.op) {
    case 'emit':
      server.io.emit(request.event, request.payload);
      return {};
    case 'blast':
      return blast(request.event, request.count, request.batch, request.everyMs);
    case 'create':
      return server.store.create(request.kind, request.options);
    case 'begin':
      return server.store.begin(request.id);
    case 'audience':
      return request.ids.reduce((sum, id) => sum + server.control.namespaceSockets(id), 0);
    case 'stats':
      return {
        id: nodeId,
        engineConnections: server.control.engineConnections(),
        outboxApplied: server.cluster
          ? await server.cluster.appliedMessages()
          : server.control.outbox.applied.map((envelope) => envelope.id),
        runningHere: server.cluster?.runningHere() ?? [],
      } satisfies NodeStats;
  }
}

process.on('message', (message: NodeRequestEnvelope) => {
  const reply = (envelope: NodeReplyEnvelope) => process.send?.(envelope);
  handle(message.request).then(
    (answer) => reply({ seq: message.seq, reply: answer }),
    (error: unknown) => reply({ seq: message.seq, error: String(error) }),
  );
});
// The harness that started this node is gone (even SIGKILLed: the IPC channel closes).
process.on('disconnect', () => process.exit(0));
const stop = () => void server.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

const ready: NodeReady = { ready: true, id: nodeId, port: server.port, url: server.url };
process.stdout.write(`${JSON.stringify(ready)}\n`);
process.send?.(ready);
