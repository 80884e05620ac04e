/**
 * One line of jobstream's debug trace, as a `debug` function receives it.
 *
 * - `link`: the shared connection: connecting, connected, disconnected (with the error), retries
 *   (attempt and delay), attempts running out, manual or `online`/`visible` wake-ups, closing,
 *   and, once, job sockets left on socket.io-client's slower broadcast path.
 * - `job`: one job's namespace: subscribing, the resync snapshot, a subscribe the server refused
 *   for now (retried), payloads refused by validation
 *   (with the event, field path and reason), idle resyncs, the terminal event, closing.
 * - `poll`: the REST fallback: switching a job to polling and back to the websocket, each GET,
 *   its retries and failures.
 * - `outbox`: queued messages: enqueued, sent, acked, retried (attempt and delay), dead-lettered,
 *   and the send lease between tabs.
 *
 * Entries are for diagnosis, not for driving an app: react to `connectionState$`, `errors$` and
 * `deadLetters$` instead.
 *
 * @example
 * createJobStreams({
 *   url,
 *   debug: (entry) => entry.scope !== 'outbox' && console.debug(`[jobstream:${entry.scope}]`, entry.message, entry.data),
 * });
 */
export interface DebugEntry {
  /** The part of the client the entry is about. */
  scope: 'link' | 'job' | 'outbox' | 'poll';
  /** What happened, in a few words, e.g. `retry scheduled` or `rejected payload`. */
  message: string;
  /** The facts: job, attempt, delay, error, message id… */
  data?: Record<string, unknown>;
}
