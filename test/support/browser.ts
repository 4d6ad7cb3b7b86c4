import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, unless CHROMIUM_PATH says otherwise (`.ci/run` installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium (a fresh temporary profile: Playwright's launch() makes one) with the
 * flags this closed network needs. Give each test its own `browser.newContext()` so cookies never leak.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
