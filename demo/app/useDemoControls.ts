import { useCallback, useEffect, useState } from 'react';

/** What `GET /api/demo/status` answers (see `demoControlHandler`). */
export interface DemoStatus {
  socket: 'accepting' | 'stopped';
  heartbeatAcks: boolean;
  engineConnections: number;
  /** The cluster node that answered, the one serving this page's connection (sticky sessions); `null` for one process. */
  node: string | null;
  /** Whether `node/kill` is offered (`npm run start:cluster`). */
  killNode: boolean;
  jobs: { id: string; kind: 'generation' | 'composition'; state: 'idle' | 'running' | 'stalled' | 'done'; status: string }[];
}

/** What {@link useDemoControls} returns. */
export interface DemoControls {
  /** `undefined` until the first answer, `null` when the server has no demo controls. */
  status: DemoStatus | null | undefined;
  /** POSTs `/api/demo/${action}`; resolves to an error message, or `undefined` when it worked. */
  run: (action: string) => Promise<string | undefined>;
}

/** How often the panel refreshes what it shows of the server. */
const REFRESH_MS = 1500;

// The server puts the controls' token in the page it serves (`startDashboard`); every request carries it.
const headers = (): Record<string, string> => ({
  'x-jobstream-demo': document.querySelector<HTMLMetaElement>('meta[name="jobstream-demo-token"]')?.content ?? '',
});

/**
 * The server's demo controls: their status, refreshed every {@link REFRESH_MS}, and a way to run
 * one. A server without them (`npm start` with `JOBSTREAM_DEMO=0`, or any production backend)
 * answers 404, and the status becomes `null` for good.
 */
export function useDemoControls(): DemoControls {
  const [status, setStatus] = useState<DemoStatus | null | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      try {
        const response = await fetch('/api/demo/status', { cache: 'no-store', headers: headers() });
        if (stopped) return;
        if (response.status === 404 || response.status === 403) {
          setStatus(null);
          return;
        }
        if (response.ok) setStatus((await response.json()) as DemoStatus);
      } catch {
        // The server may be restarting; the next refresh tells.
      }
      if (!stopped) timer = setTimeout(() => void refresh(), REFRESH_MS);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const run = useCallback(async (action: string) => {
    try {
      const response = await fetch(`/api/demo/${action}`, { method: 'POST', headers: headers() });
      const body = (await response.json()) as DemoStatus | { error: { message: string } } | { killed: true };
      if ('error' in body) return body.error.message;
      // A killed node answers before it dies, with no status: the next refresh comes from another.
      if ('jobs' in body) setStatus(body);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, []);

  return { status, run };
}
