import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Where browser tests leave their screenshots (look at them). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/**
 * Debian's Chromium, headless, with the flags this machine needs: no sandbox as root, and no
 * background networking (the machine has no network but loopback). Playwright gives it a
 * fresh temporary profile and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
