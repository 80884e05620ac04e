import { VirtualTimeScheduler } from 'rxjs';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import type { StorageLike } from '../../src/outbox/StorageLike.js';

/** A virtual clock: `scheduler.now()` is `frame`, and nothing runs until {@link advance}. */
export function virtualTime(start = 0): VirtualTimeScheduler {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = start;
  return scheduler;
}

/** Runs every action due within `ms` and leaves the clock exactly `ms` later. */
export function advance(scheduler: VirtualTimeScheduler, ms: number): void {
  const target = scheduler.frame + ms;
  scheduler.maxFrames = target;
  scheduler.flush();
  scheduler.frame = target;
}

/** Settles pending promise callbacks (the Web Locks path is promise-based). */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A DOMException-like error, as browsers throw from storage. */
export function domError(name: string, code = 0): Error {
  return Object.assign(new Error(`${name} (simulated)`), { name, code });
}

/** Storage that records calls, and whose methods can be made to throw from some point on. */
export function spyStorage(inner: StorageLike = memoryStorage()) {
  const failures: Partial<Record<keyof StorageLike, Error>> = {};
  const calls: string[] = [];
  const guard = (method: keyof StorageLike) => {
    calls.push(method);
    const failure = failures[method];
    if (failure) throw failure;
  };
  const storage: StorageLike = {
    getItem: (key) => (guard('getItem'), inner.getItem(key)),
    setItem: (key, value) => {
      guard('setItem');
      inner.setItem(key, value);
    },
    removeItem: (key) => {
      guard('removeItem');
      inner.removeItem(key);
    },
  };
  return { storage, inner, calls, failures };
}

/** A tab's view of shared storage that can "die": after `kill()` it neither reads nor writes. */
export function mortalStorage(shared: StorageLike) {
  let alive = true;
  const storage: StorageLike = {
    getItem: (key) => (alive ? shared.getItem(key) : null),
    setItem: (key, value) => {
      if (alive) shared.setItem(key, value);
    },
    removeItem: (key) => {
      if (alive) shared.removeItem(key);
    },
  };
  return { storage, kill: () => void (alive = false) };
}

/** Replaces `globalThis.localStorage` (a value or a throwing getter) and returns the restore. */
export function stubLocalStorage(descriptor: PropertyDescriptor): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  Object.defineProperty(globalThis, 'localStorage', { configurable: true, ...descriptor });
  return () => {
    if (previous) Object.defineProperty(globalThis, 'localStorage', previous);
    else delete (globalThis as { localStorage?: unknown }).localStorage;
  };
}
