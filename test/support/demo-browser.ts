import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type RunningDemo, startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { launchChromium } from './browser.ts';

/** The whole demo on free loopback ports in a temporary directory, and headless Chromium beside it. */
export interface DemoInBrowser {
  demo: RunningDemo;
  browser: Browser;
  /** Signs a demo account in (name = password) on a page of its own. */
  signIn(
    role: string,
    options?: { viewport?: { width: number; height: number }; timezoneId?: string },
  ): Promise<Page>;
  /** Closes the browser, stops the demo and removes its directory. */
  close(): Promise<void>;
}

export async function startDemoInBrowser(options: {
  seed: number;
  /** Days of simulated history stored before going live. Default 0. */
  historyDays?: number;
  /** When that history ends, epoch ms. Default now. */
  historyEndsAt?: number;
}): Promise<DemoInBrowser> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-browser-'));
  const [demo, browser] = await Promise.all([
    startDemo({
      port: 0,
      mqttPort: 0,
      modbusPort: 0,
      controlPort: 0,
      dataDir,
      seed: options.seed,
      speed: 1,
      historyDays: options.historyDays ?? 0,
      ...(options.historyEndsAt !== undefined ? { historyEndsAt: options.historyEndsAt } : {}),
      internalSecret: 'test-internal-secret',
      scenarioDir: join(process.cwd(), 'scenarios'),
      logger: silentLogger(),
    }),
    launchChromium(),
  ]);
  return {
    demo,
    browser,
    async signIn(role, { viewport = { width: 1600, height: 1000 }, timezoneId = 'Europe/London' } = {}) {
      const context = await browser.newContext({ viewport, timezoneId });
      const page = await context.newPage();
      await page.goto(demo.server.url);
      await page.getByLabel('User name').fill(role);
      await page.getByLabel('Password').fill(role);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await demo.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
