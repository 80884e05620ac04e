/**
 * The reference server in a child process for `bench/load.ts`: creates queued generations (no
 * job timers) and plays a steady load of `progress` events to them, each stamped with its send
 * time (`process.hrtime.bigint()`, the machine's monotonic clock, which the parent process reads
 * too) in `message`. Driven over IPC; exits when its parent goes away.
 */
import { createJobServer } from '../src/server/index.js';
import { STAMP, type LoadReply, type LoadRequest, type PlayReply } from './loadProtocol.js';

/** Default tick: the events due are sent every TICK_MS, by elapsed time, never ahead of it. */
const TICK_MS = 5;

// A bench holds thousands of jobs open at once, far beyond the dev server's default cap.
const server = await createJobServer({ maxLiveJobs: Infinity });
const { jobs, control } = server;

function play(ids: readonly string[], rate: number, seconds: number, tickMs = TICK_MS): Promise<PlayReply> {
  const total = Math.round(ids.length * rate * seconds);
  const perJob = Math.ceil(total / ids.length);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let sent = 0;
  let unreached = 0;
  let lateTicks = 0;
  let lastTick = started;
  return new Promise((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      if (now - lastTick > BigInt(Math.round(4 * tickMs * 1e6))) lateTicks++;
      lastTick = now;
      const due = Math.min(total, Math.floor((Number(now - started) / 1e9) * ids.length * rate));
      for (; sent < due; sent++) {
        const round = Math.floor(sent / ids.length);
        const payload = {
          step: 'generating_clip',
          clip_number: 1,
          total_clips: 1,
          // Rises with every event of a job, so nothing is dropped as stale or repeated.
          percentage: (100 * (round + 1)) / (perJob + 1),
          message: `${STAMP}${process.hrtime.bigint()}`,
        };
        if (control.emitRaw(ids[sent % ids.length] ?? '', 'progress', payload) === 0) unreached++;
      }
      if (sent < total) return void setTimeout(tick, tickMs);
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        sent,
        unreached,
        lateTicks,
        cpuUs: cpu.user + cpu.system,
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    };
    tick();
  });
}

async function handle(request: LoadRequest): Promise<LoadReply> {
  switch (request.op) {
    case 'create':
      return { seq: request.seq, ids: Array.from({ length: request.count }, () => jobs.createGeneration({ clips: 1 })) };
    case 'audience': {
      const sizes = request.ids.map((id) => control.namespaceSockets(id));
      return {
        seq: request.seq,
        total: sizes.reduce((sum, size) => sum + size, 0),
        empty: sizes.filter((size) => size === 0).length,
      };
    }
    case 'engineConnections':
      return { seq: request.seq, value: control.engineConnections() };
    case 'play':
      return { ...(await play(request.ids, request.rate, request.seconds, request.tickMs)), seq: request.seq };
    case 'close':
      await server.close();
      return { seq: request.seq, closed: true };
  }
}

process.on('message', (request: LoadRequest) => {
  handle(request).then(
    (reply) => {
      process.send?.(reply);
      if (request.op === 'close') process.disconnect();
    },
    (error: unknown) => process.send?.({ seq: request.seq, error: String(error) }),
  );
});
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send?.({ ready: server.url });
