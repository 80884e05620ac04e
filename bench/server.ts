/**
 * The reference server in a child process, driven over IPC by a bench (see `protocol.ts`).
 * Started by `startServerProcess()`; exits on `close` or when its parent goes away.
 */
import { createJobServer } from '../src/server/index.js';
import { progressPayload, type ReplyEnvelope, type RequestEnvelope, type ServerReply, type ServerRequest } from './protocol.js';

// A bench holds thousands of jobs open at once, far beyond the dev server's default cap.
const server = await createJobServer({ socketOptions: { maxHttpBufferSize: 1e6 }, maxLiveJobs: Infinity });
const { jobs, control } = server;

const send = (message: ReplyEnvelope | { ready: true; url: string }) => process.send?.(message);

function createGenerations(count: number, processing: boolean): string[] {
  return Array.from({ length: count }, () => {
    const id = jobs.createGeneration({ clips: 4 });
    if (processing) {
      jobs.emit(id, { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: 'Started' } });
      jobs.emit(id, { type: 'progress', data: progressPayload(1, 100) });
    }
    return id;
  });
}

// Batches with a macrotask between them let the websocket drain instead of queueing every
// frame in one synchronous burst.
function blast(id: string, events: number, batch: number): Promise<ServerReply> {
  return new Promise((resolve) => {
    let next = 1;
    let audience = -1;
    const step = () => {
      const end = Math.min(events, next + batch - 1);
      for (; next <= end; next++) {
        const reached = control.emitRaw(id, 'progress', progressPayload(next, events));
        audience = audience === -1 ? reached : Math.min(audience, reached);
      }
      if (next > events) resolve({ sent: events, audience });
      else setImmediate(step);
    };
    step();
  });
}

async function handle(request: ServerRequest): Promise<ServerReply> {
  switch (request.op) {
    case 'createGenerations':
      return { ids: createGenerations(request.count, request.processing) };
    case 'blast':
      return blast(request.id, request.events, request.batch);
    case 'engineConnections':
      return { value: control.engineConnections() };
    case 'audience': {
      let total = 0;
      let empty = 0;
      for (const id of request.ids) {
        const size = control.namespaceSockets(id);
        total += size;
        if (size === 0) empty++;
      }
      return { total, empty };
    }
    case 'close':
      await server.close();
      return { closed: true };
  }
}

process.on('message', (message: RequestEnvelope) => {
  handle(message.request).then(
    (reply) => {
      send({ seq: message.seq, reply });
      if (message.request.op === 'close') process.disconnect();
    },
    (error: unknown) => send({ seq: message.seq, error: String(error) }),
  );
});
// A bench that crashed must not leave its server behind.
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});

send({ ready: true, url: server.url });
