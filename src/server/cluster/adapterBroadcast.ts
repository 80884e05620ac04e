/**
 * The Redis stream `@socket.io/redis-streams-adapter` is created with here, and the length it
 * trims it to: a job event written by a script must land in the stream the adapters read.
 */
export const ADAPTER_STREAM = { streamName: 'socket.io', maxLen: 10_000 } as const;

/**
 * Sender id of the entries {@link adapterBroadcast} makes. No adapter has it, so every node reads
 * them as another member's; a cluster node's adapters hand them to its job sockets (see
 * `ClusterNode.jobEvents$`).
 */
export const JOB_STORE_UID = 'jobstream-job-store';

/**
 * The fields of the stream entry that `@socket.io/redis-streams-adapter` (0.3) appends for
 * `io.of(namespace).emit(event, payload)`: a `BROADCAST` (type 3) whose data is the socket.io
 * packet and the broadcast's options, as JSON. Every node's adapter reads the stream, the
 * writing node's included.
 *
 * A job store appends it in the same Lua script that records the job's step: recording and
 * broadcasting then cannot be separated by a crash or a Redis restart, and the stream's order is
 * the order in which steps were recorded, whichever node recorded them. A spec checks this entry
 * against the one the adapter itself writes.
 *
 * @example
 * adapterBroadcast('/ws/generations/gen_1', 'progress', { percentage: 10 });
 * // ['uid', 'jobstream-job-store', 'nsp', '/ws/generations/gen_1', 'type', '3', 'data', '{"packet":…}']
 */
export function adapterBroadcast(namespace: string, event: string, payload: unknown): string[] {
  // socket.io-parser's EVENT packet (each adapter sets its `nsp`), and socket.io-adapter's encoded broadcast options.
  const packet = { type: 2, data: [event, payload] };
  const data = JSON.stringify({ packet, opts: { rooms: [], except: [], flags: {} } });
  return ['uid', JOB_STORE_UID, 'nsp', namespace, 'type', '3', 'data', data];
}
