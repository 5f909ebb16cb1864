import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// Health, predictions and the maintenance calendar in real headless Chromium, on the demo with the
// 30 days of simulated history `aftercare demo` stores before going live (st2's bearing is wearing).
let run: DemoInBrowser;
const signIn = (role: string, viewport?: { width: number; height: number }) =>
  run.signIn(role, { timezoneId: 'Asia/Shanghai', ...(viewport ? { viewport } : {}) });

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 1, historyDays: 30 });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `health-${name}.png`), fullPage: true });

describe('health and maintenance on the dashboards', () => {
  test('the wearing station has its predictive ticket before any bearing alarm', async () => {
    const tickets = await run.demo.server.service!.stores.tickets.list({ station: 'st2' });
    const predictive = tickets.filter((t) => t.fault_class === 'predictive');
    expect(predictive.map((t) => t.subject)).toEqual(['pump[1].vibration']);
    // The site's machine class (group 2 rigid) sets zone D for the health model and the alarm alike.
    expect(predictive[0]!.title).toMatch(/Bearing vibration \(pump 1\) to cross 4.5 mm\/s in ~\d+ days/);
    // Live polls past the zone D alarm's 10 s on-delay: the bearing is in zone C, not D, and no zone D
    // alarm stands beside the ticket that predicted it.
    const vibration = async () =>
      run.demo.server.latest.get('demo', 'st2')?.values['pump[1].bearing_vibration'];
    await expect.poll(async () => (await vibration())?.q, { timeout: 20_000 }).toBe('good');
    const liveSince = Date.now();
    while (Date.now() - liveSince < 15_000) await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = Number((await vibration())?.v);
    expect(now).toBeGreaterThan(2.8);
    expect(now).toBeLessThan(4.5);
    const alarms = await run.demo.server.service!.stores.alarms.list({ station: 'st2' });
    expect(alarms.filter((a) => a.fault_class === 'vibration_zone_d')).toEqual([]);
  }, 60_000);

  test('the operator reads pump health, the predicted crossing and its trend on the station page', {
    timeout: 60_000,
  }, async () => {
    const page = await signIn('operator');
    await page.goto(`${run.demo.server.url}/#/station/st2`);
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
    await page.goto(`${run.demo.server.url}/#/station/st2`);
    const health = page.getByRole('region', { name: 'Pump health' });
    await health.getByRole('img', { name: /Health score/ }).waitFor({ timeout: 20_000 });
    const box = await health.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await health.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'health-station-phone.png') });
  });
});
