import { storageProblemKind } from './storageProblemKind.js';
import type { StorageLike } from './StorageLike.js';
import type { StorageProblem } from './StorageProblem.js';

/** One key of a {@link StorageLike}, with every call made safe. */
export interface StorageSlot {
  /** The stored string, `null` when absent, `undefined` when reading failed. */
  read(): string | null | undefined;
  /** Whether the write reached storage. */
  write(value: string): boolean;
  /** Whether the removal reached storage. */
  remove(): boolean;
}

/**
 * Binds a storage key and turns every throw into a reported problem and a result, so callers
 * decide what a failure means (keep going in memory) instead of unwinding mid-update.
 */
export function createStorageSlot(storage: StorageLike, key: string, report: (problem: StorageProblem) => void): StorageSlot {
  function attempt<T>(call: () => T, failed: T): T {
    try {
      return call();
    } catch (error) {
      report({ kind: storageProblemKind(error), error });
      return failed;
    }
  }
  return {
    read: () => attempt<string | null | undefined>(() => storage.getItem(key), undefined),
    write: (value) => attempt(() => (storage.setItem(key, value), true), false),
    remove: () => attempt(() => (storage.removeItem(key), true), false),
  };
}
