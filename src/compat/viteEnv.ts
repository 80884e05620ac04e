import type { JobStreamsEnv } from '../client/configFromEnv.js';

/**
 * Vite's `import.meta.env`, or `{}` where there is none (Node, Jest, another bundler). Read
 * through a cast because `import.meta.env` is a Vite extension: written plainly it would not
 * type-check outside Vite, and reading it must never throw.
 */
export function viteEnv(): JobStreamsEnv {
  try {
    return (import.meta as { env?: JobStreamsEnv }).env ?? {};
  } catch {
    return {};
  }
}
