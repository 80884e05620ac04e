import { useEffect, useReducer, useRef } from 'react';
import { createJobStreams, type JobStreams } from '../client/createJobStreams.js';
import type { JobStreamsOptions } from '../client/JobStreamsOptions.js';

interface Owned {
  readonly client: JobStreams;
  /** Mounted effects holding the client; it is disposed when this stays 0 past a microtask. */
  holders: number;
  disposed: boolean;
}

/**
 * A client created from `options` on first render and disposed when the component unmounts;
 * `null` when `options` is `undefined`. Internal to `JobStreamsProvider`.
 *
 * Pitfalls handled here:
 * - Created in a lazily initialised ref, not a `useState` initializer: React 19 StrictMode calls
 *   initializers twice and would leave one client behind, while the ref survives the double render.
 * - StrictMode (and Fast Refresh) run the effect cleanup and the effect again synchronously, so
 *   disposal waits a microtask and is cancelled by that remount: the double mount keeps one client.
 * - A remount that comes after disposal (an `<Activity>` shown again) gets a new client: a disposed
 *   one is never handed out again.
 *
 * `options` are read once, like a `useState` initial value; later changes are ignored.
 */
// The React Compiler rules below assume render is pure; this hook deliberately keeps its client in
// a ref during render and counts holders on it in effects (see the pitfalls above), and is not
// compiled by the React Compiler.
/* eslint-disable react-hooks/refs, react-hooks/immutability */
export function useOwnedJobStreams(options: JobStreamsOptions | undefined): JobStreams | null {
  const ownedRef = useRef<Owned | null>(null);
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  if (options !== undefined && (ownedRef.current === null || ownedRef.current.disposed)) {
    ownedRef.current = { client: createJobStreams(options), holders: 0, disposed: false };
  }
  const owned = options === undefined ? null : ownedRef.current;

  useEffect(() => {
    if (owned === null) return undefined;
    if (owned.disposed) {
      rerender();
      return undefined;
    }
    owned.holders++;
    return () => {
      owned.holders--;
      queueMicrotask(() => {
        if (owned.holders > 0 || owned.disposed) return;
        owned.disposed = true;
        owned.client.dispose();
      });
    };
  }, [owned]);

  return owned?.client ?? null;
}
/* eslint-enable react-hooks/refs, react-hooks/immutability */
