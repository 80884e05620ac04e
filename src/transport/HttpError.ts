/** A REST request answered with a status other than 2xx. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    /** The HTTP status, or 0 when the request never got an answer (network error). */
    readonly status: number,
    /** The URL requested. */
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(status === 0 ? `GET ${url} failed: network error` : `GET ${url} answered ${status}`, options);
  }

  /** Whether trying again may help: network errors, 408, 429 and 5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
