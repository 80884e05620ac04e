/**
 * `npm start`: builds the dashboard and serves it with the REST API and socket.io of one reference
 * server. `PORT` (default 5173) and `HOST` (default 127.0.0.1) choose where; `JOBSTREAM_DEMO=0`
 * turns the network panel's controls off. The controls' token, new at every start, is printed and
 * put in the page served.
 */
import { startDashboard } from './server/startDashboard.js';

const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST ?? '127.0.0.1';
const demoMode = process.env.JOBSTREAM_DEMO !== '0';

try {
  const server = await startDashboard({ port, host, demoMode });
  const shown = host === '0.0.0.0' || host === '::' ? server.url.replace(/\/\/[^/]+:/, '//localhost:') : server.url;
  console.log(`\n  jobstream dashboard: ${shown}/\n`);
  console.log(
    server.demoToken === undefined
      ? '  network panel: off'
      : `  network panel: on, token ${server.demoToken} (loopback only; JOBSTREAM_DEMO=0 turns it off)`,
  );
  console.log('  Ctrl+C to stop\n');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} on ${host} is in use; run with another, e.g. PORT=5174 npm start.`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
