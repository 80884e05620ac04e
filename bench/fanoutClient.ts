/**
 * One measured client of `bench/fanout.ts`, in its own process so its heap holds nothing but
 * the runtime and the fleet being weighed, and so a client that leaks after `dispose()` cannot
 * pollute the next measurement. Driven over IPC by the orchestrator (see `FanoutCommand`).
 */
import { Manager, type Socket } from 'socket.io-client';
import type { Subscription } from 'rxjs';
import { createJobStreams } from '../src/client/createJobStreams.js';
import type { FanoutCommand, FanoutReport, FanoutSide } from './fanoutProtocol.js';

/** Jobs held subscribed; `ready` resolves once every job counts as subscribed (see fanout.ts). */
interface Fleet {
  ready: Promise<void>;
  close(): void;
}

/** Settles once `linger` timers (1 s by default) have fired, so a heap baseline holds no garbage still referenced. */
const SETTLE_MS = 1500;

const report = (message: FanoutReport) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function gcHeap(): number {
  if (!globalThis.gc) throw new Error('fanoutClient needs --expose-gc');
  // Twice: the first pass can leave work for finalizers and weak callbacks.
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function countdown(jobs: number): { hit: () => void; ready: Promise<void> } {
  let pending = jobs;
  let done!: () => void;
  const ready = new Promise<void>((resolve) => (done = resolve));
  return {
    hit: () => {
      if (--pending === 0) done();
    },
    ready,
  };
}

function jobstreamFleet(url: string, ids: readonly string[]): Fleet {
  const streams = createJobStreams({ url, transports: ['websocket'] });
  const { hit, ready } = countdown(ids.length);
  const subscriptions: Subscription[] = ids.map((id) => {
    let counted = false;
    return streams.generationState$(id).subscribe((state) => {
      // Every job is `processing` on the server: this state was built from the subscribe ack.
      if (!counted && state.status === 'processing') {
        counted = true;
        hit();
      }
    });
  });
  return {
    ready,
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      streams.dispose();
    },
  };
}

function rawFleet(url: string, ids: readonly string[]): Fleet {
  const manager = new Manager(url, { transports: ['websocket'], reconnection: false });
  const { hit, ready } = countdown(ids.length);
  const snapshots = new Map<string, unknown>();
  const sockets: Socket[] = ids.map((id) => {
    const socket = manager.socket(`/ws/generations/${id}`);
    socket.on('connect', () =>
      socket.emit('subscribe', { type: 'subscribe', generation_id: id }, (snapshot: unknown) => {
        if (!snapshots.has(id)) hit();
        snapshots.set(id, snapshot);
      }),
    );
    return socket;
  });
  return {
    ready,
    close() {
      for (const socket of sockets) socket.disconnect();
      manager.engine?.close();
    },
  };
}

const fleetOf = (side: FanoutSide, url: string, ids: readonly string[]): Fleet => (side === 'raw' ? rawFleet(url, ids) : jobstreamFleet(url, ids));

let fleet: Fleet | undefined;
let heapBefore = 0;
let jobs = 0;

async function handle(command: FanoutCommand): Promise<void> {
  switch (command.op) {
    case 'subscribe': {
      // Warm-up, not reported: compiles the code paths so their code is not counted as per-job heap.
      const warm = fleetOf(command.side, command.url, command.warmupIds);
      await warm.ready;
      warm.close();
      await sleep(SETTLE_MS);
      jobs = command.ids.length;
      heapBefore = gcHeap();
      const started = process.hrtime.bigint();
      fleet = fleetOf(command.side, command.url, command.ids);
      await fleet.ready;
      report({ phase: 'subscribed', subscribeAllMs: Number(process.hrtime.bigint() - started) / 1e6 });
      return;
    }
    case 'weigh': {
      // Let trailing work (acks of the root socket, first timers) settle before weighing.
      await sleep(200);
      report({ phase: 'weighed', heapPerJobKB: (gcHeap() - heapBefore) / jobs / 1024 });
      return;
    }
    case 'dispose': {
      const started = process.hrtime.bigint();
      fleet?.close();
      report({ phase: 'disposed', disposeMs: Number(process.hrtime.bigint() - started) / 1e6 });
      return;
    }
    case 'exit':
      // Whatever is still scheduled here outlived dispose(); the orchestrator kills a client that does not exit.
      await sleep(SETTLE_MS);
      report({ phase: 'exiting', activeResources: process.getActiveResourcesInfo().filter((name) => name !== 'PipeWrap' && name !== 'TTYWrap') });
      process.disconnect();
      return;
  }
}

process.on('message', (command: FanoutCommand) => {
  handle(command).catch((error: unknown) => {
    report({ phase: 'failed', error: String(error) });
  });
});
