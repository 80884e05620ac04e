// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ConnectedStatus, JobProgress, JobStreamsProvider } from '../../src/react/index.js';
import { rootHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

const shownStatus = () => screen.getByRole('status').closest('.jobstream-status')?.getAttribute('data-status');

describe('ConnectedStatus', () => {
  it('should read "Idle", without a Reconnect button, while no job is watched, before and after', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
    const client = harness.current.client();
    const view = render(
      <JobStreamsProvider client={client}>
        <ConnectedStatus />
      </JobStreamsProvider>,
    );
    expect(shownStatus()).toBe('idle');
    expect(screen.getByRole('status').textContent).toBe('Idle');
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();

    view.rerender(
      <JobStreamsProvider client={client}>
        <ConnectedStatus />
        <JobProgress id={id} />
      </JobStreamsProvider>,
    );
    await waitFor(() => expect(shownStatus()).toBe('connected'));
    // The job ends, the socket closes after its linger (0 here): idle again, not "Disconnected".
    await waitFor(() => expect(shownStatus()).toBe('idle'));
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });

  it('should show the live link, offer Reconnect while it is down, and reconnect at once when pressed', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 50, stepMs: 50 });
    // Slow retries: only the button can bring the link back within the test's patience.
    const client = harness.current.client({ reconnection: { delay: 60_000, maxDelay: 60_000, attempts: 0, jitter: 0 } });
    render(
      <JobStreamsProvider client={client}>
        <ConnectedStatus />
        <JobProgress id={id} />
      </JobStreamsProvider>,
    );

    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Connected'));
    expect(screen.getByRole('status').getAttribute('title')).toMatch(/^Last connected: /);
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();

    server.control.stopSocket();
    await waitFor(() => expect(shownStatus()).toBe('polling'));
    expect(screen.getByRole('status').getAttribute('title')).toMatch(/Next retry: /);
    const handshakes = rootHandshakes(server);

    server.control.startSocket();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Connected'));
    expect(rootHandshakes(server)).toBe(handshakes + 1);
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });
});
