// Child process of crashRestart.spec.ts: a reference server on a fixed port and a state file,
// to be SIGKILLed and started again. Prints one JSON line `{ url }` once listening.
import { appendFileSync } from 'node:fs';
import { createJobServer } from '../../src/server/index.js';

const [stateFile = '', port = '0'] = process.argv.slice(2);
// `server` is read by the handler only once requests arrive, after the assignment.
const server = await createJobServer({
  stateFile,
  port: Number(port),
  // The dedupe log as this process holds it (restored ids included), to compare with the file.
  requestHandler(req, res) {
    if (req.url !== '/debug/outbox') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ dedupe: server.control.outbox.dedupe().map((entry) => entry.id) }));
    return true;
  },
});
// Every id this process acted on, appended to `<stateFile>.applied` by a `message` listener that
// runs right after the server's own: across all the processes, no id may appear twice.
server.io.on('connection', (socket) => {
  let last = server.control.outbox.applied.at(-1);
  socket.on('message', () => {
    const applied = server.control.outbox.applied.at(-1);
    if (applied !== last && applied !== undefined) appendFileSync(`${stateFile}.applied`, `${applied.id}\n`);
    last = applied;
  });
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
