import { useObservableEagerState } from 'observable-hooks';
import type { ConnectionState } from '../protocol/connection.js';
import { useJobStreams } from './useJobStreams.js';

/**
 * The client's {@link ConnectionState}: status, transport, attempts, times, latency, last error.
 *
 * Read eagerly (no extra first render): `connectionState$` is a hot store that replays its value
 * and opens nothing when watched, so subscribing during render is safe here, unlike a job's stream.
 *
 * Pitfall: the client must not be disposed (a provider never hands out a disposed client it owns);
 * a disposed client's state has completed and this hook throws that it did not emit.
 *
 * @example
 * const { status, transport } = useConnectionState();
 */
export function useConnectionState(): ConnectionState {
  const client = useJobStreams();
  return useObservableEagerState(client.connectionState$);
}
