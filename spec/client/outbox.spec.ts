import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { DEFAULT_OUTBOX, memoryStorage, outbox } from '../../src/outbox.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { stubLocalStorage } from '../outbox/helpers.js';

const URL = 'https://api.example.com';
const PLUGIN_HINT = /outbox is a plugin.*outbox: outbox\(\{ storage \}\).*import \{ outbox \} from "jobstream\/outbox"/;

describe('outbox', () => {
  describe('with a bad ackTimeout', () => {
    it.each([0, -1, Number.NaN, Infinity])('should throw a TypeError naming it for %s, when the plugin is made', (ackTimeout) => {
      expect(() => outbox({ ackTimeout })).toThrow(new TypeError(`jobstream: outbox \`ackTimeout\` must be a number of ms above 0, got ${ackTimeout}.`));
    });
  });

  describe("with the outbox's options in place of the plugin", () => {
    it.each<[string, Record<string, unknown>]>([
      ['outbox: { maxSize }', { outbox: { maxSize: 3 } }],
      ['outbox: null', { outbox: null }],
    ])('should throw a TypeError that shows the plugin, for %s', (_, given) => {
      expect(() => createJobStreams({ url: URL, ...given })).toThrow(PLUGIN_HINT);
    });
  });

  describe('with options forwarded as undefined', () => {
    it('should keep the default ackTimeout', () => {
      expect(() => outbox({ ackTimeout: undefined })).not.toThrow();
    });

    it('should keep the default key, one outbox per URL', async () => {
      const harness = await startHarness();
      try {
        const storage = memoryStorage();
        harness.server.control.stopSocket();
        const here = harness.client({ outbox: outbox({ storage, key: undefined }) });
        here.send('note', { n: 1 });
        const elsewhere = harness.client({ url: 'http://127.0.0.1:1', outbox: outbox({ storage, key: undefined }) });

        expect(await firstValueFrom(elsewhere.outbox$)).toEqual([]);
      } finally {
        await harness.close();
      }
    });
  });

  describe('with storage problems found when the client is created', () => {
    const CORRUPT = '{"version":1,"messages":[{"id":"x"},';
    const key = `jobstream:outbox:v1:${URL}`;

    it('should report corrupt storage once, to the first errors$ subscriber, even one that comes later', async () => {
      const storage = memoryStorage();
      storage.setItem(key, CORRUPT);
      const client = createJobStreams({ url: URL, outbox: outbox({ storage }) });
      try {
        const first: JobStreamsError[] = [];
        const second: JobStreamsError[] = [];
        client.errors$.subscribe((problem) => first.push(problem));
        expect(await firstValueFrom(client.outbox$)).toEqual([]);
        client.errors$.subscribe((problem) => second.push(problem));

        expect(first.map(({ error }) => error.message)).toEqual([expect.stringMatching(/outbox storage: corrupt/)]);
        expect(second).toEqual([]);
      } finally {
        client.dispose();
      }
    });

    const denied = Object.assign(new Error('denied'), { name: 'SecurityError' });
    // prettier-ignore
    it.each<[string, PropertyDescriptor, string]>([
      ['missing (SSR, Node)',       { value: undefined },                                'outbox storage: unavailable'],
      ['refused (SecurityError)',   { get: () => { throw denied; } },                   'denied'],
    ])('should report a localStorage %s once, to a later errors$ subscriber', async (_, localStorage, message) => {
      const restore = stubLocalStorage(localStorage);
      const client = createJobStreams({ url: URL, outbox: outbox() });
      try {
        const reported: JobStreamsError[] = [];
        client.errors$.subscribe((problem) => reported.push(problem));
        expect(await firstValueFrom(client.outbox$)).toEqual([]);

        expect(reported.map(({ error }) => error.message)).toEqual([message]);
      } finally {
        client.dispose();
        restore();
      }
    });
  });

  describe('with data above maxMessageBytes', () => {
    it('should make send() throw a RangeError that names the option, and queue nothing', async () => {
      const client = createJobStreams({ url: URL, outbox: outbox({ storage: memoryStorage() }) });
      try {
        expect(() => client.send('note', { blob: 'x'.repeat(1_000_000) })).toThrow(RangeError);
        expect(() => client.send('note', { blob: 'x'.repeat(1_000_000) })).toThrow(/maxMessageBytes \(1000000\)/);
        expect(await firstValueFrom(client.outbox$)).toEqual([]);
      } finally {
        client.dispose();
      }
    });
  });

  describe('with defaults', () => {
    it('should expose them as DEFAULT_OUTBOX', () => {
      expect(DEFAULT_OUTBOX).toEqual({
        maxSize: 100,
        maxRetries: 3,
        ttl: 3_600_000,
        ackTimeout: 10_000,
        maxMessageBytes: 1_000_000,
      });
    });
  });

  describe('shared by two clients', () => {
    let harness: Harness;
    beforeEach(async () => {
      harness = await startHarness();
    });
    afterEach(async () => {
      await harness.close();
    });

    it('should give each client its own working outbox, over the same storage key', async () => {
      const { server } = harness;
      const plugin = outbox({ storage: memoryStorage() });
      server.control.stopSocket();
      const [a, b] = [harness.client({ outbox: plugin }), harness.client({ outbox: plugin })];
      const sent = [a.send('note', { from: 'a' }), b.send('note', { from: 'b' })];
      server.control.startSocket();

      await vi.waitFor(() => expect(server.control.outbox.applied.map(({ id }) => id).sort()).toEqual([...sent].sort()));
      expect(server.control.outbox.received).toHaveLength(2);
    });
  });
});
