import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';

describe('memoryStorage', () => {
  it('should get what was set, null for a missing key, and forget a removed one', () => {
    const storage = memoryStorage();
    expect(storage.getItem('k')).toBeNull();
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(storage.getItem('k')).toBeNull();
  });

  it('should keep separate instances apart', () => {
    const a = memoryStorage();
    a.setItem('k', 'v');
    expect(memoryStorage().getItem('k')).toBeNull();
  });

  it('should treat prototype names as plain keys', () => {
    const storage = memoryStorage();
    expect(storage.getItem('__proto__')).toBeNull();
    expect(storage.getItem('constructor')).toBeNull();
    storage.setItem('__proto__', 'x');
    expect(storage.getItem('__proto__')).toBe('x');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('should store strings, like Web Storage', () => {
    const storage = memoryStorage();
    storage.setItem('n', 42 as unknown as string);
    expect(storage.getItem('n')).toBe('42');
  });
});
