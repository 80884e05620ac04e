// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render, renderHook, waitFor } from '@testing-library/react';
import type { ConnectionState } from '../../src/protocol/index.js';
import { JobProgress, JobStreamsProvider, useConnectionState } from '../../src/react/index.js';
import { rootHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

describe('useConnectionState', () => {
  it('should report disconnected and open nothing while no job is followed', () => {
    const { server } = harness.current;
    const client = harness.current.client();
    const { result } = renderHook(() => useConnectionState(), {
      wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
    });
    expect(result.current).toMatchObject({ status: 'disconnected', transport: 'none', reconnectAttempts: 0 });
    expect(rootHandshakes(server)).toBe(0);
  });

  it('should follow the link: connected, then polling while the socket is down, then connected again', async () => {
    const { server } = harness.current;
    // A running job: the state turns to `polling` when a poll delivers an update.
    const id = server.jobs.startGeneration({ clips: 20, stepMs: 30 });
    const client = harness.current.client();
    const seen: ConnectionState[] = [];
    function Probe() {
      seen.push(useConnectionState());
      return null;
    }
    render(
      <JobStreamsProvider client={client}>
        <Probe />
        <JobProgress id={id} />
      </JobStreamsProvider>,
    );
    const current = () => seen.at(-1);

    await waitFor(() => expect(current()).toMatchObject({ status: 'connected', transport: 'websocket' }));
    expect(current()?.connectedAt).toBeInstanceOf(Date);

    server.control.stopSocket();
    await waitFor(() => expect(current()?.transport).toBe('polling'));
    expect(current()?.status).not.toBe('connected');

    server.control.startSocket();
    await waitFor(() => expect(current()).toMatchObject({ status: 'connected', transport: 'websocket' }));
  });
});
