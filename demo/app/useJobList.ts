import { useCallback, useEffect, useState } from 'react';
import { formatJobList, MAX_WATCHED_JOBS, parseJobList, type WatchedJob } from './jobList.js';

const STORAGE_KEY = 'jobstream-demo:jobs';

/** What {@link useJobList} returns. */
export interface JobList {
  jobs: readonly WatchedJob[];
  add: (job: WatchedJob) => void;
  remove: (id: string) => void;
}

/**
 * The watched jobs, kept in the URL (`#jobs=generation:gen_x,…`, so another tab opened on the same
 * URL watches the same jobs) and in localStorage (so a reload, or a visit without a hash, resumes
 * them). The hash wins when both are present; editing it in the address bar is followed.
 */
export function useJobList(): JobList {
  const [jobs, setJobs] = useState<readonly WatchedJob[]>(() => readHash() ?? readStorage());

  useEffect(() => {
    const follow = () => {
      const fromHash = readHash();
      if (fromHash) setJobs((current) => (formatJobList(current) === formatJobList(fromHash) ? current : fromHash));
    };
    window.addEventListener('hashchange', follow);
    // The hash may have changed between the first render and this effect, before anyone listened.
    follow();
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    const text = formatJobList(jobs);
    const url = `${location.pathname}${location.search}${text ? `#jobs=${text}` : ''}`;
    // Replace, not push: the back button should leave the dashboard, not step through job lists.
    if (`${location.pathname}${location.search}${location.hash}` !== url) history.replaceState(history.state, '', url);
    try {
      localStorage.setItem(STORAGE_KEY, text);
    } catch {
      // Private mode or a full quota: the hash still carries the list.
    }
  }, [jobs]);

  const add = useCallback((job: WatchedJob) => {
    setJobs((current) => [...current.filter(({ id }) => id !== job.id), job].slice(-MAX_WATCHED_JOBS));
  }, []);
  const remove = useCallback((id: string) => setJobs((current) => current.filter((job) => job.id !== id)), []);
  return { jobs, add, remove };
}

function readHash(): WatchedJob[] | undefined {
  const match = /(?:^#|&)jobs=([^&]*)/.exec(location.hash);
  if (!match) return undefined;
  try {
    return parseJobList(decodeURIComponent(match[1] ?? ''));
  } catch {
    return [];
  }
}

function readStorage(): WatchedJob[] {
  try {
    return parseJobList(localStorage.getItem(STORAGE_KEY) ?? '');
  } catch {
    return [];
  }
}
