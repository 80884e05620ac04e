import * as v from 'valibot';
import { ValidationError, type ParseResult, type ValidationErrorKind } from './ValidationError.js';

/**
 * Runs `schema` on untrusted `payload` and never throws: hostile inputs (getters that throw,
 * revoked proxies, absurd nesting) become a {@link ValidationError} like any other bad payload.
 */
export function safeParse<S extends v.GenericSchema>(
  schema: S,
  payload: unknown,
  event: string,
  kind: ValidationErrorKind,
): ParseResult<v.InferOutput<S>> {
  try {
    const result = v.safeParse(schema, payload, { abortEarly: true });
    if (result.success) return { ok: true, value: result.output };
    const [issue] = result.issues;
    return { ok: false, error: new ValidationError(kind, event, v.getDotPath(issue) ?? '', clip(issue.message)) };
  } catch (cause) {
    return { ok: false, error: new ValidationError(kind, event, '', `unreadable payload (${describe(cause)})`) };
  }
}

/** Longest reason kept: valibot quotes the received value, and a hostile one can be megabytes. */
const MAX_REASON_LENGTH = 200;

function clip(reason: string): string {
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}

function describe(cause: unknown): string {
  try {
    return clip(cause instanceof Error ? cause.message : String(cause));
  } catch {
    return 'unknown';
  }
}
