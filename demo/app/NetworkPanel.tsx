import { useId, useState, type ReactNode } from 'react';
import { useConnectionState } from '../../src/react/index.js';
import { useDemoControls } from './useDemoControls.js';

const SOCKET_ACTIONS = [
  { action: 'socket/stop', label: 'Cut socket', done: 'Socket cut: the server refuses socket connections; REST still answers.' },
  { action: 'socket/start', label: 'Restore socket', done: 'Socket restored: the next reconnection attempt will succeed.' },
  { action: 'connections/drop', label: 'Drop connections', done: 'Connections dropped: the client reconnects and resyncs.' },
  {
    action: 'heartbeat/stop',
    label: 'Stop heartbeat acks',
    done: 'Heartbeat acks stopped: the client will find the link dead within 8 s.',
  },
  { action: 'heartbeat/resume', label: 'Resume heartbeat acks', done: 'Heartbeat acks resumed.' },
] as const;

/**
 * Breaks the network on purpose (demo mode only): cuts and restores the socket server, drops
 * connections, stops heartbeat acks and stalls a job, so one can watch polling take over, the
 * progress keep moving and the socket come back. On a cluster (`npm run start:cluster`) it shows
 * the node serving the page and can kill it. Renders nothing when the server has no demo controls.
 */
export function NetworkPanel(): ReactNode {
  const { status, run } = useDemoControls();
  const connection = useConnectionState();
  const [message, setMessage] = useState('');
  const [chosenJob, setChosenJob] = useState('');
  const headingId = useId();
  const jobSelectId = useId();
  if (!status) return null;

  const liveJobs = status.jobs.filter(({ state }) => state === 'running' || state === 'stalled').reverse();
  const job = liveJobs.find(({ id }) => id === chosenJob) ?? liveJobs[0];
  const perform = async (action: string, done: string) => setMessage((await run(action)) ?? done);

  return (
    <section className="panel network" aria-labelledby={headingId}>
      <h2 id={headingId}>Network</h2>
      <p className="network__intro">
        Break the link on purpose: the badge tells who carries the jobs, and their progress keeps moving.
      </p>
      <dl className="network__facts">
        <dt>Socket server</dt>
        <dd data-testid="socket-server">{status.socket === 'accepting' ? 'accepting' : 'cut'}</dd>
        <dt>Heartbeat acks</dt>
        <dd>{status.heartbeatAcks ? 'on' : 'off'}</dd>
        <dt>Updates via</dt>
        <dd>{connection.transport === 'none' ? '—' : connection.transport}</dd>
        <dt>Reconnect attempts</dt>
        <dd>{connection.reconnectAttempts}</dd>
        {status.node !== null && (
          <>
            <dt>Served by</dt>
            <dd data-testid="served-by">{status.node}</dd>
          </>
        )}
      </dl>
      {status.killNode && (
        <div className="network__buttons" role="group" aria-label="Cluster">
          <button
            type="button"
            data-action="node/kill"
            onClick={() =>
              void perform(
                'node/kill',
                `${status.node} killed: the page reconnects to another node, which resyncs every job; the jobs it ran go on elsewhere within 3 s.`,
              )
            }
          >
            Kill node
          </button>
        </div>
      )}
      <div className="network__buttons" role="group" aria-label="Socket and heartbeat">
        {SOCKET_ACTIONS.map(({ action, label, done }) => (
          <button key={action} type="button" data-action={action} onClick={() => void perform(action, done)}>
            {label}
          </button>
        ))}
      </div>
      <div className="network__job" role="group" aria-label="Stall a job">
        <label htmlFor={jobSelectId}>Job</label>
        <select
          id={jobSelectId}
          value={job?.id ?? ''}
          onChange={(event) => setChosenJob(event.target.value)}
          disabled={liveJobs.length === 0}
        >
          {liveJobs.length === 0 && <option value="">no running job</option>}
          {liveJobs.map(({ id, state }) => (
            <option key={id} value={id}>
              {state === 'stalled' ? `${id} (stalled)` : id}
            </option>
          ))}
        </select>
        <div className="network__pair">
          <button
            type="button"
            onClick={() => job && void perform(`jobs/${job.id}/stall`, `${job.id} stalled: it sends nothing until resumed.`)}
            aria-disabled={!job}
          >
            Stall job
          </button>
          <button
            type="button"
            onClick={() => job && void perform(`jobs/${job.id}/resume`, `${job.id} resumed.`)}
            aria-disabled={!job}
          >
            Resume job
          </button>
        </div>
      </div>
      <p className="network__message" role="status">
        {message}
      </p>
    </section>
  );
}
