import { describe, expect, it } from 'vitest';
import { FakeLockManager } from './FakeLockManager.js';
import { flushMicrotasks } from './helpers.js';

/** The fake must behave like `navigator.locks`, or the lease tests built on it prove nothing. */
describe('FakeLockManager', () => {
  it('should grant one holder at a time, in request order, asynchronously', async () => {
    const locks = new FakeLockManager();
    const log: string[] = [];
    const hold = (who: string) => {
      let release = (): void => undefined;
      const done = locks.request('L', { mode: 'exclusive' }, () => {
        log.push(`${who} granted`);
        return new Promise<void>((resolve) => (release = resolve));
      });
      return { done, release: () => release() };
    };
    const a = hold('a');
    const b = hold('b');
    const c = hold('c');
    expect(log).toEqual([]);
    await flushMicrotasks();
    expect(log).toEqual(['a granted']);
    a.release();
    await a.done;
    await flushMicrotasks();
    expect(log).toEqual(['a granted', 'b granted']);
    b.release();
    await flushMicrotasks();
    expect(log).toEqual(['a granted', 'b granted', 'c granted']);
    c.release();
    await c.done;
    expect(locks.state('L')).toEqual({ held: false, pending: 0 });
  });

  it('should reject an aborted waiting request with AbortError and never grant it', async () => {
    const locks = new FakeLockManager();
    let release = (): void => undefined;
    void locks.request('L', { mode: 'exclusive' }, () => new Promise<void>((resolve) => (release = resolve)));
    const abort = new AbortController();
    let called = false;
    const waiting = locks.request('L', { mode: 'exclusive', signal: abort.signal }, () => (called = true));
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await flushMicrotasks();
    expect(called).toBe(false);
    expect(locks.state('L')).toEqual({ held: false, pending: 0 });
  });

  it('should release when the callback throws, rejecting the request', async () => {
    const locks = new FakeLockManager();
    const failing = locks.request('L', { mode: 'exclusive' }, () => {
      throw new Error('x');
    });
    await expect(failing).rejects.toThrow('x');
    expect(locks.state('L').held).toBe(false);
  });
});
