import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { createJobStreams, type JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import type { WebSocketEvent } from '../../src/protocol/index.js';
import { createJobServer, type JobServer, type JobServerOptions } from '../../src/server/index.js';

/**
 * Short delays for integration tests: every wait below is a few hundred ms at most, and tests
 * wait on conditions, never on these numbers.
 */
export const FAST: JobStreamsOptions = {
  reconnection: { delay: 50, maxDelay: 200, jitter: 0 },
  heartbeat: { interval: 200, timeout: 300 },
  polling: { interval: 100, grace: 100 },
  idleTimeout: 60_000,
  throttle: 0,
  linger: 0,
  ackTimeout: 2000,
  transports: ['websocket'],
};

/** A reference server on 127.0.0.1, port 0, and clients that are all disposed with it. */
export interface Harness {
  server: JobServer;
  client(options?: JobStreamsOptions): JobStreams;
  close(): Promise<void>;
}

export async function startHarness(serverOptions: JobServerOptions = {}): Promise<Harness> {
  const server = await createJobServer(serverOptions);
  const clients: JobStreams[] = [];
  return {
    server,
    client(options = {}) {
      const client = createJobStreams({ url: server.url, ...FAST, ...options });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.dispose();
      await server.close();
    },
  };
}

/** Every event of a stream until it completes. */
export function collect(events$: Observable<WebSocketEvent>): Promise<WebSocketEvent[]> {
  return lastValueFrom(events$.pipe(toArray()));
}

/** Ids of the clips in `events`, in order, repeats included. */
export function clipIds(events: readonly WebSocketEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'clip_completed' ? [event.data.clip_id] : []));
}

/** How many events of `events` are of `type`. */
export function count(events: readonly WebSocketEvent[], type: WebSocketEvent['type']): number {
  return events.filter((event) => event.type === type).length;
}

/** Percentages of the progress events, in order. */
export function percentages(events: readonly WebSocketEvent[]): number[] {
  return events.flatMap((event) =>
    event.type === 'progress' || event.type === 'encoding_progress' ? [event.data.percentage] : [],
  );
}
