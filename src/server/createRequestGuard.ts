import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Origins of pages on this machine, any port, over http or https: the default `allowedOrigins`.
 * A pattern ending in `:*` matches any port (the default one included).
 */
export const LOOPBACK_ORIGINS = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
  'https://localhost:*',
  'https://127.0.0.1:*',
  'https://[::1]:*',
] as const;

/** Options of {@link createRequestGuard}, as given to `createJobServer`. */
export interface RequestGuardConfig {
  /** Origins (exact, `scheme://host:*`, or `'*'`) whose pages may write. */
  allowedOrigins: readonly string[];
  /** Host names (not IP addresses, which are always accepted) the `Host` header may carry, or `'*'`. */
  allowedHosts: readonly string[];
  /** The origin the server is reached at from outside, if known: its host and origin are allowed. */
  publicOrigin: string | undefined;
}

/** What the reference server asks of every HTTP request and socket.io handshake. */
export interface RequestGuard {
  /**
   * Why the request must be refused, or `undefined`: a `Host` that is not allowed (a
   * DNS-rebinding page reaching the server under its own name), or, for a write (`write: true`:
   * a POST, a socket.io handshake), an `Origin` that is not allowed. No `Origin` at all is a
   * client that is not a browser (a backend, curl, a test), which is allowed.
   */
  refusal(req: IncomingMessage, write: boolean): string | undefined;
  /** Whether a page of `origin` may read and write cross-origin (socket.io's `cors`, REST's CORS headers). */
  crossOriginAllowed(origin: string): boolean;
}

type OriginPattern = { any: true } | { prefix: string } | { origin: string };

/**
 * Checks the `Host` and `Origin` of requests: the reference server is a development tool that may
 * still be reached by a page it never meant to serve, and a browser sends both headers as they are.
 *
 * @example
 * const guard = createRequestGuard({ allowedOrigins: LOOPBACK_ORIGINS, allowedHosts: [], publicOrigin: undefined });
 * const why = guard.refusal(req, req.method === 'POST');
 */
export function createRequestGuard(config: RequestGuardConfig): RequestGuard {
  const { allowedOrigins, allowedHosts, publicOrigin } = config;
  const patterns = allowedOrigins.map(originPattern);
  const hosts = new Set(allowedHosts.map((host) => host.toLowerCase()));
  if (publicOrigin !== undefined) hosts.add(new URL(publicOrigin).hostname);

  const crossOriginAllowed = (origin: string): boolean =>
    origin === publicOrigin || patterns.some((pattern) => matches(pattern, origin));

  function hostAllowed(host: string): boolean {
    let hostname: string;
    try {
      hostname = new URL(`http://${host}`).hostname;
    } catch {
      return false;
    }
    // An address cannot be rebound to another machine; only a name the attacker controls can.
    const address = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    return (
      hosts.has('*') || isIP(address) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost') || hosts.has(hostname)
    );
  }

  return {
    refusal(req, write) {
      const { host, origin } = req.headers;
      if (host !== undefined && !hostAllowed(host)) {
        return `Host "${host.slice(0, 200)}" is not allowed: add its name to allowedHosts (or set publicOrigin).`;
      }
      if (!write || origin === undefined) return undefined;
      const sameOrigin = host !== undefined && sameHost(origin, host);
      if (sameOrigin || crossOriginAllowed(origin)) return undefined;
      return `Origin "${origin.slice(0, 200)}" is not allowed: add it to allowedOrigins.`;
    },
    crossOriginAllowed,
  };
}

/**
 * Reads an `allowedOrigins` entry, throwing a `TypeError` that shows the accepted forms.
 *
 * @example
 * originPattern('http://localhost:*'); // { prefix: 'http://localhost' }
 */
function originPattern(entry: string): OriginPattern {
  if (entry === '*') return { any: true };
  const anyPort = entry.endsWith(':*');
  const url = parseOrigin(anyPort ? entry.slice(0, -2) : entry);
  if (url === undefined) {
    throw new TypeError(
      `allowedOrigins: "${entry}" is not an origin; use "https://app.example", "http://localhost:*" (any port) or "*".`,
    );
  }
  return anyPort ? { prefix: `${url.protocol}//${url.hostname}` } : { origin: url.origin };
}

/**
 * Parses an http(s) origin (scheme, host, optional port; no path, query or credentials), or
 * `undefined` when `text` is anything else.
 *
 * @example
 * parseOrigin('https://api.example')?.origin; // 'https://api.example'
 */
export function parseOrigin(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  return /^https?:$/.test(url.protocol) && bare && !text.endsWith('/') ? url : undefined;
}

function matches(pattern: OriginPattern, origin: string): boolean {
  if ('any' in pattern) return true;
  if ('origin' in pattern) return origin === pattern.origin;
  return (
    origin === pattern.prefix ||
    (origin.startsWith(`${pattern.prefix}:`) && /^\d{1,5}$/.test(origin.slice(pattern.prefix.length + 1)))
  );
}

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}
