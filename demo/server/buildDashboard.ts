import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

/** Where the dashboard's sources live (`demo/`, holding `index.html`). */
export const DASHBOARD_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm start` writes the built dashboard (git-ignored through `dist/`). */
export const DEFAULT_DASHBOARD_OUT_DIR = fileURLToPath(new URL('../dist', import.meta.url));

/** Options of {@link buildDashboard}. */
export interface BuildDashboardConfig {
  /** Directory to write `index.html` and `assets/` to; emptied first. @default demo/dist */
  outDir?: string;
  /** Vite's log level; the e2e suite keeps it quiet. @default 'warn' */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

/**
 * Builds the dashboard with Vite (production mode) from `demo/index.html`. The library is bundled
 * from `src/` directly, so nothing has to be built before.
 *
 * @example
 * await buildDashboard({ outDir: '/tmp/dashboard' });
 */
export async function buildDashboard({
  outDir = DEFAULT_DASHBOARD_OUT_DIR,
  logLevel = 'warn',
}: BuildDashboardConfig = {}): Promise<string> {
  // Vite and the React plugin pick React's production build and JSX runtime from NODE_ENV, which
  // vitest sets to `test` for the e2e run: the tests must drive what `npm start` serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: DASHBOARD_ROOT,
      configFile: false,
      envDir: false,
      logLevel,
      mode: 'production',
      base: '/',
      plugins: [react()],
      build: { outDir, emptyOutDir: true, sourcemap: true, target: 'es2022', reportCompressedSize: false },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}
