/** The built-in prototypes a pollution attack aims at. */
const PROTOTYPES: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};

type Snapshot = Record<string, Map<string | symbol, unknown>>;

function take(): Snapshot {
  const snapshot: Snapshot = {};
  for (const [name, prototype] of Object.entries(PROTOTYPES)) {
    const descriptors = Object.getOwnPropertyDescriptors(prototype) as Record<string | symbol, PropertyDescriptor>;
    // A data property is known by its value, an accessor by its getter.
    snapshot[name] = new Map(
      Reflect.ownKeys(descriptors).map((key) => [
        key,
        Reflect.get(descriptors[key] ?? {}, 'value') ?? Reflect.get(descriptors[key] ?? {}, 'get'),
      ]),
    );
  }
  return snapshot;
}

/**
 * Remembers every own property of `Object.prototype` (and of Array, Function and String's) and
 * lists, on `changes()`, what was added, removed or replaced since, plus the classic probe
 * `({}).polluted`. Empty means nothing was polluted.
 *
 * @example
 * const guard = guardPrototypes();
 * feed(hostilePayloads);
 * expect(guard.changes()).toEqual([]);
 */
export function guardPrototypes(): { changes(): string[] } {
  const before = take();
  return {
    changes() {
      const after = take();
      const changes: string[] = [];
      for (const [name, keys] of Object.entries(before)) {
        const now = after[name] ?? new Map<string | symbol, unknown>();
        for (const [key, value] of keys)
          if (!now.has(key) || now.get(key) !== value) changes.push(`${name}.prototype.${String(key)} changed or removed`);
        for (const key of now.keys()) if (!keys.has(key)) changes.push(`${name}.prototype.${String(key)} added`);
      }
      const probe = {} as Record<string, unknown>;
      if (probe.polluted !== undefined) changes.push(`({}).polluted is ${JSON.stringify(probe.polluted)}`);
      return changes;
    },
  };
}
