/**
 * `{ ...defaults, ...config }`, except that a field set to `undefined` keeps its default: callers
 * forwarding their own optional options (`{ ttl: options.ttl }`) must not erase it.
 */
export function withDefaults<D extends object, C extends object>(defaults: D, config: C): D & C {
  const defined = Object.entries(config).filter(([, value]) => value !== undefined);
  return { ...defaults, ...(Object.fromEntries(defined) as C) };
}
