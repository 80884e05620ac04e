// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { ProgressEvent } from '../../src/protocol/index.js';
import { JobStreamsProvider, useJobEvents, type JobEventHandlers } from '../../src/react/index.js';
import { jobHandshakes, rootHandshakes, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

const providerOf = (client: JobStreams) =>
  function Wrapper({ children }: { children?: ReactNode }) {
    return <JobStreamsProvider client={client}>{children}</JobStreamsProvider>;
  };

const progress = (percentage: number): ProgressEvent => ({
  type: 'progress',
  data: { step: 'generating_clip', clip_number: 1, total_clips: 1, percentage, message: `${percentage}` },
});

describe('useJobEvents', () => {
  it('should call each handler with its event data, the terminal one once', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
    const calls: string[] = [];
    const handlers: JobEventHandlers = {
      onProgress: (data) => calls.push(`progress ${data.percentage}`),
      onClipCompleted: (data) => calls.push(`clip ${data.clip_id}`),
      onStatusChange: (data) => calls.push(`status ${data.new_status}`),
      onCompleted: (data) => calls.push(`completed ${data.video_url}`),
    };
    renderHook(() => useJobEvents(id, handlers), { wrapper: providerOf(harness.current.client()) });

    await waitFor(() => expect(calls.at(-1)).toBe(`completed /api/v1/videos/${id}.mp4`));
    expect(calls.filter((call) => call.startsWith('clip'))).toEqual([`clip ${id}_clip_1`, `clip ${id}_clip_2`]);
    expect(calls).toContain('status processing');
    expect(calls.filter((call) => call.startsWith('completed'))).toHaveLength(1);
  });

  it('should hand the next event to a new handler without resubscribing, and none to the old one', async () => {
    const { server } = harness.current;
    const id = server.jobs.createGeneration();
    const first: number[] = [];
    const second: number[] = [];
    const { rerender } = renderHook(
      ({ received }) => useJobEvents(id, { onProgress: (data) => received.push(data.percentage) }),
      { wrapper: providerOf(harness.current.client()), initialProps: { received: first } },
    );
    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
    server.jobs.emit(id, progress(10));
    await waitFor(() => expect(first).toEqual([10]));

    rerender({ received: second });
    server.jobs.emit(id, progress(20));
    await waitFor(() => expect(second).toEqual([20]));

    expect(first).toEqual([10]);
    expect(jobHandshakes(server, id)).toBe(1);
    expect(rootHandshakes(server)).toBe(1);
    expect(server.control.namespaceSockets(id)).toBe(1);
  });

  it('should log a handler that throws and keep delivering events', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { server } = harness.current;
    const id = server.jobs.createGeneration();
    const received: number[] = [];
    const completed = vi.fn();
    renderHook(
      () =>
        useJobEvents(id, {
          onProgress: (data) => {
            received.push(data.percentage);
            if (data.percentage === 10) throw new Error('toast library exploded');
          },
          onCompleted: completed,
        }),
      { wrapper: providerOf(harness.current.client()) },
    );
    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
    server.jobs.emit(id, progress(10));
    server.jobs.emit(id, progress(20));
    server.jobs.emit(id, { type: 'completed', data: { video_url: '/v.mp4', thumbnail_url: '/t.svg', duration: 5 } });

    await waitFor(() => expect(completed).toHaveBeenCalledTimes(1));
    expect(received).toEqual([10, 20]);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/onProgress handler threw/), expect.objectContaining({ message: 'toast library exploded' }));
    logged.mockRestore();
  });

  it('should follow a composition with kind: composition', async () => {
    const { server } = harness.current;
    const id = server.jobs.startComposition({ frames: 30, framesPerStep: 10, stepMs: 10 });
    const frames: number[] = [];
    const completed = vi.fn();
    renderHook(
      () => useJobEvents(id, { onEncodingProgress: (data) => frames.push(data.frames_processed), onCompleted: completed }, { kind: 'composition' }),
      { wrapper: providerOf(harness.current.client()) },
    );
    await waitFor(() => expect(completed).toHaveBeenCalledTimes(1));
    expect(frames.at(-1)).toBe(30);
    expect(jobHandshakes(server, id, 'composition')).toBe(1);
  });
});
