import { createServer, Socket, type Server } from 'node:net';
import { mulberry32 } from './mulberry32.js';

/** What a link does to the bytes going one way. */
export interface Fault {
  /** Hold each piece this many ms (order kept). */
  delayMs?: number;
  /** Spread each delay by up to ± this many ms, from the proxy's seeded RNG. */
  jitterMs?: number;
  /** Write chunks in pieces of this many bytes, each delayed on its own and written on its own. */
  sliceBytes?: number;
  /** Keep the connection open but drop every byte (a half-open link). */
  blackhole?: boolean;
}

export type Direction = 'up' | 'down' | 'both';

/** What went through the proxy so far, per direction (`up`: client → server). */
export interface FaultProxyStats {
  /** Bytes written on to the other side. */
  forwarded: Record<'up' | 'down', number>;
  /** Bytes dropped by a blackhole. */
  dropped: Record<'up' | 'down', number>;
  /** Separate writes made (one per piece when slicing). */
  pieces: Record<'up' | 'down', number>;
  /** Connections reset by {@link FaultProxy.cut}. */
  cutConnections: number;
  /** Connections reset on arrival while refusing. */
  refused: number;
  /** Connections reset on a WebSocket upgrade request while refusing upgrades. */
  refusedUpgrades: number;
  /** The first 10,000 delays drawn (ms, jitter included), in order: what a seed replays. */
  delays: readonly number[];
}

/** A TCP proxy on loopback between a client and a server, with faults per direction. */
export interface FaultProxy {
  /** `http://127.0.0.1:port` for clients. */
  readonly url: string;
  readonly port: number;
  /** Sets the fault of `up` (client → server), `down` (server → client) or both; `{}` passes. */
  set(direction: Direction, fault: Fault): void;
  /** Resets every open connection (RST both ways), as a dropped Wi-Fi or a crashed middlebox would; returns how many. */
  cut(): number;
  /** Refuses new connections (accepted then reset at once) while `on`. */
  refuse(on: boolean): void;
  /**
   * Resets any connection whose client asks for a WebSocket upgrade while `on`, and passes plain
   * HTTP: a corporate proxy that blocks WebSockets, where long-polling still works.
   */
  refuseUpgrades(on: boolean): void;
  /** Points new connections at another port, as when a server restarts elsewhere. */
  retarget(port: number): void;
  /** Open connections. */
  connections(): number;
  /** Connections accepted so far, refused ones included. */
  readonly accepted: number;
  /** Counters since the proxy started. */
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

const MAX_RECORDED_DELAYS = 10_000;

/**
 * Starts the proxy on 127.0.0.1, port 0, in front of `targetPort`. Randomness (jitter) comes from
 * `seed`, so a failing run can be replayed: the same bytes through the same faults draw the same
 * delays (`stats().delays`).
 *
 * Each direction of each connection is one FIFO with one timer, so a piece never leaves before
 * the one ahead of it, whatever the jitter: timers armed with different durations in one loop
 * turn could otherwise fire out of order.
 *
 * @example
 * const proxy = await createFaultProxy(server.port, seed);
 * const client = createJobStreams({ url: proxy.url });
 * proxy.set('both', { delayMs: 200, jitterMs: 150, sliceBytes: 1 });
 * proxy.cut();
 */
export async function createFaultProxy(targetPort: number, seed = 1): Promise<FaultProxy> {
  const random = mulberry32(seed);
  const faults: Record<'up' | 'down', Fault> = { up: {}, down: {} };
  const pairs = new Set<[Socket, Socket]>();
  const stats = {
    forwarded: { up: 0, down: 0 },
    dropped: { up: 0, down: 0 },
    pieces: { up: 0, down: 0 },
    cutConnections: 0,
    refused: 0,
    refusedUpgrades: 0,
    delays: [] as number[],
  };
  let refusing = false;
  let refusingUpgrades = false;
  let target = targetPort;
  let accepted = 0;

  const drawDelay = (fault: Fault): number => {
    if (!fault.delayMs && !fault.jitterMs) return 0;
    const delay = Math.max(0, (fault.delayMs ?? 0) + (fault.jitterMs ?? 0) * (2 * random() - 1));
    if (stats.delays.length < MAX_RECORDED_DELAYS) stats.delays.push(delay);
    return delay;
  };

  const pipe = (from: Socket, to: Socket, direction: 'up' | 'down', reset: () => void): (() => void) => {
    const queue: { at: number; piece: Buffer }[] = [];
    let head = 0;
    let last = 0;
    let timer: NodeJS.Timeout | undefined;

    const write = (piece: Buffer) => {
      if (to.destroyed) return;
      stats.forwarded[direction] += piece.length;
      stats.pieces[direction] += 1;
      to.write(piece);
    };
    const pump = () => {
      timer = undefined;
      const now = performance.now();
      while (head < queue.length && (queue[head]?.at ?? Infinity) <= now) write((queue[head++] as { piece: Buffer }).piece);
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
        return;
      }
      timer = setTimeout(pump, Math.max(0, (queue[head]?.at ?? now) - now));
    };

    from.on('data', (chunk: Buffer) => {
      if (direction === 'up' && refusingUpgrades && isUpgradeRequest(chunk)) {
        stats.refusedUpgrades += 1;
        reset();
        return;
      }
      const fault = faults[direction];
      if (fault.blackhole) {
        stats.dropped[direction] += chunk.length;
        return;
      }
      const size = fault.sliceBytes ?? chunk.length;
      for (let offset = 0; offset < chunk.length; offset += size) {
        const piece = chunk.subarray(offset, offset + size);
        const at = Math.max(last, performance.now() + drawDelay(fault));
        last = at;
        queue.push({ at, piece });
      }
      if (timer === undefined) pump();
    });
    return () => {
      clearTimeout(timer);
      queue.length = 0;
    };
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (refusing) {
      stats.refused += 1;
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // Slices must reach the peer as separate segments, not be coalesced by Nagle.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const reset = () => {
      pairs.delete(pair);
      for (const socket of pair) if (!socket.destroyed) socket.resetAndDestroy();
    };
    const stopUp = pipe(client, upstream, 'up', reset);
    const stopDown = pipe(upstream, client, 'down', reset);
    const end = () => {
      pairs.delete(pair);
      stopUp();
      stopDown();
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', end).on('close', end);
    // A target that refuses (a server restarting) is passed on as a refusal.
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
      end();
    });
    upstream.on('close', end);
    upstream.connect(target, '127.0.0.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('fault proxy: no address');

  const cut = (): number => {
    const count = pairs.size;
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      for (const socket of pair) if (!socket.destroyed) socket.resetAndDestroy();
    }
    stats.cutConnections += count;
    return count;
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
    refuseUpgrades(on) {
      refusingUpgrades = on;
    },
    retarget(port) {
      target = port;
    },
    connections: () => pairs.size,
    get accepted() {
      return accepted;
    },
    stats: () => ({
      forwarded: { ...stats.forwarded },
      dropped: { ...stats.dropped },
      pieces: { ...stats.pieces },
      cutConnections: stats.cutConnections,
      refused: stats.refused,
      refusedUpgrades: stats.refusedUpgrades,
      delays: [...stats.delays],
    }),
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// An HTTP/1.1 request head asking to switch to WebSocket; request heads fit in one chunk here.
function isUpgradeRequest(chunk: Buffer): boolean {
  const text = chunk.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  return /^GET [^\r\n]+ HTTP\/1\.1\r\n/.test(head) && /\r\nupgrade:\s*websocket/i.test(head);
}
