/**
 * The `error` of a dead letter whose message the server refused: it acked the envelope with
 * `{ error }` instead of `{ id }`. Such a message is never resent.
 *
 * @example
 * streams.deadLetters$.subscribe(({ message, error }) => {
 *   if (error instanceof MessageRejectedError) toast(`${message.event} refused: ${JSON.stringify(error.response)}`);
 * });
 */
export class MessageRejectedError extends Error {
  override readonly name = 'MessageRejectedError';
  constructor(
    /** The server's ack, as received. */
    readonly response: unknown,
  ) {
    super(`The server refused the message: ${(JSON.stringify(response) as string | undefined)?.slice(0, 200)}`);
  }
}
