/**
 * Thrown by the simulator's `create…`/`start…` methods when `maxLiveJobs` jobs have not ended yet
 * (the REST API answers it with a 429). Wait for a job to end, cancel one, or raise the limit.
 *
 * @example
 * try { server.jobs.startGeneration(); } catch (error) { if (error instanceof TooManyJobsError) … }
 */
export class TooManyJobsError extends RangeError {
  override readonly name = 'TooManyJobsError';

  /** @param limit The `maxLiveJobs` that was reached. */
  constructor(readonly limit: number) {
    super(`${limit} jobs are still live, the most this server runs at once (maxLiveJobs); wait for one to end or cancel one.`);
  }
}
