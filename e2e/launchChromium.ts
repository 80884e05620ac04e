import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless. playwright-core never downloads a browser; `CHROMIUM_PATH` points
 * at another binary. The flags keep it from phoning home, which CI has no network for.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
