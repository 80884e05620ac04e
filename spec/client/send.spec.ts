import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import type { DeadLetter } from '../../src/outbox.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import { FakeLockManager } from '../outbox/FakeLockManager.js';
import { createFaultProxy } from '../helpers/createFaultProxy.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';
import { ConnectionLostError } from '../../src/transport/ConnectionLostError.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const ids = (envelopes: readonly { id: string }[]) => envelopes.map(({ id }) => id);
const duplicates = (values: readonly string[]) => values.filter((value, index) => values.indexOf(value) !== index);

describe('createJobStreams send()', () => {
  describe('while the socket is down', () => {
    it('should deliver 100 messages once each and in order after reconnect', async () => {
      const { server } = harness;
      server.control.stopSocket();
      const client = harness.client({ outbox: outbox({ storage: memoryStorage() }) });
      const sent = Array.from({ length: 100 }, (_, n) => client.send('note', { n }));
      expect(new Set(sent).size).toBe(100);
      const waiting = await firstValueFrom(client.outbox$);
      expect(waiting).toHaveLength(100);
      expect(server.control.outbox.received).toHaveLength(0);

      server.control.startSocket();
      await vi.waitFor(() => expect(server.control.outbox.applied).toHaveLength(100), { timeout: 5000 });
      await vi.waitFor(async () => expect(await firstValueFrom(client.outbox$)).toHaveLength(0));
      expect(ids(server.control.outbox.applied)).toEqual(sent);
      expect(duplicates(ids(server.control.outbox.received))).toEqual([]);
    });
  });

  describe('when socket.io restarts mid-flush', () => {
    it('should lose none and act on none twice', async () => {
      const { server } = harness;
      const client = harness.client({ outbox: outbox({ storage: memoryStorage(), maxSize: 200 }) });
      const sent = Array.from({ length: 200 }, (_, n) => client.send('note', { n }));
      await vi.waitFor(() => expect(server.control.outbox.received.length).toBeGreaterThan(20));
      server.control.stopSocket();
      const appliedDuringOutage = server.control.outbox.applied.length;
      expect(appliedDuringOutage).toBeLessThan(200);
      server.control.startSocket();

      await vi.waitFor(() => expect(server.control.outbox.applied).toHaveLength(200), { timeout: 8000 });
      expect(ids(server.control.outbox.applied)).toEqual(sent);
    });
  });

  describe('after a reload', () => {
    it('should send what the previous page left in storage', async () => {
      const { server } = harness;
      const storage = memoryStorage();
      server.control.stopSocket();
      const before = harness.client({ outbox: outbox({ storage }) });
      const id = server.jobs.startGeneration({ clips: 50, stepMs: 100 });
      const sent = before.send('cancel', { generation_id: id });
      before.dispose();

      const after = harness.client({ outbox: outbox({ storage }) });
      expect((await firstValueFrom(after.outbox$)).map((message) => message.id)).toEqual([sent]);
      server.control.startSocket();

      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('cancelled'), { timeout: 5000 });
      expect(ids(server.control.outbox.applied)).toEqual([sent]);
    });
  });

  describe('with two tabs on one storage', () => {
    it.each([
      ['a storage lease', () => null],
      ['Web Locks', () => new FakeLockManager()],
    ])('should deliver each message once on the wire with %s', async (_, makeLocks) => {
      const { server } = harness;
      const storage = memoryStorage();
      const locks = makeLocks();
      server.control.stopSocket();
      const tabs = [harness.client({ outbox: outbox({ storage, locks }) }), harness.client({ outbox: outbox({ storage, locks }) })];
      const sent = Array.from({ length: 40 }, (_, n) => tabs[n % 2]!.send('note', { n }));
      server.control.startSocket();

      await vi.waitFor(() => expect(server.control.outbox.applied).toHaveLength(40), { timeout: 8000 });
      expect(duplicates(ids(server.control.outbox.received))).toEqual([]);
      expect(new Set(ids(server.control.outbox.applied))).toEqual(new Set(sent));
    });
  });

  describe('without Web Locks, over a storage lease left by a tab whose clock was a day ahead', () => {
    it('should take the lease over, report it on errors$ and deliver', async () => {
      const { server } = harness;
      const storage = memoryStorage();
      const key = 'outbox-under-test';
      storage.setItem(`${key}:lease`, JSON.stringify({ owner: 'ahead', expiresAt: Date.now() + 86_400_000 }));
      const client = harness.client({ outbox: outbox({ storage, key, locks: null }) });
      const errors: Error[] = [];
      client.errors$.subscribe(({ error }) => errors.push(error));
      const id = client.send('note', { n: 1 });

      await vi.waitFor(() => expect(ids(server.control.outbox.applied)).toEqual([id]), { timeout: 5000 });
      expect(errors.map(({ message }) => message)).toEqual([expect.stringMatching(/outbox storage: clock/)]);
    });
  });

  describe('when acks never come', () => {
    it('should dead-letter the message after maxRetries resends, applied once by the server', async () => {
      const { server } = harness;
      server.control.stopMessageAcks();
      const client = harness.client({ outbox: outbox({ storage: memoryStorage(), ackTimeout: 100, maxRetries: 2 }) });
      const dead = firstValueFrom(client.deadLetters$);
      const id = client.send('note', { n: 1 });

      const letter: DeadLetter = await dead;
      expect(letter).toMatchObject({ reason: 'retries_exhausted', message: { id } });
      expect(ids(server.control.outbox.received)).toEqual([id, id, id]);
      expect(ids(server.control.outbox.applied)).toEqual([id]);
      expect(await firstValueFrom(client.outbox$)).toEqual([]);
    });
  });

  describe("with a message above the server's 1 MB maxHttpBufferSize, let past maxMessageBytes", () => {
    it('should count each dropped link as an attempt, dead-letter it after maxRetries and deliver those behind it', async () => {
      const { server } = harness;
      const client = harness.client({
        outbox: outbox({ storage: memoryStorage(), maxRetries: 2, maxMessageBytes: 3_000_000 }),
      });
      const letters: DeadLetter[] = [];
      client.deadLetters$.subscribe((letter) => letters.push(letter));
      const poison = client.send('note', { blob: 'x'.repeat(2_000_000) });
      const behind = [client.send('note', { n: 1 }), client.send('note', { n: 2 })];

      await vi.waitFor(() => expect(ids(server.control.outbox.applied)).toEqual(behind), { timeout: 5000 });
      expect(letters.map(({ reason, message }) => [reason, message.id])).toEqual([['retries_exhausted', poison]]);
      expect(letters[0]?.error).toBeInstanceOf(ConnectionLostError);
      expect(server.control.outbox.received.some(({ id }) => id === poison)).toBe(false);
      await firstValueFrom(client.outbox$.pipe(filter((messages) => messages.length === 0)));
    });
  });

  describe('when the ack comes after the ttl', () => {
    it('should count the acked message as delivered, not dead-letter it as expired', async () => {
      const { server } = harness;
      const proxy = await createFaultProxy(server.port);
      try {
        const client = harness.client({
          url: proxy.url,
          heartbeat: { interval: 10_000, timeout: 10_000 },
          outbox: outbox({ storage: memoryStorage(), ttl: 300 }),
        });
        const letters: DeadLetter[] = [];
        client.deadLetters$.subscribe((letter) => letters.push(letter));
        // A watched job holds the link open, so the message below goes out at once.
        client.generationProgress$(server.jobs.createGeneration()).subscribe();
        await firstValueFrom(client.connectionState$.pipe(filter(({ status }) => status === 'connected')));

        proxy.set('down', { delayMs: 600 });
        const id = client.send('note', { n: 2 });
        await vi.waitFor(() => expect(ids(server.control.outbox.applied)).toEqual([id]));
        await firstValueFrom(client.outbox$.pipe(filter((messages) => messages.length === 0)));

        expect(letters).toEqual([]);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('with overflow', () => {
    it('should drop the oldest into deadLetters$, never silently', async () => {
      const { server } = harness;
      server.control.stopSocket();
      const client = harness.client({ outbox: outbox({ storage: memoryStorage(), maxSize: 3 }) });
      const letters: DeadLetter[] = [];
      client.deadLetters$.subscribe((letter) => letters.push(letter));
      const sent = [1, 2, 3, 4, 5].map((n) => client.send('note', { n }));

      expect(letters.map(({ reason, message }) => [reason, message.id])).toEqual([
        ['overflow', sent[0]],
        ['overflow', sent[1]],
      ]);
      server.control.startSocket();
      await vi.waitFor(() => expect(ids(server.control.outbox.applied)).toEqual(sent.slice(2)), { timeout: 5000 });
      await firstValueFrom(client.outbox$.pipe(filter((messages) => messages.length === 0)));
    });
  });

  describe('without the outbox plugin', () => {
    it('should throw an error that says how to install it, and have nothing waiting or lost', async () => {
      const client = harness.client();
      const letters: DeadLetter[] = [];
      client.deadLetters$.subscribe((letter) => letters.push(letter));

      expect(() => client.send('note', { n: 1 })).toThrow(
        /send\(\) needs the outbox plugin.*outbox: outbox\(\).*import \{ outbox \} from "jobstream\/outbox"/,
      );
      expect(await firstValueFrom(client.outbox$)).toEqual([]);
      expect(letters).toEqual([]);
      expect(harness.server.control.outbox.received).toEqual([]);
    });

    it('should still say the client was disposed first, once it was', () => {
      const client = harness.client();
      client.dispose();

      expect(() => client.send('note')).toThrow(/disposed/);
    });
  });
});
