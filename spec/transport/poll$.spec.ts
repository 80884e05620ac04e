import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import { HttpError } from '../../src/transport/HttpError.js';
import { poll$, type FetchLike } from '../../src/transport/poll$.js';
import { countRequests } from '../helpers/countRequests.js';
import { recordingFetch } from '../helpers/recordingFetch.js';

/** A URL on 127.0.0.1 where nothing listens: the port was free a moment ago and is closed now. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Whatever `poll$` errored with, so a spec can assert on its fields. */
async function failureOf(result: Promise<unknown>): Promise<HttpError> {
  const error: unknown = await result.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('poll$', () => {
  describe('against the reference server', () => {
    let server: JobServer;
    // Swapped per test: sees each HTTP request first, `true` when it answered (or will never answer).
    let onRequest: (req: IncomingMessage, res: ServerResponse) => boolean;
    const resource = (id: string) => `${server.url}/api/v1/generations/${id}`;

    beforeEach(async () => {
      onRequest = () => false;
      server = await createJobServer({ requestHandler: (req, res) => onRequest(req, res) });
    });
    afterEach(async () => {
      await server.close();
    });

    describe('with a resource that answers', () => {
      it('should emit the body of a 200 and complete', async () => {
        const id = server.jobs.createGeneration({ clips: 2 });

        const values = await lastValueFrom(poll$(resource(id), { fetch: globalThis.fetch, retryDelay: 10 }).pipe(toArray()));

        expect(values).toEqual([server.jobs.get(id)]);
        expect(server.control.restHits(id)).toBe(1);
      });

      it('should succeed on the 3rd try after two 503s', async () => {
        const id = server.jobs.createGeneration();
        server.control.failNextPolls(2, 503);

        const body = await firstValueFrom(poll$(resource(id), { fetch: globalThis.fetch, retryDelay: 10 }));

        expect(body).toEqual(server.jobs.get(id));
        expect(server.control.restHits(id)).toBe(3);
      });

      it('should error with a transient HttpError 503 after exactly 3 tries', async () => {
        const id = server.jobs.createGeneration();
        server.control.failNextPolls(3, 503);

        const error = await failureOf(firstValueFrom(poll$(resource(id), { fetch: globalThis.fetch, retryDelay: 10 })));

        expect(error).toMatchObject({ name: 'HttpError', status: 503, url: resource(id), transient: true });
        expect(server.control.restHits(id)).toBe(3);
      });

      it('should make `tries` requests in all when told to', async () => {
        const id = server.jobs.createGeneration();
        server.control.failNextPolls(10, 500);

        const error = await failureOf(firstValueFrom(poll$(resource(id), { fetch: globalThis.fetch, tries: 5, retryDelay: 5 })));

        expect(error.status).toBe(500);
        expect(server.control.restHits(id)).toBe(5);
      });

      it('should error with HttpError 404 at once, without retrying', async () => {
        const requests = countRequests(server, '/api/v1/generations/gen_missing');
        const error = await failureOf(
          firstValueFrom(poll$(resource('gen_missing'), { fetch: globalThis.fetch, retryDelay: 10 })),
        );

        expect(error).toMatchObject({ status: 404, transient: false });
        expect(error.message).toContain('answered 404');
        expect(requests()).toBe(1);
      });

      it('should error with HttpError status 0 after 3 tries when nothing listens', async () => {
        const url = `${await closedPortUrl()}/api/v1/generations/gen_1`;
        const { fetch, calls } = recordingFetch();

        const error = await failureOf(firstValueFrom(poll$(url, { fetch, retryDelay: 10 })));

        expect(error).toMatchObject({ status: 0, url, transient: true });
        expect(error.message).toContain('network error');
        expect(error.cause).toBeInstanceOf(Error);
        expect(calls).toHaveLength(3);
      });

      it('should send its headers, such as X-Request-ID, to the server', async () => {
        const id = server.jobs.createGeneration();
        const seen: (string | string[] | undefined)[] = [];
        onRequest = (req) => {
          seen.push(req.headers['x-request-id']);
          return false;
        };

        const body = await firstValueFrom(
          poll$(resource(id), { fetch: globalThis.fetch, headers: { 'X-Request-ID': 'req-poll-42' } }),
        );

        expect(seen).toEqual(['req-poll-42']);
        expect(body).toEqual(server.jobs.get(id));
      });

      it('should pass credentials to fetch, same-origin unless told otherwise', async () => {
        const id = server.jobs.createGeneration();
        const { fetch, calls } = recordingFetch();

        await firstValueFrom(poll$(resource(id), { fetch }));
        await firstValueFrom(poll$(resource(id), { fetch, credentials: 'include' }));

        expect(calls.map(({ init }) => init.credentials)).toEqual(['same-origin', 'include']);
      });
    });

    describe('when the server never answers', () => {
      it('should abort each try after `timeout` and error with HttpError 0 after `tries`', async () => {
        const arrived: IncomingMessage[] = [];
        const closed: boolean[] = [];
        onRequest = (req, res) => {
          const index = arrived.push(req) - 1;
          closed[index] = false;
          res.once('close', () => (closed[index] = true));
          return true; // and never answer
        };
        const { fetch, calls } = recordingFetch();

        const error = await failureOf(lastValueFrom(poll$(`${server.url}/hang`, { fetch, timeout: 50, retryDelay: 10 })));

        expect(error.status).toBe(0);
        expect(error.transient).toBe(true);
        expect((error.cause as Error).message).toBe('no answer within 50 ms');
        expect(calls.map(({ init }) => init.signal.aborted)).toEqual([true, true, true]);
        await vi.waitFor(() => expect(closed).toEqual([true, true, true]));
      });
    });

    describe('when unsubscribed with a request in flight', () => {
      it('should abort the request, and the server should see it go', async () => {
        const arrived: IncomingMessage[] = [];
        let closed = false;
        onRequest = (req, res) => {
          arrived.push(req);
          res.once('close', () => (closed = true));
          return true; // and never answer
        };
        const { fetch, calls } = recordingFetch();
        const next = vi.fn();
        const error = vi.fn();

        const subscription = poll$(`${server.url}/hang`, { fetch, retryDelay: 10 }).subscribe({ next, error });
        await vi.waitFor(() => expect(arrived).toHaveLength(1));
        expect(calls[0]?.init.signal.aborted).toBe(false);
        subscription.unsubscribe();

        expect(calls[0]?.init.signal.aborted).toBe(true);
        await vi.waitFor(() => expect(closed).toBe(true));
        expect(calls).toHaveLength(1);
        expect(next).not.toHaveBeenCalled();
        expect(error).not.toHaveBeenCalled();
      });
    });
  });

  describe('with the defaults, in virtual time', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('should abort a request that has no answer after 10,000 ms, not before', async () => {
      vi.useFakeTimers();
      const signals: AbortSignal[] = [];
      const fetch: FetchLike = (_, { signal }) => {
        signals.push(signal);
        return new Promise(() => {});
      };

      const subscription = poll$('https://api.example.com/api/v1/generations/gen_1', { fetch }).subscribe({ error: () => {} });
      await vi.advanceTimersByTimeAsync(9999);
      expect(signals.map((signal) => signal.aborted)).toEqual([false]);
      await vi.advanceTimersByTimeAsync(1);
      expect(signals.map((signal) => signal.aborted)).toEqual([true]);
      subscription.unsubscribe();
    });

    it('should try again, with the default retryDelay of 500 ms, about 500 ms after the first failure and 1000 ms after the second', async () => {
      vi.useFakeTimers();
      const triedAt: number[] = [];
      const fetch: FetchLike = () => {
        triedAt.push(Date.now());
        return Promise.resolve({ ok: false, status: 503, json: () => Promise.resolve({}) });
      };
      const error = vi.fn();

      poll$('https://api.example.com/api/v1/generations/gen_1', { fetch }).subscribe({ error });
      await vi.advanceTimersByTimeAsync(399);
      expect(triedAt).toHaveLength(1);
      await vi.runAllTimersAsync();

      // retryBackoff's default jitter (±20 %) applies, and poll$ offers no `random` to pin it.
      const [first = NaN, second = NaN, third = NaN] = triedAt;
      expect(triedAt).toHaveLength(3);
      expect(second - first).toBeGreaterThanOrEqual(400);
      expect(second - first).toBeLessThanOrEqual(600);
      expect(third - second).toBeGreaterThanOrEqual(800);
      expect(third - second).toBeLessThanOrEqual(1200);
      expect(error).toHaveBeenCalledWith(expect.objectContaining({ status: 503 }));
    });
  });
});
