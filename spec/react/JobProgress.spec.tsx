// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { of, type Observable } from 'rxjs';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { initialJobState, type JobState } from '../../src/client/JobState.js';
import { JobProgress, JobStreamsProvider } from '../../src/react/index.js';
import { renderWithClient, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

const UNSAFE = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x.mp4', 'vbscript:msgbox(1)'];

/** A client whose only job is `state`: for the pure-render case of a state that did not come from the wire. */
function stubClient(state: JobState): JobStreams {
  const state$ = (): Observable<JobState> => of(state);
  return { generationState$: state$, compositionState$: state$ } as Partial<JobStreams> as JobStreams;
}

const progressbar = () => screen.getByRole('progressbar');

describe('JobProgress', () => {
  it('should render progress, step, clips with thumbnails and the video link of a live generation', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
    renderWithClient(harness.current.client(), <JobProgress id={id} />);

    expect(progressbar().getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText('Queued · 0%')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Watch the video' }).getAttribute('href')).toBe(`/api/v1/videos/${id}.mp4`));

    const bar = progressbar();
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-label')).toBe(`Generation ${id}`);
    expect(screen.getByText('Completed · 100%')).toBeTruthy();
    expect(screen.getAllByRole('img').map((img) => img.getAttribute('src'))).toEqual([
      `/api/v1/thumbnails/${id}/1.svg`,
      `/api/v1/thumbnails/${id}/2.svg`,
    ]);
    expect(screen.getAllByRole('listitem').map((item) => item.dataset.clipId)).toEqual([`${id}_clip_1`, `${id}_clip_2`]);
    expect(document.querySelector('.jobstream-progress')?.getAttribute('data-status')).toBe('completed');
  });

  it('should show the step while a generation runs', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 3, stepMs: 30 });
    renderWithClient(harness.current.client(), <JobProgress id={id} />);
    await waitFor(() => expect(document.querySelector('.jobstream-progress__step')?.textContent).toMatch(/^generating_clip: /));
    expect(Number(progressbar().getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  });

  it('should show the error message of a failed generation and no video link', async () => {
    const { server } = harness.current;
    const id = server.jobs.startGeneration({ clips: 3, stepMs: 10, failAtClip: 2 });
    renderWithClient(harness.current.client(), <JobProgress id={id} />);

    await waitFor(() => expect(screen.getByRole('alert').textContent).toBeTruthy());
    expect(screen.getByRole('alert').dataset.code).toBe('GENERATION_FAILED');
    expect(document.querySelector('.jobstream-progress')?.getAttribute('data-status')).toBe('failed');
    expect(screen.getByText(/^Failed · /)).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('should follow a composition with kind="composition"', async () => {
    const { server } = harness.current;
    const id = server.jobs.startComposition({ frames: 30, framesPerStep: 10, stepMs: 10 });
    renderWithClient(harness.current.client(), <JobProgress id={id} kind="composition" label="Final cut" />);
    await waitFor(() => expect(screen.getByRole('link', { name: 'Watch the video' })).toBeTruthy());
    expect(screen.getByRole('progressbar', { name: 'Final cut' }).getAttribute('aria-valuenow')).toBe('100');
  });

  it('should never render a URL that is not http(s) or root-relative', () => {
    const state: JobState = {
      ...initialJobState('generation', 'gen_x'),
      status: 'completed',
      percentage: 100,
      clips: [
        ...UNSAFE.map((url, index) => ({ clip_id: `bad_${index}`, thumbnail_url: url, duration: 1 })),
        { clip_id: 'good', thumbnail_url: 'https://cdn.example.com/t.png', duration: 1 },
      ],
      videoUrl: 'javascript:alert(document.cookie)',
      thumbnailUrl: 'javascript:alert(1)',
    };
    const { container } = render(
      <JobStreamsProvider client={stubClient(state)}>
        <JobProgress id="gen_x" />
      </JobStreamsProvider>,
    );

    expect(screen.getAllByRole('listitem')).toHaveLength(UNSAFE.length + 1);
    expect(screen.getAllByRole('img').map((img) => img.getAttribute('src'))).toEqual(['https://cdn.example.com/t.png']);
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.innerHTML.toLowerCase()).not.toMatch(/script:|data:|\/\/evil/);
  });

  it('should keep URLs the server sends unsafe out of the DOM: validation refuses them first', async () => {
    const { server } = harness.current;
    const id = server.jobs.createGeneration();
    const client = harness.current.client();
    const refused: JobStreamsError[] = [];
    client.errors$.subscribe((problem) => refused.push(problem));
    renderWithClient(client, <JobProgress id={id} />);
    await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

    server.control.sendMalformed(id, 'clip_completed', { clip_id: 'c1', thumbnail_url: 'javascript:alert(1)', duration: 1 });
    server.control.sendMalformed(id, 'completed', { video_url: 'javascript:alert(1)', thumbnail_url: '/t.svg', duration: 1 });
    await waitFor(() => expect(refused).toHaveLength(2));

    expect(document.body.innerHTML).not.toMatch(/javascript:/i);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
    expect(progressbar().getAttribute('aria-valuenow')).toBe('0');
  });
});
