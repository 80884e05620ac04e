// Child process of crashRestart.spec.ts: a reference server on a fixed port and a state file,
// to be SIGKILLed and started again. Prints one JSON line `{ url }` once listening.
import { createJobServer } from '../../src/server/index.js';

const [stateFile = '', port = '0'] = process.argv.slice(2);
// `server` is read by the handler only once requests arrive, after the assignment.
const server = await createJobServer({
  stateFile,
  port: Number(port),
  // What this process saw of the outbox: `applied` survives restarts (it is the persisted
  // dedupe log); `received` counts deliveries since this start, resends included.
  requestHandler(req, res) {
    if (req.url !== '/debug/outbox') return false;
    const { applied, received } = server.control.outbox;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ applied: applied.map((envelope) => envelope.id), received: received.length }));
    return true;
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
