import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { outbox } from '../../src/outbox.js';
import type { ConnectionState } from '../../src/protocol/index.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';
import { printFigure } from '../helpers/printFigure.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

// Found by crashRestart.spec.ts, whose errors$ held one "outbox storage: unavailable" per restart.
describe('createJobStreams outbox across reconnects, without localStorage (Node, SSR)', () => {
  it('should apply each message once and report the memory fallback once, however often the link drops', async () => {
    const { server } = harness;
    const client = harness.client({ outbox: outbox() });
    const problems: JobStreamsError[] = [];
    const states: ConnectionState[] = [];
    client.errors$.subscribe((problem) => problems.push(problem));
    client.connectionState$.subscribe((state) => states.push(state));
    const connects = () =>
      states.filter((state, index) => state.status === 'connected' && states[index - 1]?.status !== 'connected').length;

    // An outbox that empties and fills again takes the send lease again…
    const sent = [client.send('note', { n: 1 })];
    await vi.waitFor(() => expect(server.control.outbox.applied).toHaveLength(1));
    sent.push(client.send('note', { n: 2 }));
    await vi.waitFor(() => expect(server.control.outbox.applied).toHaveLength(2));
    // …and so does one whose unacked messages keep it on the link through every drop.
    server.control.stopMessageAcks();
    sent.push(client.send('note', { n: 3 }), client.send('note', { n: 4 }));
    for (let drop = 1; drop <= 3; drop++) {
      // Each reconnect resends the unacked head, with the same id.
      await vi.waitFor(() => expect(server.control.outbox.received.length).toBeGreaterThanOrEqual(2 + drop));
      server.control.dropConnections();
    }
    server.control.resumeMessageAcks();
    await vi.waitFor(() => expect(server.control.outbox.applied.map((envelope) => envelope.id)).toEqual(sent));
    const storageProblems = problems.filter(({ error }) => error.message.startsWith('outbox storage:'));
    printFigure({
      test: 'outboxReconnects',
      reconnects: connects() - 1,
      received: server.control.outbox.received.length,
      storageProblemsReported: storageProblems.length,
    });

    // Once per client: made while the client is created, and replayed to errors$'s first subscriber.
    expect(
      storageProblems.map(({ error }) => error.message),
      'the memory fallback was not reported exactly once',
    ).toEqual(['outbox storage: unavailable']);
  });
});
