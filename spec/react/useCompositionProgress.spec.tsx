// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { JobStreamsProvider, useCompositionProgress } from '../../src/react/index.js';
import { jobHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

describe('useCompositionProgress', () => {
  it('should fold a composition, frames included, into its final state over its own namespace', async () => {
    const { server } = harness.current;
    const id = server.jobs.startComposition({ frames: 40, framesPerStep: 10, stepMs: 10 });
    const client = harness.current.client();
    const seenFrames: number[] = [];
    const { result } = renderHook(
      () => {
        const state = useCompositionProgress(id);
        if (state.framesProcessed !== undefined) seenFrames.push(state.framesProcessed);
        return state;
      },
      { wrapper: ({ children }: { children?: ReactNode }) => <JobStreamsProvider client={client}>{children}</JobStreamsProvider> },
    );

    await waitFor(() => expect(result.current.status).toBe('completed'));
    expect(result.current).toMatchObject({ id, kind: 'composition', percentage: 100, totalFrames: 40 });
    expect(seenFrames.length).toBeGreaterThan(0);
    expect(result.current.videoUrl).toBe(server.jobs.get(id)?.video_url);
    expect(jobHandshakes(server, id, 'composition')).toBe(1);
  });
});
