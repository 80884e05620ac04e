// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { JobStreamsProvider, useOutbox } from '../../src/react/index.js';
import { setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

describe('useOutbox', () => {
  it('should show a message waiting while the socket is down and drop it once the server acked it', async () => {
    const { server } = harness.current;
    const client = harness.current.client();
    const { result } = renderHook(() => useOutbox(), {
      wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
    });
    expect(result.current.messages).toEqual([]);

    server.control.stopSocket();
    let id = '';
    act(() => {
      id = result.current.send('cancel_job', { generation_id: 'gen_1' });
    });
    expect(result.current.messages).toMatchObject([{ id, event: 'cancel_job', data: { generation_id: 'gen_1' } }]);

    server.control.startSocket();
    await waitFor(() => expect(result.current.messages).toEqual([]));
    expect(server.control.outbox.applied).toMatchObject([{ id, event: 'cancel_job' }]);
  });

  it('should keep send stable across renders', () => {
    const client = harness.current.client();
    const { result, rerender } = renderHook(() => useOutbox(), {
      wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
    });
    const { send } = result.current;
    rerender();
    expect(result.current.send).toBe(send);
  });
});
