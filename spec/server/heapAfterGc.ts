import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// `npm test` runs without --expose-gc; the flag set now exposes `gc` to contexts made afterwards.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap in use once garbage is collected, in bytes: what the server really keeps. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
