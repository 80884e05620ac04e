import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON body that no cache keeps (a poll must always reach the server) and no
 * browser sniffs as another type (a 404 echoes the id it was asked for).
 *
 * @example
 * sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No generation with id "${id}"` } });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/**
 * Answers `{ error: { code, message } }`, the shape of every refusal of the reference server.
 *
 * @example
 * sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json.');
 */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
