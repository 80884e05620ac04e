import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// The page talks to its own origin only: REST, socket.io (ws: on the same host) and its assets.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of {@link staticFileHandler}. */
export interface StaticFileConfig {
  /**
   * `<meta name content>` tags added to the `<head>` of every HTML page served: how the server
   * hands a page a value it makes at start (the demo controls' token).
   * @default {}
   */
  meta?: Readonly<Record<string, string>>;
}

/**
 * A `requestHandler` for `createJobServer` serving a built single-page app from `root`: files
 * with their content type, `index.html` for any other GET that wants a page (client-side routes,
 * `/#jobs=…`), and `false` for `/api/` so the REST API answers. Paths are resolved inside `root`;
 * `..`, encoded or not, never leaves it. Every answer carries `X-Content-Type-Options: nosniff`.
 *
 * @example
 * const files = staticFileHandler('demo/dist');
 * await createJobServer({ requestHandler: files });
 */
export function staticFileHandler(
  root: string,
  { meta = {} }: StaticFileConfig = {},
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const base = resolve(root);
  const index = join(base, 'index.html');
  const head = Object.entries(meta)
    .map(([name, content]) => `<meta name="${escapeAttribute(name)}" content="${escapeAttribute(content)}">`)
    .join('');
  const send = (req: IncomingMessage, res: ServerResponse, file: string, stats: Stats): true =>
    head !== '' && extname(file) === '.html' ? sendPage(req, res, file, head) : sendFile(req, res, file, stats);

  return (req, res) => {
    const method = req.method ?? 'GET';
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (rawPath.startsWith('/api/')) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, {
        allow: 'GET, HEAD',
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
      res.end('Method not allowed');
      return true;
    }
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return refuse(res, 400, 'Bad request');
    }
    if (path.includes('\0')) return refuse(res, 400, 'Bad request');
    const file = resolve(base, `.${path}`);
    if (file !== base && !file.startsWith(base + sep)) return refuse(res, 403, 'Forbidden');

    const found = fileStats(file);
    if (found) return send(req, res, file, found);
    // A missing asset is a 404; a missing page is the app's to route.
    if (extname(path) !== '' && !path.endsWith('.html')) return refuse(res, 404, 'Not found');
    const page = fileStats(index);
    if (!page) return refuse(res, 503, 'The dashboard is not built; run `npm start`.');
    return send(req, res, index, page);
  };
}

function fileStats(file: string): Stats | undefined {
  try {
    const stats = statSync(file);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, stats: Stats): true {
  res.writeHead(200, headers(file, stats.size));
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  return true;
}

// A page with the meta tags of this start: read and rewritten per request (it is a few KB).
function sendPage(req: IncomingMessage, res: ServerResponse, file: string, head: string): true {
  let page: Buffer;
  try {
    page = Buffer.from(readFileSync(file, 'utf8').replace(/<head>/i, (tag) => `${tag}${head}`));
  } catch {
    return refuse(res, 503, 'The dashboard is not built; run `npm start`.');
  }
  // The page holds a secret of this start: never keep it in a cache.
  res.writeHead(200, { ...headers(file, page.length), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : page);
  return true;
}

function headers(file: string, size: number): Record<string, string | number> {
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const hashed = /[\\/]assets[\\/]/.test(file);
  return {
    'content-type': type,
    'content-length': size,
    'x-content-type-options': 'nosniff',
    // Vite puts a content hash in every asset name, so those never change; the page always may.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(type.startsWith('text/html')
      ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' }
      : {}),
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function refuse(res: ServerResponse, status: number, text: string): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
  return true;
}
