import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningDemo, startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';

// Health, predictions and the maintenance calendar in real headless Chromium, on the demo with the
// 30 days of simulated history `aftercare demo` stores before going live (st2's bearing is wearing).
let demo: RunningDemo;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-health-'));
  [demo, browser] = await Promise.all([
    startDemo({
      port: 0,
      mqttPort: 0,
      modbusPort: 0,
      controlPort: 0,
      dataDir,
      seed: 1,
      speed: 1,
      historyDays: 30,
      internalSecret: 'test-internal-secret',
      scenarioDir: join(process.cwd(), 'scenarios'),
      logger: silentLogger(),
    }),
    launchChromium(),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function signIn(role: string, viewport = { width: 1600, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(demo.server.url);
  await page.getByLabel('User name').fill(role);
  await page.getByLabel('Password').fill(role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `health-${name}.png`), fullPage: true });

describe('health and maintenance on the dashboards', () => {
  test('the wearing station has its predictive ticket before any bearing alarm', async () => {
    const tickets = await demo.server.service!.stores.tickets.list({ station: 'st2' });
    const predictive = tickets.filter((t) => t.fault_class === 'predictive');
    expect(predictive.map((t) => t.subject)).toEqual(['pump[1].vibration']);
    expect(predictive[0]!.title).toMatch(/Bearing vibration \(pump 1\) to cross 11 mm\/s in ~\d+ days/);
    const alarms = await demo.server.service!.stores.alarms.list({ station: 'st2' });
    expect(alarms.filter((a) => a.fault_class === 'vibration_zone_d')).toEqual([]);
  });

  test('the operator reads pump health, the predicted crossing and its trend on the station page', {
    timeout: 60_000,
  }, async () => {
    const page = await signIn('operator');
    await page.goto(`${demo.server.url}/#/station/st2`);
    const health = page.getByRole('region', { name: 'Pump health' });
    const score = health.getByRole('img', { name: /Health score \d+ of 100/ });
    await score.waitFor({ timeout: 20_000 });
    expect(Number(await score.locator('.num').textContent())).toBeLessThan(80);
    expect(await health.locator('.health-head').textContent()).toMatch(
      /driven by Bearing vibration \(Pump 1\)/,
    );
    const row = health
      .locator('tr', { has: page.getByRole('button', { name: 'Bearing vibration' }) })
      .filter({
        hasText: 'Pump 1',
      });
    expect(await row.getAttribute('data-status')).toBe('degrading');
    expect(await row.locator('td').last().textContent()).toMatch(
      /^to cross its threshold in [\d.]+ days \([\d.]+–[\d.]+\)$/,
    );
    // The chart of the driving indicator: 30 days of stored hourly medians, threshold and path.
    const trend = health.locator('.indicator-trend');
    await expect.poll(() => trend.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready');
    expect(await trend.locator('figcaption').textContent()).toContain('Bearing vibration · Pump 1');
    expect(await trend.locator('.u-legend').textContent()).toMatch(/predicted path.*crossing band/);
    // Another indicator on request.
    await health.getByRole('button', { name: 'Run hours since maintenance' }).first().click();
    await expect
      .poll(() => trend.locator('figcaption').textContent())
      .toContain('Run hours since maintenance');
    await expect.poll(() => trend.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready');
    await health.getByRole('button', { name: 'Bearing vibration' }).first().click();
    await expect.poll(() => trend.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready');

    const coming = page.getByRole('region', { name: 'Coming maintenance' });
    await coming.locator('.agenda-month li').first().waitFor({ timeout: 20_000 });
    expect(await coming.textContent()).toMatch(/Follow-up visit, month \d+ after acceptance/);
    expect(await coming.textContent()).toMatch(/Preventive maintenance: /);

    // 30 days of telemetry history opens downsampled in every chart.
    await page.getByRole('button', { name: '30d', exact: true }).click();
    for (let i = 0; i < 6; i++) {
      await expect
        .poll(() => page.locator('.charts .chart').nth(i).getAttribute('data-status'), { timeout: 20_000 })
        .toBe('ready');
    }
    await shot(page, 'station-operator');
  });

  test('the service team plans on the maintenance calendar, in either language', {
    timeout: 60_000,
  }, async () => {
    const page = await signIn('service');
    await page.getByRole('link', { name: 'Maintenance' }).click();
    await page.getByRole('heading', { name: 'Maintenance calendar' }).waitFor();
    const months = page.locator('.agenda-month');
    await months.first().waitFor({ timeout: 20_000 });
    expect(await months.count()).toBeGreaterThanOrEqual(3);
    const entries = page.locator('.agenda-month li');
    const texts = await entries.allTextContents();
    for (const station of ['st1', 'st2', 'st3']) expect(texts.some((t) => t.includes(station))).toBe(true);
    // What is due within the lead time is already a ticket; later visits are not yet.
    const ticketed = page.locator('.agenda-month li a[href^="#/service/"]');
    expect(await ticketed.count()).toBeGreaterThan(0);
    expect(texts.some((t) => t.includes('no ticket yet'))).toBe(true);
    await page.getByLabel('Station', { exact: true }).selectOption('st2');
    await expect
      .poll(async () => (await entries.allTextContents()).every((t) => t.includes('st2')))
      .toBe(true);
    await shot(page, 'calendar-service');
    await ticketed.first().click();
    await page.waitForURL(/#\/service\/\d+$/);
    await page.getByRole('link', { name: 'Maintenance' }).click();
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByRole('heading', { name: '维护日历' }).waitFor();
    expect(await page.locator('.agenda-month li').first().textContent()).toMatch(/回访|保养/);
    await shot(page, 'calendar-zh');
  });

  test('on a phone the health panel stacks and stays readable', { timeout: 60_000 }, async () => {
    const page = await signIn('operator', { width: 390, height: 844 });
    await page.goto(`${demo.server.url}/#/station/st2`);
    const health = page.getByRole('region', { name: 'Pump health' });
    await health.getByRole('img', { name: /Health score/ }).waitFor({ timeout: 20_000 });
    const box = await health.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await health.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'health-station-phone.png') });
  });
});
