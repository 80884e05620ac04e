// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { StrictMode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { firstValueFrom } from 'rxjs';
import { JobProgress, JobStreamsProvider, useConnectionState, useJobEvents } from '../../src/react/index.js';
import { jobHandshakes, rootHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();
const LINGER = 300;

/** Everything a page would mount for one job, all of it subscribing. */
function JobPanel({ id }: { id: string }) {
  useConnectionState();
  useJobEvents(id, { onProgress: () => {} });
  return <JobProgress id={id} />;
}

describe('React 19 StrictMode', () => {
  it('should open one socket for the double mount and close it after the linger on unmount, with no reconnect after', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 40, stepMs: 50 });
    const client = harness.current.client({ linger: LINGER });
    const view = render(
      <StrictMode>
        <JobStreamsProvider client={client}>
          <JobPanel id={id} />
        </JobStreamsProvider>
      </StrictMode>,
    );

    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
    await waitFor(() => expect(Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0));
    expect(jobHandshakes(server, id)).toBe(1);
    expect(rootHandshakes(server)).toBe(1);
    expect(server.control.engineConnections()).toBe(1);

    view.unmount();
    const unmountedAt = performance.now();
    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
    await waitFor(() => expect(server.control.engineConnections()).toBe(0));
    expect(performance.now() - unmountedAt).toBeGreaterThanOrEqual(LINGER * 0.9);

    // Nothing is scheduled: the link's state is at rest, not waiting for a retry.
    expect(await firstValueFrom(client.connectionState$)).toMatchObject({ status: 'disconnected', transport: 'none', nextRetryAt: undefined });
    // The server plays a whole job (~1 s), far longer than the 50 ms retry delay: the client stays quiet.
    const probe = server.jobs.startGeneration({ clips: 3, stepMs: 40 });
    await waitFor(() => expect(server.jobs.get(probe)?.status).toBe('completed'));
    expect(rootHandshakes(server)).toBe(1);
    expect(jobHandshakes(server, id)).toBe(1);
    expect(server.control.engineConnections()).toBe(0);
  });

  it('should keep the socket across a remount within the linger', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 40, stepMs: 50 });
    const client = harness.current.client({ linger: LINGER });
    const ui = (key: string) => (
      <StrictMode>
        <JobStreamsProvider client={client}>
          <JobPanel key={key} id={id} />
        </JobStreamsProvider>
      </StrictMode>
    );
    const view = render(ui('a'));
    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

    view.rerender(ui('b'));
    await waitFor(() => expect(screen.getByRole('progressbar')).toBeTruthy());
    view.rerender(ui('c'));
    const before = Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'));
    await waitFor(() => expect(Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(before));
    expect(jobHandshakes(server, id)).toBe(1);
    expect(rootHandshakes(server)).toBe(1);
  });
});
