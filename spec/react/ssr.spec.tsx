// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { firstValueFrom } from 'rxjs';
import { createJobStreams, type JobStreams } from '../../src/client/createJobStreams.js';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import { outbox } from '../../src/outbox.js';

let server: JobServer;
const clients: JobStreams[] = [];
beforeEach(async () => {
  server = await createJobServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await server.close();
});

describe('jobstream/react on the server (no window, no localStorage)', () => {
  it('should import without touching the DOM or storage', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof (globalThis as { localStorage?: unknown }).localStorage).toBe('undefined');
    const react = await import('../../src/react/index.js');
    expect(typeof react.JobProgress).toBe('function');
  });

  it('should render a job, the connection badge and the hooks to HTML without connecting', async () => {
    const { JobStreamsProvider, JobProgress, ConnectedStatus } = await import('../../src/react/index.js');
    const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
    const client = createJobStreams({ url: server.url });
    clients.push(client);

    const html = renderToString(
      <JobStreamsProvider client={client}>
        <ConnectedStatus />
        <JobProgress id={id} />
      </JobStreamsProvider>,
    );

    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="0"');
    expect(html).toContain('Queued · 0%');
    expect(html).toContain('Idle');
    // A subscription would have marked the link `connecting` synchronously, before any handshake.
    expect(await firstValueFrom(client.connectionState$)).toMatchObject({ status: 'disconnected', transport: 'none' });
    // And the server, asked after the render, has seen no handshake.
    expect((await fetch(`${server.url}/api/v1/generations/${id}`)).ok).toBe(true);
    expect(server.control.handshakes).toHaveLength(0);
    expect(server.control.engineConnections()).toBe(0);
  });

  it('should render with an options provider, which creates its client without connecting', async () => {
    const { JobStreamsProvider, JobProgress } = await import('../../src/react/index.js');
    const id = server.jobs.startGeneration({ clips: 1, stepMs: 10 });
    const html = renderToString(
      <JobStreamsProvider options={{ url: server.url }}>
        <JobProgress id={id} kind="generation" />
      </JobStreamsProvider>,
    );
    expect(html).toContain(`aria-label="Generation ${id}"`);
    expect((await fetch(`${server.url}/api/v1/generations/${id}`)).ok).toBe(true);
    expect(server.control.handshakes).toHaveLength(0);
  });

  it('should render the outbox of an options provider with the plugin, in memory, without connecting', async () => {
    const { JobStreamsProvider, useOutbox } = await import('../../src/react/index.js');
    function Waiting() {
      return <p>{`${useOutbox().messages.length} waiting`}</p>;
    }
    const html = renderToString(
      <JobStreamsProvider options={{ url: server.url, outbox: outbox() }}>
        <Waiting />
      </JobStreamsProvider>,
    );
    expect(html).toContain('0 waiting');
    expect(server.control.handshakes).toHaveLength(0);
    expect(server.control.engineConnections()).toBe(0);
  });
});
