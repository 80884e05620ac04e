import { URL as NodeURL } from 'node:url';
import { startServerProcess, type ServerProcess } from '../../bench/startServerProcess.js';
import { eventually } from './leakProbe.js';

/**
 * The reference server in a child process (the benches' `bench/server.ts`), so the heap measured
 * by a leak spec is the client's alone: the server keeps a record of every handshake, which
 * would count as growth here.
 */
export interface LeakServer {
  readonly url: string;
  /** `count` generations, each `processing` with one progress folded in; no job timer runs. */
  processingJobs(count: number): Promise<string[]>;
  engineConnections(): Promise<number>;
  /** Namespace sockets subscribed to `ids`, summed. */
  audience(ids: readonly string[]): Promise<number>;
  /** Waits until the server sees `engine` engine.io connections and no socket on `ids`. */
  settled(ids: readonly string[], engine: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLeakServer(): Promise<LeakServer> {
  // Under the jsdom environment `URL` is jsdom's, which resolves `./server.ts` against a
  // `file:` URL to an `http:` one; startServerProcess needs node's for its script path.
  const pageUrl = globalThis.URL;
  globalThis.URL = NodeURL as typeof URL;
  let starting: Promise<ServerProcess>;
  try {
    starting = startServerProcess();
  } finally {
    globalThis.URL = pageUrl;
  }
  const server = await starting;
  const engineConnections = async () => (await server.request<{ value: number }>({ op: 'engineConnections' })).value;
  const audience = async (ids: readonly string[]) => (await server.request<{ total: number }>({ op: 'audience', ids })).total;
  let last = { engine: -1, audience: -1 };
  return {
    url: server.url,
    processingJobs: async (count) =>
      (await server.request<{ ids: string[] }>({ op: 'createGenerations', count, processing: true })).ids,
    engineConnections,
    audience,
    settled: (ids, engine) =>
      eventually(
        async () => {
          last = { engine: await engineConnections(), audience: await audience(ids) };
          return last.engine === engine && last.audience === 0;
        },
        () => `server to see ${engine} engine connection(s) and no job socket; it sees ${JSON.stringify(last)}`,
      ),
    close: () => server.close(),
  };
}
