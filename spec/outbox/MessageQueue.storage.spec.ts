import { afterEach, describe, expect, it } from 'vitest';
import { MessageQueue } from '../../src/outbox/MessageQueue.js';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import type { StorageProblem } from '../../src/outbox/StorageProblem.js';
import { domError, spyStorage, stubLocalStorage } from './helpers.js';
import { setupQueue } from './setupQueue.js';

const KEY = 'jobstream:outbox:v1';

/** Exercises the queue: it must behave exactly as with healthy storage. */
function expectWorkingInMemory(queue: MessageQueue): void {
  queue.enqueue('a', 1);
  queue.enqueue('b', 2);
  expect(queue.dequeue()?.event).toBe('a');
  expect(queue.getAll().map((m) => m.event)).toEqual(['b']);
}

describe('MessageQueue', () => {
  describe('with the default storage', () => {
    let restore = (): void => undefined;
    afterEach(() => restore());

    it('should persist to globalThis.localStorage when it is usable', () => {
      const local = memoryStorage();
      restore = stubLocalStorage({ value: local });
      new MessageQueue().enqueue('a', 1);
      expect(local.getItem(KEY)).toContain('"event":"a"');
    });

    it('should work in memory and report "unavailable" once when localStorage is missing (SSR)', () => {
      restore = stubLocalStorage({ value: undefined });
      const problems: StorageProblem[] = [];
      const queue = new MessageQueue({ onProblem: (problem) => problems.push(problem) });
      expectWorkingInMemory(queue);
      expect(problems).toEqual([{ kind: 'unavailable' }]);
    });

    it('should work in memory and report "security" once when reading localStorage throws', () => {
      const error = domError('SecurityError', 18);
      restore = stubLocalStorage({
        get() {
          throw error;
        },
      });
      const problems: StorageProblem[] = [];
      const queue = new MessageQueue({ onProblem: (problem) => problems.push(problem) });
      expectWorkingInMemory(queue);
      expect(problems).toEqual([{ kind: 'security', error }]);
    });
  });

  describe('with a storage whose setItem throws', () => {
    // prettier-ignore
    it.each([
      ['QuotaExceededError by name',     domError('QuotaExceededError')],
      ['legacy quota error code 22',     domError('Error', 22)],
      ['NS_ERROR_DOM_QUOTA_REACHED',     domError('NS_ERROR_DOM_QUOTA_REACHED', 1014)],
    ])('should keep working in memory and report "quota" once (%s)', (_, error) => {
      const { storage, failures } = spyStorage();
      failures.setItem = error;
      const { queue, problems } = setupQueue({ storage });
      expectWorkingInMemory(queue);
      queue.enqueue('c', 3);
      expect(problems).toEqual([{ kind: 'quota', error }]);
    });

    it('should keep memory (not stale storage) and persist it all once writes succeed again', () => {
      const { storage, failures } = spyStorage();
      const { queue, open } = setupQueue({ storage });
      queue.enqueue('saved', null);
      failures.setItem = domError('QuotaExceededError');
      queue.enqueue('memory only', null);
      expect(queue.getAll().map((m) => m.event)).toEqual(['saved', 'memory only']);
      delete failures.setItem;
      queue.enqueue('after recovery', null);
      expect(open().getAll().map((m) => m.event)).toEqual(['saved', 'memory only', 'after recovery']);
    });

    describe('while another tab writes', () => {
      /** Tab A writes through storage that can refuse writes, tab B straight to the shared one. */
      function twoTabs() {
        const { open, scheduler, storage: shared, problems } = setupQueue();
        const flaky = spyStorage(shared);
        const events = (queue: { getAll(): { event: string }[] }) => queue.getAll().map((m) => m.event);
        return {
          tabA: open({ storage: flaky.storage }),
          tabB: open(),
          reopen: () => events(open()),
          events,
          failures: flaky.failures,
          scheduler,
          problems,
        };
      }

      it("should merge by id on every write and never drop the other tab's messages", () => {
        const { tabA, tabB, reopen, failures, scheduler } = twoTabs();
        tabA.enqueue('a1', null);
        failures.setItem = domError('QuotaExceededError');
        scheduler.frame += 10;
        tabA.enqueue('a2', null);
        delete failures.setItem;
        scheduler.frame += 10;
        tabB.enqueue('b1', null);
        scheduler.frame += 10;
        tabA.enqueue('a3', null);

        expect(reopen()).toEqual(['a1', 'a2', 'b1', 'a3']);
      });

      it('should keep merging while writes keep failing, and write the union once they succeed', () => {
        const { tabA, tabB, reopen, events, failures, scheduler } = twoTabs();
        failures.setItem = domError('QuotaExceededError');
        tabA.enqueue('a1', null);
        scheduler.frame += 10;
        tabB.enqueue('b1', null);
        scheduler.frame += 10;
        tabA.enqueue('a2', null);
        expect(events(tabA)).toEqual(['a1', 'b1', 'a2']);
        delete failures.setItem;
        tabA.size();

        expect(reopen()).toEqual(['a1', 'b1', 'a2']);
      });

      it('should not bring back what either tab removed while its writes failed', () => {
        const { tabA, tabB, reopen, failures } = twoTabs();
        const [first, second] = [tabA.enqueue('a1', null), tabA.enqueue('a2', null)];
        tabB.enqueue('b1', null);
        failures.setItem = domError('QuotaExceededError');
        tabA.remove(first); // acked while A cannot write
        tabB.remove(second); // delivered by B meanwhile
        delete failures.setItem;
        tabA.size();

        expect(reopen()).toEqual(['b1']);
      });

      it("should keep the other tab's retry count", () => {
        const { tabA, tabB, failures, problems } = twoTabs();
        const id = tabA.enqueue('a1', null);
        failures.setItem = domError('QuotaExceededError');
        tabA.enqueue('a2', null);
        tabB.incrementRetries(id);
        delete failures.setItem;

        expect(tabA.getAll().map((m) => m.retries)).toEqual([1, 0]);
        expect(problems.map((p) => p.kind)).toEqual(['quota']);
      });
    });

    it('should report other write errors as "unavailable"', () => {
      const { storage, failures } = spyStorage();
      failures.setItem = new TypeError('boom');
      const { queue, problems } = setupQueue({ storage });
      expectWorkingInMemory(queue);
      expect(problems.map((p) => p.kind)).toEqual(['unavailable']);
    });
  });

  describe('with a storage whose getItem throws', () => {
    it('should keep working in memory and report once', () => {
      const { storage, failures } = spyStorage();
      failures.getItem = domError('SecurityError');
      const { queue, problems } = setupQueue({ storage });
      expectWorkingInMemory(queue);
      expect(problems.map((p) => p.kind)).toEqual(['security']);
    });
  });

  describe('with a throwing onProblem', () => {
    it('should keep working', () => {
      const { storage, failures } = spyStorage();
      failures.setItem = domError('QuotaExceededError');
      const queue = new MessageQueue({
        storage,
        onProblem: () => {
          throw new Error('logger bug');
        },
      });
      expectWorkingInMemory(queue);
    });
  });
});
