import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { startDashboard, type DashboardServer } from '../demo/server/startDashboard.js';
import { launchChromium } from './launchChromium.js';

/** A dashboard server on 127.0.0.1:0 and a browser to drive it. */
export interface Harness {
  /** The server, with the token of its demo controls (`demoToken`). */
  readonly server: DashboardServer;
  /**
   * Opens `path` (e.g. `/?reconnectDelay=60000#jobs=generation:gen_1`) in a fresh browser context,
   * so storage and the outbox start empty; page errors are collected in `pageErrors`.
   */
  open(path?: string): Promise<Page>;
  /** Another tab in the context of `page`: same storage, its own client. */
  openTab(page: Page, path?: string): Promise<Page>;
  /** Uncaught exceptions and CSP violations of every page opened so far. */
  readonly pageErrors: readonly Error[];
  close(): Promise<void>;
}

/** Starts the server over the dashboard that globalSetup built, and Chromium. */
export async function startHarness({ demoMode = true } = {}): Promise<Harness> {
  const server = await startDashboard({ port: 0, host: '127.0.0.1', demoMode, build: false, outDir: inject('dashboardDir') });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];

  const load = async (context: BrowserContext, path: string) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    // The page's CSP refusing something of its own is a bug, though only a console message.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        pageErrors.push(new Error(message.text()));
    });
    await page.goto(`${server.url}${path}`);
    return page;
  };

  return {
    server,
    pageErrors,
    async open(path = '/') {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      return load(context, path);
    },
    openTab: (page, path = '/') => load(page.context(), path),
    async close() {
      await Promise.allSettled(contexts.map((context) => context.close()));
      await browser.close();
      await server.close();
    },
  };
}
