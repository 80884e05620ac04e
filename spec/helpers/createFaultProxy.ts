import { createServer, Socket, type Server } from 'node:net';
import { mulberry32 } from './mulberry32.js';

/** What a link does to the bytes going one way. */
export interface Fault {
  /** Hold each chunk this many ms (order kept). */
  delayMs?: number;
  /** Spread each delay by up to ± this many ms, from the proxy's seeded RNG. */
  jitterMs?: number;
  /** Write chunks in pieces of this many bytes, each delayed on its own. */
  sliceBytes?: number;
  /** Keep the connection open but drop every byte (a half-open link). */
  blackhole?: boolean;
}

export type Direction = 'up' | 'down' | 'both';

/** A TCP proxy on loopback between a client and a server, with faults per direction. */
export interface FaultProxy {
  /** `http://127.0.0.1:port` for clients. */
  readonly url: string;
  readonly port: number;
  /** Sets the fault of `up` (client → server), `down` (server → client) or both; `{}` passes. */
  set(direction: Direction, fault: Fault): void;
  /** Resets every open connection (RST), as a dropped Wi-Fi or a crashed middlebox would. */
  cut(): void;
  /** Refuses new connections (accepted then reset at once) while `on`. */
  refuse(on: boolean): void;
  /** Points new connections at another port, as when a server restarts elsewhere. */
  retarget(port: number): void;
  /** Open connections. */
  connections(): number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * Starts the proxy on 127.0.0.1, port 0, in front of `targetPort`. Randomness (jitter) comes from
 * `seed`, so a failing run can be replayed.
 */
export async function createFaultProxy(targetPort: number, seed = 1): Promise<FaultProxy> {
  const random = mulberry32(seed);
  const faults: Record<'up' | 'down', Fault> = { up: {}, down: {} };
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let target = targetPort;
  let accepted = 0;

  const pipe = (from: Socket, to: Socket, direction: 'up' | 'down') => {
    // Each chunk leaves no earlier than the previous one, so delays never reorder bytes.
    let ready = 0;
    from.on('data', (chunk: Buffer) => {
      const fault = faults[direction];
      if (fault.blackhole) return;
      const size = fault.sliceBytes ?? chunk.length;
      for (let offset = 0; offset < chunk.length; offset += size) {
        const piece = chunk.subarray(offset, offset + size);
        const delay = Math.max(0, (fault.delayMs ?? 0) + (fault.jitterMs ?? 0) * (2 * random() - 1));
        if (delay === 0 && ready <= Date.now()) {
          to.write(piece);
          continue;
        }
        ready = Math.max(ready, Date.now() + delay);
        setTimeout(() => !to.destroyed && to.write(piece), ready - Date.now());
      }
    });
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.connect(target, '127.0.0.1');
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('fault proxy: no address');

  const cut = () => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    set(direction, fault) {
      if (direction !== 'down') faults.up = fault;
      if (direction !== 'up') faults.down = fault;
    },
    cut,
    refuse(on) {
      refusing = on;
    },
    retarget(port) {
      target = port;
    },
    connections: () => pairs.size,
    get accepted() {
      return accepted;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
