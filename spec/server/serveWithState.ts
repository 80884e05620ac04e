// Child process of createStateStore.spec.ts: a reference server on a state file, to be SIGKILLed.
// Prints one JSON line `{ url, id }` once listening, then runs until killed.
import { createJobServer } from '../../src/server/index.js';

const [stateFile = '', clips = '4', stepMs = '20'] = process.argv.slice(2);
const server = await createJobServer({ stateFile });
const id = server.jobs.startGeneration({ clips: Number(clips), stepMs: Number(stepMs), progressPerClip: 2 });
process.stdout.write(`${JSON.stringify({ url: server.url, id })}\n`);
