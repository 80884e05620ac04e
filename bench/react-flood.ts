/**
 * Renders per second of a component using `useGenerationProgress` (default options: progress
 * throttled to 100 ms) against a naive component doing `setState` on every raw socket.io
 * `progress` event, under the same flood (default 1,000 events a second for 5 s) from the same
 * server (a child process). Renders are commits counted by React's `<Profiler>` (react-dom's
 * profiling build, production React) in a jsdom installed in this plain node process. Prints one
 * JSON object; exits 1 when jobstream renders more than its throttle allows or loses the last value.
 *
 *   npm run bench:react-flood
 *   FLOOD_RATE=2000 FLOOD_SECONDS=3 tsx bench/react-flood.ts
 */
process.env.NODE_ENV ??= 'production';

import { Manager } from 'socket.io-client';
import { createJobStreams } from '../src/client/createJobStreams.js';
import { installDom } from '../spec/leaks/installDom.js';
import { startLoadServer, type LoadServer, type PlayReply } from './loadProtocol.js';
import { round, waitUntil } from './stats.js';

const RATE = Number(process.env.FLOOD_RATE ?? 1000);
const SECONDS = Number(process.env.FLOOD_SECONDS ?? 5);
/** The server sends the events due every millisecond: one at a time at 1,000 a second, as a busy backend would. */
const TICK_MS = Number(process.env.FLOOD_TICK_MS ?? 1);
/** Time after the last event for trailing renders (jobstream's trailing throttle is 100 ms). */
const SETTLE_MS = 500;
/** Most renders a second jobstream may make at 100 ms throttle: 10 plus the leading edge. */
const JOBSTREAM_MAX_RENDERS_PER_SECOND = 11;

const dom = installDom();
// A bench, not a test: React must not expect updates wrapped in act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
const React = await import('react');
// react-dom's profiling build (Profiler callbacks in production React) has no types of its own.
const PROFILING = 'react-dom/profiling';
const { createRoot } = (await import(PROFILING)) as typeof import('react-dom/client');
const { JobStreamsProvider, useGenerationProgress } = await import('../src/react/index.js');
const h = React.createElement;

type Side = 'jobstream' | 'naive';

function JobstreamProgress({ id }: { id: string }) {
  const job = useGenerationProgress(id);
  return h('p', { id: 'shown' }, String(job.percentage));
}

/** What the brief calls naive: one setState per socket event, nothing else. */
function NaiveProgress({ url, id }: { url: string; id: string }) {
  const [event, setEvent] = React.useState<{ percentage: number } | null>(null);
  React.useEffect(() => {
    const manager = new Manager(url, { transports: ['websocket'], reconnection: false });
    const socket = manager.socket(`/ws/generations/${id}`);
    socket.on('connect', () => socket.emit('subscribe', { type: 'subscribe', generation_id: id }, () => undefined));
    socket.on('progress', (data: { percentage: number }) => setEvent(data));
    return () => {
      socket.disconnect();
      manager.engine.close();
    };
  }, [url, id]);
  return h('p', { id: 'shown' }, String(event?.percentage ?? 0));
}

async function measure(server: LoadServer, side: Side) {
  const { ids } = await server.request<{ ids: string[] }>({ op: 'create', count: 1 });
  const [id = ''] = ids;
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const client = side === 'jobstream' ? createJobStreams({ url: server.url, transports: ['websocket'] }) : undefined;
  let renders = 0;
  const onRender = () => {
    renders++;
  };
  const view = client ? h(JobstreamProgress, { id }) : h(NaiveProgress, { url: server.url, id });
  root.render(h(React.Profiler, { id: side, onRender }, client ? h(JobStreamsProvider, { client }, view) : view));
  try {
    await waitUntil(
      async () => (await server.request<{ total: number }>({ op: 'audience', ids })).total === 1,
      `${side}: subscribed`,
      15_000,
      10,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    renders = 0;
    const played = await server.request<PlayReply>({ op: 'play', ids, rate: RATE, seconds: SECONDS, tickMs: TICK_MS });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const seconds = played.wallMs / 1000;
    return {
      side,
      eventsPerSecond: round(played.sent / seconds, 1),
      rendersPerSecond: round(renders / seconds, 1),
      renders,
      shown: Number(container.querySelector('#shown')?.textContent),
      lastSent: (100 * played.sent) / (played.sent + 1),
    };
  } finally {
    root.unmount();
    container.remove();
    client?.dispose();
    await waitUntil(
      async () => (await server.request<{ value: number }>({ op: 'engineConnections' })).value === 0,
      `${side}: disconnected`,
      15_000,
      20,
    );
  }
}

const server = await startLoadServer();
try {
  const naive = await measure(server, 'naive');
  const jobstream = await measure(server, 'jobstream');
  const lastValueShown = jobstream.shown === jobstream.lastSent;
  const pass = lastValueShown && jobstream.rendersPerSecond <= JOBSTREAM_MAX_RENDERS_PER_SECOND;
  const output = {
    bench: 'react-flood',
    eventsPerSecond: jobstream.eventsPerSecond,
    jobstreamRendersPerSecond: jobstream.rendersPerSecond,
    naiveRendersPerSecond: naive.rendersPerSecond,
    ratio: round(naive.rendersPerSecond / jobstream.rendersPerSecond, 1),
    finalPercentageShown: jobstream.shown,
    lastPercentageSent: round(jobstream.lastSent, 6),
    naiveFinalPercentageShown: naive.shown,
    naiveEventsPerSecond: naive.eventsPerSecond,
    seconds: SECONDS,
    serverTickMs: TICK_MS,
    target: {
      jobstreamRendersPerSecondAtMost: JOBSTREAM_MAX_RENDERS_PER_SECOND,
      finalPercentageShown: 'the last percentage sent',
    },
    pass,
    definition: {
      rendersPerSecond:
        "React <Profiler> commits of the component's tree during the flood and 500 ms after it, / the flood's duration",
      ratio: 'naiveRendersPerSecond / jobstreamRendersPerSecond',
    },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  if (!pass) process.exitCode = 1;
} finally {
  await server.close();
  dom.close();
}
