// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, renderHook } from '@testing-library/react';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { JobStreamsProvider, useJobStreams } from '../../src/react/index.js';

afterEach(cleanup);

describe('useJobStreams', () => {
  it('should throw an error naming the missing provider outside one', () => {
    // React logs the error thrown during render before rethrowing it.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    function Orphan() {
      useJobStreams();
      return null;
    }
    expect(() => render(<Orphan />)).toThrow(/outside a <JobStreamsProvider>/);
    logged.mockRestore();
  });

  it('should return the client given to the provider', () => {
    const client = createJobStreams({ url: 'http://127.0.0.1:9' });
    const { result } = renderHook(() => useJobStreams(), {
      wrapper: ({ children }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider>,
    });
    expect(result.current).toBe(client);
    client.dispose();
  });
});
