import type { StorageLike } from './StorageLike.js';

/**
 * A {@link StorageLike} kept in memory: the fallback when `localStorage` is missing or refused
 * (SSR, private mode), and a shared store for tests that simulate two tabs.
 *
 * @example
 * const shared = memoryStorage();
 * const tabA = createJobStreams({ url, outbox: outbox({ storage: shared }) });
 * const tabB = createJobStreams({ url, outbox: outbox({ storage: shared }) }); // one outbox, one sender
 */
export function memoryStorage(): StorageLike {
  // A Map, not a plain object: keys like `__proto__` must be data, never prototype access.
  const items = new Map<string, string>();
  // Coerced like the Web Storage API coerces keys and values, for JavaScript callers.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-conversion */
  return {
    getItem: (key) => items.get(String(key)) ?? null,
    setItem: (key, value) => void items.set(String(key), String(value)),
    removeItem: (key) => void items.delete(String(key)),
  };
  /* eslint-enable @typescript-eslint/no-unnecessary-type-conversion */
}
