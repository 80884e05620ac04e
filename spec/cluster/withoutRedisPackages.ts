// Child process of connectCluster.spec.ts: the reference server where `redis` and
// `@socket.io/redis-streams-adapter` cannot be imported. Prints one JSON line: whether a server
// without `redis` starts, and what a server with it says.
import { register } from 'node:module';

const BLOCK = `
export async function resolve(specifier, context, next) {
  if (specifier === 'redis' || specifier === '@socket.io/redis-streams-adapter') {
    throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(BLOCK)}`);

const { createJobServer } = await import('../../src/server/index.js');
const plain = await createJobServer();
await plain.close();
const clustered = await createJobServer({ redis: 'redis://127.0.0.1:1' }).then(
  async (server) => {
    await server.close();
    return 'started';
  },
  (error: unknown) => (error as Error).message,
);
process.stdout.write(`${JSON.stringify({ plain: 'started', clustered })}\n`);
