import type { Subscription } from 'rxjs';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import type { WebSocketEvent } from '../../src/protocol/index.js';
import type { JobServer } from '../../src/server/index.js';
import type { HostileCase } from './hostileArbitraries.js';

/** What one job's streams did with one batch: the events and the problems, in order. */
export interface Received {
  events: WebSocketEvent[];
  errors: JobStreamsError[];
}

/** One generation subscribed by a real client, fed batches of messages by the real server. */
export interface JobProbe {
  readonly id: string;
  /** What ended the stream, if anything did: it must stay open through any input. */
  readonly ended: () => string | undefined;
  /** Emits `cases` from the server, then a sentinel clip, and resolves with what arrived before it. */
  deliver(cases: readonly HostileCase[]): Promise<Received>;
  /**
   * Writes socket.io EVENT packets as raw text (`2/ws/generations/{id},{json}`) on the job's
   * engine.io connection, bypassing the server's encoder: what a non-node or broken server may
   * send. `json` is the text of the packet's data array, e.g. `["progress",[[…]]]`.
   */
  writeRaw(jsonTexts: readonly string[]): void;
  close(): void;
}

const SENTINEL = 'sentinel-';
const SENTINEL_TIMEOUT_MS = 15_000;

/**
 * Subscribes `generationProgress$` and `errors$` of `client` to a fresh queued job (no timers run
 * on the server) and waits until the server has it in the job's audience. A batch ends with a
 * `clip_completed` of a new id: socket.io keeps order on a connection, so once that sentinel is
 * seen, every message of the batch was handled.
 *
 * @example
 * const probe = await startProbe(server, client);
 * const { events, errors } = await probe.deliver([{ name: 'progress', payload: 'nope' }]);
 */
export async function startProbe(server: JobServer, client: JobStreams): Promise<JobProbe> {
  const id = server.jobs.createGeneration({ clips: 1 });
  let received: Received = { events: [], errors: [] };
  let ended: string | undefined;
  let sentinels = 0;
  let waiting: { clipId: string; resolve: () => void } | undefined;

  const subscriptions: Subscription[] = [
    client.generationProgress$(id).subscribe({
      next(event) {
        if (event.type === 'clip_completed' && event.data.clip_id === waiting?.clipId) waiting.resolve();
        else received.events.push(event);
      },
      error: (error: unknown) => (ended = `error: ${String(error)}`),
      complete: () => (ended ??= 'complete'),
    }),
    client.errors$.subscribe((problem) => received.errors.push(problem)),
  ];

  const sentinel = async (): Promise<void> => {
    const clipId = `${SENTINEL}${++sentinels}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiting = { clipId, resolve };
        timer = setTimeout(
          () => reject(new Error(`sentinel ${clipId} never arrived (stream ${ended ?? 'open'})`)),
          SENTINEL_TIMEOUT_MS,
        );
        server.control.emitRaw(id, 'clip_completed', { clip_id: clipId, thumbnail_url: '/sentinel.png', duration: 1 });
      });
    } finally {
      clearTimeout(timer);
      waiting = undefined;
    }
  };

  const deadline = Date.now() + SENTINEL_TIMEOUT_MS;
  while (server.control.namespaceSockets(id) === 0) {
    if (Date.now() > deadline) throw new Error(`job ${id} was never subscribed`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await sentinel();
  received = { events: [], errors: [] };

  return {
    id,
    ended: () => ended,
    async deliver(cases) {
      // A number as the event name goes out as such: socket.io's encoder takes any JSON there.
      for (const { name, payload } of cases) server.control.emitRaw(id, name as string, payload);
      await sentinel();
      const batch = received;
      received = { events: [], errors: [] };
      return batch;
    },
    writeRaw(jsonTexts) {
      const namespace = `/ws/generations/${id}`;
      const sockets = [...(server.io._nsps.get(namespace)?.sockets.values() ?? [])];
      if (sockets.length === 0) throw new Error(`no socket on ${namespace}`);
      for (const socket of sockets) for (const text of jsonTexts) socket.conn.write(`2${namespace},${text}`);
    },
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
