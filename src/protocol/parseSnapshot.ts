import type { JobKind } from './resources.js';
import { CompositionSchema, GenerationSchema, type Composition, type Generation } from './resources.js';
import { safeParse } from './parse.js';
import type { ParseResult } from './ValidationError.js';

/**
 * Validates a job snapshot from REST or from a `subscribe` ack; never throws.
 *
 * @example
 * const result = parseSnapshot('generation', await response.json());
 */
export function parseSnapshot(kind: 'generation', payload: unknown): ParseResult<Generation>;
export function parseSnapshot(kind: 'composition', payload: unknown): ParseResult<Composition>;
export function parseSnapshot(kind: JobKind, payload: unknown): ParseResult<Generation | Composition>;
export function parseSnapshot(kind: JobKind, payload: unknown): ParseResult<Generation | Composition> {
  const schema = kind === 'generation' ? GenerationSchema : CompositionSchema;
  return safeParse(schema, payload, kind, 'invalid_snapshot');
}
