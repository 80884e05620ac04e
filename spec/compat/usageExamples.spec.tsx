// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { useWebSocket, WebSocketService } from '../../src/compat/index.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import type { CompletedEvent, EncodingProgressEvent, ProgressEvent } from '../../src/protocol/index.js';
import { FAST, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
let log: MockInstance<typeof console.log>;

beforeEach(async () => {
  harness = await startHarness();
  WebSocketService.configure({ url: harness.server.url, ...FAST, outbox: outbox({ storage: memoryStorage() }) });
  // The examples log; the spy is the collector, so their code stays exactly as the plan wrote it.
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(async () => {
  cleanup();
  log.mockRestore();
  WebSocketService.reset();
  await harness.close();
});

/** The plan's "Documentation > Usage Examples", verbatim inside a component. */
function GenerationProgress({ generationId }: { generationId: string }) {
  // Basic usage
  const { isConnected, subscribe, disconnect } = useWebSocket({
    endpoint: `/ws/generations/${generationId}`,
    autoConnect: true,
    onConnect: () => console.log('Connected'),
  });

  // Subscribe to events
  useEffect(() => {
    subscribe<ProgressEvent['data']>('progress', (data) => {
      console.log('Progress:', data.percentage);
    });

    subscribe<CompletedEvent['data']>('completed', (data) => {
      console.log('Video ready:', data.video_url);
    });

    return () => disconnect();
  }, [subscribe, disconnect]);

  return <p>{isConnected ? 'Connected' : 'Offline'}</p>;
}

/** The plan's WebSocketService: "Returns cleanup functions for React useEffect". */
function CompositionProgress({ compositionId }: { compositionId: string }) {
  const [percentage, setPercentage] = useState(0);
  const [videoUrl, setVideoUrl] = useState<string>();

  useEffect(() => {
    return WebSocketService.subscribeToComposition(compositionId, {
      onProgress: (data: EncodingProgressEvent['data']) => setPercentage(data.percentage),
      // The plan's example, verbatim: its `any` is part of what must keep compiling.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-member-access
      onCompleted: (data: any) => setVideoUrl(data.video_url),
      onError: (data) => console.log('Error:', data.message),
    });
  }, [compositionId]);

  return <p>{videoUrl ? `Ready: ${videoUrl}` : `Encoding ${percentage}%`}</p>;
}

const logged = (label: string): unknown[] => log.mock.calls.filter(([first]) => first === label).map(([, value]): unknown => value);

async function startWhenSubscribed(id: string): Promise<void> {
  await waitFor(() => expect(harness.server.control.namespaceSockets(id)).toBe(1));
  harness.server.jobs.start(id);
}

describe('the plan\'s usage examples', () => {
  describe.each([
    ['as written', (element: React.ReactElement) => element],
    ['under StrictMode', (element: React.ReactElement) => <StrictMode>{element}</StrictMode>],
  ])('useWebSocket %s', (_, wrap) => {
    it('should log connected, every progress percentage once and the video URL once', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration({ clips: 3, stepMs: 10 });

      render(wrap(<GenerationProgress generationId={id} />));
      await waitFor(() => expect(screen.getByText('Connected')).toBeTruthy());
      await startWhenSubscribed(id);

      await waitFor(() => expect(logged('Video ready:')).toHaveLength(1), { timeout: 5000 });
      expect(logged('Video ready:')).toEqual([server.jobs.get(id)?.video_url]);
      expect(logged('Connected')).toHaveLength(1);
      const percentages = logged('Progress:') as number[];
      expect(percentages.length).toBeGreaterThanOrEqual(12);
      expect(new Set(percentages).size).toBe(percentages.length);
      expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
      expect(percentages.at(-1)).toBeGreaterThan(90);
    });

    it('should close the job\'s socket when the component unmounts', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const { unmount } = render(wrap(<GenerationProgress generationId={id} />));
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      unmount();

      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
    });
  });

  describe('WebSocketService.subscribeToComposition in a useEffect', () => {
    it('should render the encoding progress, then the video', async () => {
      const { server } = harness;
      const id = server.jobs.createComposition({ frames: 40, framesPerStep: 10, stepMs: 20 });

      const { unmount } = render(
        <StrictMode>
          <CompositionProgress compositionId={id} />
        </StrictMode>,
      );
      expect(screen.getByText('Encoding 0%')).toBeTruthy();
      await startWhenSubscribed(id);

      await waitFor(() => expect(screen.getByText(`Ready: ${server.jobs.get(id)?.video_url}`)).toBeTruthy(), { timeout: 5000 });
      unmount();
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
    });
  });
});
