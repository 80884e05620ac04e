import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildDashboard } from '../demo/server/buildDashboard.js';
import { ARTIFACTS_DIR } from './artifacts.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's dashboard was built. */
    dashboardDir: string;
  }
}

/** Builds the dashboard once for the whole run, into a directory removed afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'jobstream-e2e-'));
  await Promise.all([buildDashboard({ outDir: dir }), mkdir(ARTIFACTS_DIR, { recursive: true })]);
  project.provide('dashboardDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
