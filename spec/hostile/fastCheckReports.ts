// fast-check plumbing of the hostile specs: short reports of huge or deeply nested payloads,
// and replaying a failed run.
import fc from 'fast-check';
import type { HostileCase } from './hostileArbitraries.js';

/** `HOSTILE_SEED=… [HOSTILE_PATH=…]` replays the run whose failure printed that seed and path. */
export function replay(): { seed?: number; path?: string } {
  const { HOSTILE_SEED: seed, HOSTILE_PATH: path } = process.env;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** `JSON.stringify`, typed as it behaves: `undefined` for what JSON cannot write. */
export function jsonOf(value: unknown): string | undefined {
  return JSON.stringify(value);
}

/**
 * `message` with a short description for fast-check's reports: the default printer recurses
 * into payloads and overflows the stack on the deeply nested ones.
 */
export function described(message: HostileCase): HostileCase {
  let text: string;
  try {
    text = jsonOf(message.payload) ?? String(message.payload);
  } catch {
    text = '(unprintable)';
  }
  const show = (value: string, max: number) => (value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value);
  Object.defineProperty(message, fc.toStringMethod, {
    value: () => `${JSON.stringify(show(String(message.name), 60))} ${show(text, 200)}`,
  });
  return message;
}
