// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { JobStreamsProvider, useOutbox } from '../../src/react/index.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import { setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

describe('useOutbox', () => {
  it('should show a message waiting while the socket is down and drop it once the server acked it', async () => {
    const { server } = harness.current;
    const client = harness.current.client({ outbox: outbox({ storage: memoryStorage() }) });
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
    const client = harness.current.client({ outbox: outbox({ storage: memoryStorage() }) });
    const { result, rerender } = renderHook(() => useOutbox(), {
      wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
    });
    const { send } = result.current;
    rerender();
    expect(result.current.send).toBe(send);
  });

  describe('without the outbox plugin', () => {
    it('should show nothing waiting and have send throw how to install the plugin', () => {
      const client = harness.current.client();
      const { result } = renderHook(() => useOutbox(), {
        wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
      });

      expect(result.current.messages).toEqual([]);
      expect(() => result.current.send('cancel_job', { generation_id: 'gen_1' })).toThrow(/outbox: outbox\(\)/);
    });
  });

  describe('with options', () => {
    it('should pass the plugin to the client the provider creates', async () => {
      const { server } = harness.current;
      const { result } = renderHook(() => useOutbox(), {
        wrapper: ({ children }) => (
          <JobStreamsProvider options={{ url: server.url, linger: 0, outbox: outbox({ storage: memoryStorage() }) }}>
            {children}
          </JobStreamsProvider>
        ),
      });
      let id = '';
      act(() => {
        id = result.current.send('cancel_job', { generation_id: 'gen_2' });
      });

      await waitFor(() => expect(server.control.outbox.applied).toMatchObject([{ id, event: 'cancel_job' }]));
      await waitFor(() => expect(result.current.messages).toEqual([]));
    });
  });
});
