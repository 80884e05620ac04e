import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import type { Generation, JobSnapshot } from '../../src/protocol/index.js';
import { connect, connected, fold, getJson, subscribeTo } from './helpers.js';

const clipIds = (snapshot: unknown): string[] => ((snapshot as Generation).clips ?? []).map((clip) => clip.clip_id);

describe('createJobServer with a stateFile', () => {
  let directory: string;
  let stateFile: string;
  const servers: JobServer[] = [];
  const sockets: Socket[] = [];
  const start = async (): Promise<JobServer> => {
    const server = await createJobServer({ stateFile });
    servers.push(server);
    return server;
  };
  const open = (server: JobServer, path = ''): Socket => {
    const socket = connect(server, path);
    sockets.push(socket);
    return socket;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jobstream-state-'));
    stateFile = join(directory, 'state.json');
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('should resume a running job from its snapshot after a restart, sending no clip twice', async () => {
    const first = await start();
    const id = first.jobs.createGeneration({ clips: 4, stepMs: 25, progressPerClip: 2 });
    const before = await subscribeTo(open(first, `/ws/generations/${id}`), 'generation', id);
    first.jobs.start(id);
    await vi.waitFor(() => expect(before.events.some((event) => event.type === 'clip_completed')).toBe(true));
    const root = await connected(open(first));
    expect(await root.emitWithAck('message', { id: 'n-1', event: 'note', data: null })).toEqual({ id: 'n-1' });
    await first.close();
    const persisted = first.jobs.get(id);
    // Persisted before broadcast: whatever a client saw, the file has (and maybe one step more).
    const seen = clipIds(fold({ id, status: 'queued' }, before.events));
    expect(clipIds(persisted).slice(0, seen.length)).toEqual(seen);

    const second = await start();
    expect(second.jobs.info(id)?.state).toBe('running');
    const after = await subscribeTo(open(second, `/ws/generations/${id}`), 'generation', id);
    expect(clipIds(after.ack).slice(0, clipIds(persisted).length)).toEqual(clipIds(persisted));
    await vi.waitFor(() => expect(fold(after.ack as JobSnapshot, after.events).status).toBe('completed'));

    const final = (await getJson(second, `/api/v1/generations/${id}`)).body;
    expect(final).toEqual(fold(after.ack as JobSnapshot, after.events));
    expect(clipIds(final)).toEqual([1, 2, 3, 4].map((n) => `${id}_clip_${n}`));
    const resent = after.events.filter((event) => event.type === 'clip_completed').map((event) => (event.data as { clip_id: string }).clip_id);
    expect(resent.filter((clipId) => clipIds(persisted).includes(clipId))).toEqual([]);

    const root2 = await connected(open(second));
    expect(await root2.emitWithAck('message', { id: 'n-1', event: 'note', data: null })).toEqual({ id: 'n-1' });
    // Acked, not applied again: the id came back with the dedupe log, without its payload.
    expect(second.control.outbox.applied).toEqual([]);
    expect(second.control.outbox.dedupe().map((entry) => entry.id)).toEqual(['n-1']);
  });

  it('should keep finished, stalled and queued jobs as they were', async () => {
    const first = await start();
    const done = first.jobs.startGeneration({ clips: 1, stepMs: 1, progressPerClip: 1 });
    const queued = first.jobs.createComposition();
    const stalled = first.jobs.startComposition({ stepMs: 1 });
    first.control.stall(stalled);
    await vi.waitFor(() => expect(first.jobs.get(done)?.status).toBe('completed'));
    await first.close();

    const second = await start();
    expect(second.jobs.list()).toEqual(first.jobs.list());
    expect([done, queued, stalled].map((id) => second.jobs.info(id)?.state)).toEqual(['done', 'idle', 'stalled']);
  });

  it('should survive a SIGKILL mid-job', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./serveWithState.ts', import.meta.url)), stateFile, '4', '60'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { url, id } = JSON.parse(line) as { url: string; id: string };
      await vi.waitFor(async () => {
        const snapshot = await (await fetch(`${url}/api/v1/generations/${id}`)).json();
        expect(clipIds(snapshot).length).toBeGreaterThan(0);
      }, { timeout: 10_000, interval: 10 });
      child.kill('SIGKILL');
      await exited;

      const server = await start();
      const killedAt = server.jobs.get(id);
      expect(killedAt?.status).toBe('processing');
      const { ack, events } = await subscribeTo(open(server, `/ws/generations/${id}`), 'generation', id);
      await vi.waitFor(() => expect(fold(ack as JobSnapshot, events).status).toBe('completed'));
      const final = fold(ack as JobSnapshot, events);
      expect(final).toMatchObject({ status: 'completed' });
      expect(clipIds(final)).toEqual([1, 2, 3, 4].map((n) => `${id}_clip_${n}`));
      const sent = events.filter((event) => event.type === 'clip_completed').map((event) => (event.data as { clip_id: string }).clip_id);
      expect(sent.filter((clipId) => clipIds(killedAt).includes(clipId))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('should refuse a file that is not a state file', async () => {
    writeFileSync(stateFile, '{"hello":"world"}');
    await expect(createJobServer({ stateFile })).rejects.toThrow(/not a jobstream state file/);
  });
});
