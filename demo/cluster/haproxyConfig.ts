/** One server line of the HAProxy backend. */
export interface HaproxyServer {
  /** Server name, also the value of the sticky cookie. */
  id: string;
  port: number;
}

/** Options of {@link haproxyConfig}. */
export interface HaproxyConfig {
  /** Frontend port, on 127.0.0.1. */
  port: number;
  servers: readonly HaproxyServer[];
  /**
   * The sticky-session cookie HAProxy sets on the first response and routes by afterwards.
   * @default 'jobstream_node'
   */
  cookie?: string;
}

/**
 * The HAProxy configuration socket.io's "Using multiple nodes" guide gives, for nodes on
 * loopback: HTTP mode, a cookie that pins every request of a client to the node that answered
 * its first one (long-polling sends many requests per session, and only that node knows the
 * session id), websocket upgrades passed through as tunnels, and timeouts longer than
 * engine.io's ping interval so an idle long-poll is not cut.
 *
 * Two choices differ from the guide, for nodes that are killed on purpose: health checks every
 * 500 ms with `rise 1 fall 1` (a killed node is out, and a restarted one back in, within a
 * second), and `option redispatch` so a request pinned to a dead node goes to a live one,
 * which answers the unknown session with 400 and the client starts a new one. The checks are
 * TCP connects: the reference server has no health route, and a killed node refuses them.
 *
 * And one addition: `option forwardfor except 127.0.0.0/8` marks every request of a client that
 * is not on this machine with `X-Forwarded-For`, which the demo controls refuse. The frontend
 * binds to loopback, so none should come; if it is ever bound wider, the controls stay local.
 *
 * @example
 * writeFileSync(file, haproxyConfig({ port: 5173, servers: [{ id: 'node-1', port: 40001 }] }));
 */
export function haproxyConfig(config: HaproxyConfig): string {
  const { port, servers, cookie = 'jobstream_node' } = config;
  return [
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  timeout http-request 10s',
    '  timeout http-keep-alive 2s',
    '  timeout queue 5s',
    '  option redispatch',
    '  option forwardfor except 127.0.0.0/8',
    '  retries 2',
    '',
    'frontend jobstream',
    `  bind 127.0.0.1:${port}`,
    '  default_backend nodes',
    '',
    'backend nodes',
    '  balance roundrobin',
    `  cookie ${cookie} insert indirect nocache`,
    '  default-server check inter 500ms downinter 250ms rise 1 fall 1',
    ...servers.map((server) => `  server ${server.id} 127.0.0.1:${server.port} cookie ${server.id}`),
    '',
  ].join('\n');
}
