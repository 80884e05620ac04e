import type { IncomingMessage } from 'node:http';

/** Largest request body the reference server reads; its POST bodies are a few numbers. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body as JSON. An empty body reads as `{}`; a body that is too large or not
 * JSON rejects with a `RangeError` or `SyntaxError` that the caller turns into a 400.
 *
 * @example
 * const body = await readJsonBody(req);
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
