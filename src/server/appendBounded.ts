/**
 * Appends `item` and drops the oldest entries beyond `limit`: the records a test reads stay
 * plain arrays (live, in arrival order) while a long-running server keeps only the last `limit`.
 * V8 trims the front of an array in place, so the `shift` costs no copy.
 *
 * @example
 * appendBounded(handshakes, { requestId, namespace }, 1000);
 */
export function appendBounded<T>(records: T[], item: T, limit: number): void {
  records.push(item);
  while (records.length > limit) records.shift();
}
