import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualTimeScheduler } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import type { JobSnapshot } from '../../src/protocol/index.js';
import { connect, connected, ended, fold, getJson, subscribeTo } from './helpers.js';

describe('ServerControl', () => {
  let server: JobServer;
  let scheduler: VirtualTimeScheduler;
  const sockets: Socket[] = [];
  const open = (path = '', options = {}): Socket => {
    const socket = connect(server, path, options);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    // Virtual time: a stalled job provably sends nothing, with no sleep to prove it.
    scheduler = new VirtualTimeScheduler();
    server = await createJobServer({ scheduler });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  /** Plays the scheduler up to `frame` (virtual ms). */
  const advanceTo = (frame: number): void => {
    scheduler.maxFrames = frame;
    scheduler.flush();
  };

  describe('stopSocket / startSocket', () => {
    it('should disconnect clients and refuse handshakes while REST answers, then accept again', async () => {
      const id = server.jobs.createGeneration();
      const socket = await connected(open());
      const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));

      server.control.stopSocket();
      expect(await disconnected).toBe('transport close');
      await expect(connected(open())).rejects.toThrow();
      expect(server.control.accepting).toBe(false);
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      expect((await getJson(server, `/api/v1/generations/${id}`)).status).toBe(200);

      server.control.startSocket();
      await connected(open());
      expect(server.control.engineConnections()).toBe(1);
    });
  });

  describe('dropConnections', () => {
    it('should cut every connection, and a reconnecting client gets back in', async () => {
      const socket = await connected(open('', { reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 10 }));
      const plain = await connected(open('/ws/generations/gen_1'));
      const reasons: string[] = [];
      socket.on('disconnect', (reason) => reasons.push(reason));
      plain.on('disconnect', (reason) => reasons.push(reason));
      const reconnected = new Promise<void>((resolve) => socket.once('disconnect', () => socket.once('connect', () => resolve())));

      server.control.dropConnections();
      await reconnected;
      expect(reasons).toEqual(['transport close', 'transport close']);
      expect(socket.connected).toBe(true);
      expect(plain.connected).toBe(false);
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(1));
    });
  });

  describe('stall / resume', () => {
    it('should freeze a job and its snapshot, then go on where it stopped', async () => {
      const id = server.jobs.createGeneration({ clips: 2, stepMs: 10, progressPerClip: 2 });
      const { ack, events } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      server.jobs.start(id);

      advanceTo(40);
      expect(server.jobs.info(id)?.step).toBe(4);
      expect(server.control.stall(id)).toBe(true);
      const frozen = server.jobs.get(id);
      advanceTo(10_000);
      expect(server.jobs.get(id)).toBe(frozen);
      expect(server.jobs.info(id)).toMatchObject({ step: 4, state: 'stalled' });
      await vi.waitFor(() => expect(events).toHaveLength(4));

      expect(server.control.resume(id)).toBe(true);
      scheduler.maxFrames = Infinity;
      scheduler.flush();
      expect(server.jobs.info(id)).toMatchObject({ step: 9, state: 'done' });
      await vi.waitFor(() => expect(ended(events)).toBe(true));
      expect(events).toHaveLength(9);
      expect(fold(ack as JobSnapshot, events)).toEqual(server.jobs.get(id));
    });

    it('should refuse to stall a job that is not running', () => {
      const id = server.jobs.createGeneration();
      expect(server.control.stall(id)).toBe(false);
      expect(server.control.resume(id)).toBe(false);
      expect(server.control.stall('gen_nope')).toBe(false);
    });
  });

  describe('failNextPolls', () => {
    it('should fail the next n job GETs with the status, and count every hit', async () => {
      const id = server.jobs.createGeneration();
      server.control.failNextPolls(2, 502);
      const statuses = [];
      for (let n = 0; n < 3; n++) statuses.push((await getJson(server, `/api/v1/generations/${id}`)).status);

      expect(statuses).toEqual([502, 502, 200]);
      expect(server.control.restHits(id)).toBe(3);
      expect(server.control.restHits('gen_other')).toBe(0);
    });

    it('should default to 503', async () => {
      server.control.failNextPolls(1);
      expect(await getJson(server, '/api/v1/compositions/comp_1')).toEqual({
        status: 503,
        body: { error: { code: 'UNAVAILABLE', message: expect.any(String) } },
      });
    });
  });

  describe('sendMalformed / emitRaw', () => {
    it('should deliver the raw payload to the job audience without touching the snapshot', async () => {
      const id = server.jobs.createGeneration();
      const { events } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      const before = server.jobs.get(id);

      expect(server.control.sendMalformed(id, 'progress', { percentage: 'lots' })).toBe(1);
      expect(server.control.emitRaw(id, 'mystery', 42)).toBe(1);
      await vi.waitFor(() => expect(events).toHaveLength(2));

      expect(events).toEqual([
        { type: 'progress', data: { percentage: 'lots' } },
        { type: 'mystery', data: 42 },
      ]);
      expect(server.jobs.get(id)).toBe(before);
      expect(server.control.emitRaw('gen_nobody', 'progress', {})).toBe(0);
    });
  });
});
