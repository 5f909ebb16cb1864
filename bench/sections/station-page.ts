import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { launchChromium } from '../../test/support/browser.ts';
import { ensureSystemPackages } from '../../test/support/system-packages.ts';
import type { BenchContext } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt, median, percentile } from '../stats.ts';

const CHARTS = 6;
const LIMIT_MS = 1000;

/**
 * A station page opened on 30 days of history: the demo with its 30 simulated days stored
 * (PGlite, as `npm start`), real Chromium, timed from navigation until every history chart has
 * drawn its downsampled month and the health panel its scores. A fresh page each load (no cache
 * of the app's data; the bundle comes from the browser cache as it would for a returning user).
 */
export async function stationPage(ctx: BenchContext): Promise<SectionResult> {
  ensureSystemPackages({ chromium: '/usr/bin/chromium' });
  const loads = ctx.quick ? 5 : 15;
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-page-'));
  const [demo, browser] = await Promise.all([
    startDemo({
      port: 0,
      mqttPort: 0,
      modbusPort: 0,
      controlPort: 0,
      dataDir,
      seed: 1,
      speed: 1,
      historyDays: 30,
      internalSecret: 'bench-internal-secret',
      scenarioDir: join(process.cwd(), 'scenarios'),
      logger: silentLogger(),
    }),
    launchChromium(),
  ]);
  const times: number[] = [];
  const oneHour: number[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(demo.server.url);
    await page.getByLabel('User name').fill('operator');
    await page.getByLabel('Password').fill('operator');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const open = async (range: string) => {
      await page.goto('about:blank');
      const started = Date.now();
      await page.goto(`${demo.server.url}/#/station/st2/${range}`);
      // The sixth ready chart exists only once all six have drawn (the page's CSP forbids eval).
      await page
        .locator('.charts .chart[data-status="ready"]')
        .nth(CHARTS - 1)
        .waitFor({ timeout: 30_000 });
      await page.locator('.health-score').waitFor({ timeout: 30_000 });
      return Date.now() - started;
    };
    await open('30d'); // warm: the bundle into the browser cache, the server's first queries
    for (let i = 0; i < loads; i++) {
      times.push(await open('30d'));
      oneHour.push(await open('1h'));
    }
  } finally {
    await browser.close();
    await demo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const p50 = median(times);
  return {
    section: 'station-page',
    metric: `ms to open a station page on 30 days of history (${CHARTS} charts + health), ${times.length} loads`,
    measured: `p50 ${fmt(p50)} ms, p90 ${fmt(percentile(times, 90))} ms`,
    reference: `the same page on 1 hour: p50 ${fmt(median(oneHour))} ms`,
    ratio: p50 / LIMIT_MS,
    target: `p50 under ${LIMIT_MS} ms`,
    pass: p50 < LIMIT_MS,
    notes: [
      'demo with 30 simulated days stored (a reading per station every 20 min) in the embedded PGlite',
      'from navigation until every chart has drawn (the server downsamples; ~720 buckets of 1 h per series)',
    ],
  };
}
