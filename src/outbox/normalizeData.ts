/**
 * A frozen, JSON-normalised copy of a payload: what the wire and storage will carry anyway, so a
 * message is the same before and after a reload, and no caller can mutate it while it waits.
 * `__proto__` keys are dropped: `JSON.parse` would keep them as own keys that a later
 * `Object.assign` or spread by a consumer turns into a prototype change.
 *
 * @throws TypeError when `data` cannot be serialised (a cycle, a BigInt), at enqueue time
 *   rather than at send time, so the caller learns which call was wrong.
 */
export function normalizeData(data: unknown): unknown {
  if (data === undefined) return null;
  // Typed as a string, but `undefined` for a function or a symbol.
  const json = JSON.stringify(data) as string | undefined;
  if (json === undefined) {
    throw new TypeError('MessageQueue: data must be JSON-serialisable (a function or symbol is not).');
  }
  return deepFreeze(JSON.parse(json, dropProtoKey));
}

/** A `JSON.parse` reviver that deletes `__proto__` keys (returning `undefined` removes a key). */
function dropProtoKey(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
