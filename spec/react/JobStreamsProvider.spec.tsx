// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Activity, StrictMode } from 'react';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import { JobProgress, JobStreamsProvider, useJobStreams } from '../../src/react/index.js';
import { FAST } from '../helpers/liveClient.js';
import { setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();
afterEach(cleanup);

/** Records every client the provider hands out. */
function Spy({ seen }: { seen: JobStreams[] }) {
  const client = useJobStreams();
  if (!seen.includes(client)) seen.push(client);
  return null;
}

/** Resolves `true` once the client's connection state completes, which `dispose()` does. */
function watchDisposal(client: JobStreams): { disposed: boolean } {
  const watch = { disposed: false };
  client.connectionState$.subscribe({ complete: () => (watch.disposed = true) });
  return watch;
}

describe('JobStreamsProvider', () => {
  describe('with a client', () => {
    it('should hand the client to its subtree and never dispose it', async () => {
      const client = harness.current.client();
      const watch = watchDisposal(client);
      const seen: JobStreams[] = [];
      const view = render(
        <JobStreamsProvider client={client}>
          <Spy seen={seen} />
        </JobStreamsProvider>,
      );
      view.unmount();
      await act(async () => {}); // past the microtask an owned client would be disposed in

      expect(seen).toEqual([client]);
      expect(watch.disposed).toBe(false);
    });
  });

  describe('with options', () => {
    it('should create one client, keep it across StrictMode double mount and dispose it on unmount', async () => {
      const { server } = harness.current;
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 20 });
      const seen: JobStreams[] = [];
      const view = render(
        <StrictMode>
          <JobStreamsProvider options={{ url: server.url, ...FAST }}>
            <Spy seen={seen} />
            <JobProgress id={id} />
          </JobStreamsProvider>
        </StrictMode>,
      );
      await act(async () => {});
      const [client] = seen;
      if (!client) throw new Error('the provider handed out no client');
      const watch = watchDisposal(client);

      // Still alive after the double mount: the job plays to its end through it (a whole job: on a
      // loaded machine it takes longer than waitFor's default second).
      await waitFor(() => expect(screen.getByText('Watch the video')).toBeTruthy(), { timeout: 15_000 });
      expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      expect(seen).toHaveLength(1);
      expect(watch.disposed).toBe(false);

      view.unmount();
      await waitFor(() => expect(watch.disposed).toBe(true));
      await waitFor(() => expect(server.control.engineConnections()).toBe(0));
    });

    it('should give a new client, never the disposed one, when shown again after being hidden', async () => {
      const { server } = harness.current;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 40 });
      const seen: JobStreams[] = [];
      const ui = (mode: 'visible' | 'hidden') => (
        <Activity mode={mode}>
          <JobStreamsProvider options={{ url: server.url, ...FAST }}>
            <Spy seen={seen} />
            <JobProgress id={id} />
          </JobStreamsProvider>
        </Activity>
      );
      const view = render(ui('visible'));
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      const first = seen[0];
      if (!first) throw new Error('the provider handed out no client');
      const watch = watchDisposal(first);

      view.rerender(ui('hidden'));
      await waitFor(() => expect(watch.disposed).toBe(true));
      // The subtree's effects re-subscribe to the disposed client before the provider swaps it.
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      view.rerender(ui('visible'));
      await waitFor(() => expect(seen).toHaveLength(2));
      logged.mockRestore();

      await waitFor(() => expect(screen.getByText('Watch the video')).toBeTruthy());
      expect(seen[1]).not.toBe(first);
    });
  });
});
