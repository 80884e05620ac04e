// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { JobState } from '../../src/client/JobState.js';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import { JobStreamsProvider, useGenerationProgress } from '../../src/react/index.js';
import { jobHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

const providerOf = (client: JobStreams) =>
  function Wrapper({ children }: { children?: ReactNode }) {
    return <JobStreamsProvider client={client}>{children}</JobStreamsProvider>;
  };

describe('useGenerationProgress', () => {
  it('should follow a generation to completion, each clip once', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
    const { result } = renderHook(() => useGenerationProgress(id), { wrapper: providerOf(harness.current.client()) });

    expect(result.current).toMatchObject({ id, kind: 'generation', status: 'queued', percentage: 0 });
    await waitFor(() => expect(result.current.status).toBe('completed'));
    expect(result.current).toMatchObject({ percentage: 100, transport: 'websocket', videoUrl: `/api/v1/videos/${id}.mp4` });
    expect(result.current.clips.map((clip) => clip.clip_id)).toEqual([`${id}_clip_1`, `${id}_clip_2`]);
  });

  it('should switch streams when the id changes, never showing the old job for the new id', async () => {
    const { server } = harness.current;
    const first = server.jobs.startGeneration({ clips: 1, stepMs: 5 });
    const second = server.jobs.createGeneration({ clips: 1 });
    const rendered: JobState[] = [];
    const { result, rerender } = renderHook(
      ({ id }) => {
        const state = useGenerationProgress(id);
        rendered.push(state);
        return state;
      },
      { wrapper: providerOf(harness.current.client()), initialProps: { id: first } },
    );
    await waitFor(() => expect(result.current.status).toBe('completed'));

    const from = rendered.length;
    rerender({ id: second });
    expect(rendered.slice(from).every((state) => state.id === second)).toBe(true);
    expect(result.current).toMatchObject({ id: second, status: 'queued', percentage: 0, clips: [] });

    server.jobs.start(second);
    await waitFor(() => expect(result.current.status).toBe('completed'));
    expect(rendered.slice(from).every((state) => state.id === second)).toBe(true);
    expect(jobHandshakes(server, second)).toBe(1);
  });

  it('should share one namespace socket between components following the same job', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 20 });
    const { result } = renderHook(() => [useGenerationProgress(id), useGenerationProgress(id)] as const, {
      wrapper: providerOf(harness.current.client()),
    });
    await waitFor(() => expect(result.current[0].status).toBe('completed'));
    await waitFor(() => expect(result.current[1].status).toBe('completed'));
    expect(jobHandshakes(server, id)).toBe(1);
  });
});
