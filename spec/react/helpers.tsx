import { cleanup, render, type RenderResult } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import type { ReactNode } from 'react';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobServer } from '../../src/server/index.js';
import { JobStreamsProvider } from '../../src/react/index.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';

/**
 * A reference server (and its clients) per test, with testing-library's DOM cleanup, which does
 * not register itself because vitest globals are off. Unmounts before the server closes.
 */
export function setupLiveHarness(): { readonly current: Harness } {
  const box = {} as { current: Harness };
  beforeEach(async () => {
    box.current = await startHarness();
  });
  afterEach(async () => {
    cleanup();
    await box.current.close();
  });
  return box;
}

/** Renders `ui` under a provider of `client`. */
export function renderWithClient(client: JobStreams, ui: ReactNode): RenderResult {
  return render(<JobStreamsProvider client={client}>{ui}</JobStreamsProvider>);
}

/** socket.io handshakes the server saw for one job's namespace. */
export function jobHandshakes(server: JobServer, id: string, kind: 'generation' | 'composition' = 'generation'): number {
  return server.control.handshakes.filter(({ namespace }) => namespace === `/ws/${kind}s/${id}`).length;
}

/** socket.io handshakes of the root namespace: one per link (re)connection. */
export function rootHandshakes(server: JobServer): number {
  return server.control.handshakes.filter(({ namespace }) => namespace === '/').length;
}
