import { memoryStorage } from './memoryStorage.js';
import { storageProblemKind } from './storageProblemKind.js';
import type { StorageLike } from './StorageLike.js';
import type { StorageProblem } from './StorageProblem.js';

/**
 * The storage to use: the given one, else `globalThis.localStorage` when it exists and can be
 * read, else memory. Reading the global can itself throw (a `SecurityError` getter when cookies
 * are blocked), so it is touched only here, inside a `try`, never at import.
 */
export function resolveStorage(storage: StorageLike | undefined, report: (problem: StorageProblem) => void): StorageLike {
  if (storage) return storage;
  try {
    const candidate = (globalThis as { localStorage?: unknown }).localStorage;
    if (isStorageLike(candidate)) return candidate;
    report({ kind: 'unavailable' });
  } catch (error) {
    report({ kind: storageProblemKind(error), error });
  }
  return memoryStorage();
}

function isStorageLike(value: unknown): value is StorageLike {
  if (typeof value !== 'object' || value === null) return false;
  const { getItem, setItem, removeItem } = value as Record<string, unknown>;
  return typeof getItem === 'function' && typeof setItem === 'function' && typeof removeItem === 'function';
}
