import { afterEach, describe, expect, it, vi } from 'vitest';
import { asyncScheduler, EMPTY, Subject, VirtualTimeScheduler } from 'rxjs';
import { Manager } from 'socket.io-client';
import { DEFAULT_JOB_STREAMS, resolveOptions } from '../../src/client/resolveOptions.js';
import type { FetchLike } from '../../src/transport/poll$.js';

const URL = 'https://api.example.com';

describe('resolveOptions', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  describe('with only a url', () => {
    it('should apply DEFAULT_JOB_STREAMS', () => {
      const resolved = resolveOptions({ url: URL });

      expect(resolved).toMatchObject({
        url: URL,
        apiUrl: URL,
        path: DEFAULT_JOB_STREAMS.path,
        reconnection: DEFAULT_JOB_STREAMS.reconnection,
        heartbeat: DEFAULT_JOB_STREAMS.heartbeat,
        idleTimeout: DEFAULT_JOB_STREAMS.idleTimeout,
        polling: DEFAULT_JOB_STREAMS.polling,
        throttle: DEFAULT_JOB_STREAMS.throttle,
        linger: DEFAULT_JOB_STREAMS.linger,
        ackTimeout: DEFAULT_JOB_STREAMS.ackTimeout,
        withCredentials: DEFAULT_JOB_STREAMS.withCredentials,
        transports: DEFAULT_JOB_STREAMS.transports,
        scheduler: asyncScheduler,
        random: Math.random,
      });
    });

    it('should not share the default transports array, so a caller cannot change the defaults', () => {
      const resolved = resolveOptions({ url: URL });
      resolved.transports.push('polling');

      expect(resolved.transports).not.toBe(DEFAULT_JOB_STREAMS.transports);
      expect(resolveOptions({ url: URL }).transports).toEqual(['websocket', 'polling']);
    });

    it('should give empty auth credentials and a fresh request id on each call', () => {
      const { auth, requestId } = resolveOptions({ url: URL });

      expect(auth()).toEqual({});
      expect(requestId()).toMatch(/^[\w-]{16,}$/);
      expect(requestId()).not.toBe(requestId());
    });

    it('should make a socket.io Manager for the url without connecting it', () => {
      const manager = resolveOptions({ url: URL }).io(URL, { autoConnect: false });

      expect(manager).toBeInstanceOf(Manager);
      expect(manager.engine).toBeUndefined();
    });

    it('should have no wake signal without a window, as under SSR', () => {
      expect(resolveOptions({ url: URL }).wake$).toBe(EMPTY);
    });
  });

  describe('with every option given', () => {
    it('should keep what it is given, merging the groups over their defaults', () => {
      const fetch: FetchLike = () => Promise.reject(new Error('unused'));
      const scheduler = new VirtualTimeScheduler();
      const wake$ = new Subject<void>();
      const random = () => 0.5;
      const resolved = resolveOptions({
        url: URL,
        apiUrl: 'https://rest.example.com',
        path: '/rt',
        reconnection: { attempts: 2 },
        heartbeat: { timeout: 500 },
        polling: { enabled: false },
        idleTimeout: 1,
        throttle: 0,
        linger: 0,
        ackTimeout: 50,
        withCredentials: true,
        transports: ['polling'],
        fetch,
        scheduler,
        random,
        wake$,
      });

      expect(resolved).toMatchObject({
        apiUrl: 'https://rest.example.com',
        path: '/rt',
        reconnection: { ...DEFAULT_JOB_STREAMS.reconnection, attempts: 2 },
        heartbeat: { ...DEFAULT_JOB_STREAMS.heartbeat, timeout: 500 },
        polling: { ...DEFAULT_JOB_STREAMS.polling, enabled: false },
        idleTimeout: 1,
        throttle: 0,
        linger: 0,
        ackTimeout: 50,
        withCredentials: true,
        transports: ['polling'],
      });
      expect(resolved.fetch).toBe(fetch);
      expect(resolved.scheduler).toBe(scheduler);
      expect(resolved.random).toBe(random);
      expect(resolved.wake$).toBe(wake$);
    });
  });

  describe('with a url', () => {
    it.each([
      ['http://example.com', 'http://example.com'],
      ['https://example.com', 'https://example.com'],
      ['ws://example.com', 'http://example.com'],
      ['wss://example.com', 'https://example.com'],
      ['WSS://Example.COM', 'https://example.com'],
      ['wss://example.com:8443/socket?x=1#y', 'https://example.com:8443'],
      ['https://example.com:443/path', 'https://example.com'],
      ['ws://127.0.0.1:3000', 'http://127.0.0.1:3000'],
      ['ws://[::1]:3000', 'http://[::1]:3000'],
    ])('should turn %s into the origin %s', (url, expected) => {
      expect(resolveOptions({ url }).url).toBe(expected);
    });

    it.each([
      ['javascript:alert(1)', /`url` must use http\(s\) or ws\(s\), got "javascript:"/],
      ['data:text/html,<script>alert(1)</script>', /got "data:"/],
      ['file:///etc/passwd', /got "file:"/],
      ['ftp://example.com', /got "ftp:"/],
      ['/api', /`url` must be an absolute URL such as "https:\/\/api.example.com", got "\/api"/],
      ['//example.com', /absolute URL/],
      ['example.com', /absolute URL/],
      ['not a url', /absolute URL/],
      ['', /absolute URL/],
      ['https://user:secret@example.com', /`url` must not carry credentials; pass them with `auth` or cookies/],
      ['wss://token@example.com', /must not carry credentials/],
    ])('should refuse %j with a TypeError that says how to fix it', (url, message) => {
      expect(() => resolveOptions({ url })).toThrow(TypeError);
      expect(() => resolveOptions({ url })).toThrow(message);
    });

    it('should never echo credentials from a refused url', () => {
      const message = (() => {
        try {
          resolveOptions({ url: 'https://user:secret@example.com' });
          return 'no error';
        } catch (error) {
          return (error as Error).message;
        }
      })();

      expect(message).toMatch(/credentials/);
      expect(message).not.toContain('secret');
    });
  });

  describe('with an apiUrl', () => {
    it('should turn it into an origin of its own', () => {
      expect(resolveOptions({ url: URL, apiUrl: 'wss://rest.example.com/v1' }).apiUrl).toBe('https://rest.example.com');
    });

    it('should default to the url', () => {
      expect(resolveOptions({ url: 'wss://rt.example.com/socket' }).apiUrl).toBe('https://rt.example.com');
    });

    it('should refuse a bad one, naming apiUrl', () => {
      expect(() => resolveOptions({ url: URL, apiUrl: 'javascript:alert(1)' })).toThrow(/`apiUrl` must use http\(s\) or ws\(s\)/);
      expect(() => resolveOptions({ url: URL, apiUrl: '/api' })).toThrow(/`apiUrl` must be an absolute URL/);
    });
  });

  describe('without a url', () => {
    it('should throw a TypeError mentioning SSR when there is no page', () => {
      expect(globalThis.location).toBeUndefined();

      expect(() => resolveOptions()).toThrow(TypeError);
      expect(() => resolveOptions({})).toThrow(/SSR.*pass `url` to createJobStreams/);
    });

    it('should throw the same when the page has an opaque origin', () => {
      vi.stubGlobal('location', { origin: 'null' });

      expect(() => resolveOptions()).toThrow(/SSR/);
    });

    it("should use the page's origin", () => {
      vi.stubGlobal('location', { origin: 'https://app.example.com' });

      expect(resolveOptions()).toMatchObject({ url: 'https://app.example.com', apiUrl: 'https://app.example.com' });
    });
  });

  describe('with a bad duration', () => {
    const durations = [
      ['reconnection.delay', (value: number) => ({ reconnection: { delay: value } })],
      ['reconnection.maxDelay', (value: number) => ({ reconnection: { maxDelay: value } })],
      ['heartbeat.interval', (value: number) => ({ heartbeat: { interval: value } })],
      ['heartbeat.timeout', (value: number) => ({ heartbeat: { timeout: value } })],
      ['polling.interval', (value: number) => ({ polling: { interval: value } })],
      ['polling.grace', (value: number) => ({ polling: { grace: value } })],
      ['idleTimeout', (value: number) => ({ idleTimeout: value })],
      ['throttle', (value: number) => ({ throttle: value })],
      ['linger', (value: number) => ({ linger: value })],
      ['ackTimeout', (value: number) => ({ ackTimeout: value })],
    ] as const;
    // Periods and timeouts must be above 0 (0 would loop); delays, grace, throttle and linger may be 0.
    const positive = new Set(['heartbeat.interval', 'heartbeat.timeout', 'polling.interval', 'idleTimeout', 'ackTimeout']);
    const cases = durations.flatMap(([name, option]) =>
      [-1, NaN, Infinity, ...(positive.has(name) ? [0] : [])].map((value) => [name, value, option] as const),
    );

    it.each(cases)('should throw a TypeError naming %s for %s', (name, value, option) => {
      const rule = positive.has(name) ? 'above 0' : 'of 0 or more';
      expect(() => resolveOptions({ url: URL, ...option(value) })).toThrow(TypeError);
      expect(() => resolveOptions({ url: URL, ...option(value) })).toThrow(`\`${name}\` must be a number of ms ${rule}, got ${value}.`);
    });

    // Above 2 ** 31 - 1 ms, setTimeout fires after 1 ms: a "never" would become a busy loop.
    it.each(durations)('should throw a TypeError naming %s for a delay no timer can wait', (name, option) => {
      expect(() => resolveOptions({ url: URL, ...option(2 ** 31 - 1) })).not.toThrow();
      expect(() => resolveOptions({ url: URL, ...option(2 ** 31) })).toThrow(
        `\`${name}\` must be at most 2147483647 ms (about 24.8 days), got 2147483648.`,
      );
    });

    it.each(durations.filter(([name]) => !positive.has(name)))('should accept 0 for %s', (_, option) => {
      expect(() => resolveOptions({ url: URL, ...option(0) })).not.toThrow();
    });

    it.each([-1, NaN])('should throw a TypeError naming reconnection.attempts for %s', (attempts) => {
      expect(() => resolveOptions({ url: URL, reconnection: { attempts } })).toThrow(`\`reconnection.attempts\` must be 0 or more, got ${attempts}.`);
    });

    it('should accept 0 where 0 means "at once" or "off"', () => {
      const zero = { reconnection: { delay: 0, attempts: 0 }, polling: { grace: 0 }, throttle: 0, linger: 0 };

      expect(resolveOptions({ url: URL, ...zero })).toMatchObject(zero);
    });
  });
});
