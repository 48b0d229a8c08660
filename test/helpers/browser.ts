/** Headless Debian chromium for the dashboard's browser tests (install: .ci/install-browser). */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser is installed; says how to get it when not. */
export function chromiumPresent(): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.warn(`      skipped: ${CHROMIUM} is missing; run .ci/install-browser`);
  return false;
}

/** Launched quietly: no sandbox (containers), GPU, updates, sync or QUIC. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
