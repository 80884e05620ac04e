import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DebugEntry } from '../../src/client/DebugEntry.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

describe('dispose() with many jobs', () => {
  // Regression: dispose() once closed the link before the job sockets, so the shared engine's
  // close reached every job socket as a lost connection, and each scheduled a namespace retry
  // (a cascade of N disconnects, and a socket that could come back after dispose).
  it('should close every job socket without scheduling a retry or a reconnect', async () => {
    const { server } = harness;
    const ids = Array.from({ length: 20 }, () => server.jobs.createGeneration({ clips: 2 }));
    const entries: DebugEntry[] = [];
    const client = harness.client({ debug: (entry) => entries.push(entry), reconnection: { delay: 0, maxDelay: 0 } });
    for (const id of ids) client.generationProgress$(id).subscribe();
    await vi.waitFor(() => expect(ids.every((id) => server.control.namespaceSockets(id) === 1)).toBe(true));
    const handshakes = server.control.handshakes.length;

    const fromDispose = entries.length;
    client.dispose();

    await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
    const afterDispose = entries.slice(fromDispose).map(({ message }) => message);
    expect(afterDispose.filter((message) => /retry|connecting|subscribing/.test(message))).toEqual([]);
    expect(afterDispose.filter((message) => message === 'closed')).toHaveLength(ids.length + 1);
    expect(server.control.handshakes.length).toBe(handshakes);
  });
});
