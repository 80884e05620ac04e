import { useState, type ReactNode } from 'react';
import { ConnectedStatus, JobStreamsProvider } from '../../src/react/index.js';
import { ClientErrorToasts } from './ClientErrorToasts.js';
import { dashboardClientOptions } from './dashboardClientOptions.js';
import { JobCard } from './JobCard.js';
import { NetworkPanel } from './NetworkPanel.js';
import { NewJobForms } from './NewJobForms.js';
import { OutboxCount } from './OutboxCount.js';
import { ToastProvider } from './Toasts.js';
import { useJobList } from './useJobList.js';

/** The dashboard: one jobstream client for the page, shared by every job card. */
export function App(): ReactNode {
  // Read once, like the provider reads its options.
  const [options] = useState(() => dashboardClientOptions(location.search));
  return (
    <ToastProvider>
      <JobStreamsProvider options={options}>
        <Dashboard />
        <ClientErrorToasts />
      </JobStreamsProvider>
    </ToastProvider>
  );
}

function Dashboard(): ReactNode {
  const { jobs, add, remove } = useJobList();
  return (
    <>
      <header className="topbar">
        <h1>
          jobstream <span>dashboard</span>
        </h1>
        <div className="topbar__status">
          <ConnectedStatus className="dashboard-status" />
          <OutboxCount />
        </div>
      </header>
      <main className="layout">
        <div className="layout__side">
          <section className="panel" aria-labelledby="start-heading">
            <h2 id="start-heading">Start a job</h2>
            <NewJobForms onStarted={add} />
          </section>
          <NetworkPanel />
        </div>
        <section className="panel layout__jobs" aria-labelledby="jobs-heading">
          <h2 id="jobs-heading">Jobs</h2>
          {jobs.length === 0 ? (
            <p className="empty">
              No job yet. Start one, then cut the socket in the network panel: polling takes over, the progress keeps moving, and
              the socket comes back. Open this page in another tab to watch the same jobs.
            </p>
          ) : (
            <ol className="jobs">
              {[...jobs].reverse().map((job) => (
                <li key={job.id}>
                  <JobCard job={job} onRemove={remove} />
                </li>
              ))}
            </ol>
          )}
        </section>
      </main>
    </>
  );
}
