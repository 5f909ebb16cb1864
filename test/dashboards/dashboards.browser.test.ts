import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningDemo, startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';

// The dashboards in real headless Chromium against the whole demo (simulators -> edge -> broker ->
// server), one role per browser context, as people would use them.
let demo: RunningDemo;
let dataDir: string;
let browser: Browser;
const pages: Page[] = [];
/** The operator's page, kept open across the tests that follow one fault through. */
let operator: Page;
/** The service team's page, signed in for the ticket test and reused after it. */
let service: Page;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-dashboards-'));
  [demo, browser] = await Promise.all([
    startDemo({
      port: 0,
      mqttPort: 0,
      modbusPort: 0,
      controlPort: 0,
      dataDir,
      seed: 11,
      speed: 1,
      internalSecret: 'test-internal-secret',
      scenarioDir: join(process.cwd(), 'scenarios'),
      logger: silentLogger(),
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function signIn(role: string, viewport = { width: 1600, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/London' });
  const page = await context.newPage();
  pages.push(page);
  await page.goto(demo.server.url);
  await page.getByLabel('User name').fill(role);
  await page.getByLabel('Password').fill(role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `dashboards-${name}.png`), fullPage: true });

describe('dashboards', () => {
  test('a wrong password is refused on the sign-in page', async () => {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(demo.server.url);
    await page.getByLabel('User name').fill('operator');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong user name or password');
    await shot(page, 'sign-in-refused');
  });

  test('the operator sees a live tile per station and only the pages of the role', async () => {
    const page = await signIn('operator');
    operator = page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Site overview', 'Alarms']);
    for (const id of ['st1', 'st2', 'st3']) {
      await page
        .locator(`.tile[data-station="${id}"]:not([data-state="offline"])`)
        .waitFor({ timeout: 20_000 });
    }
    await page.locator('.link-state[data-state="live"]').waitFor();
    const tile = page.getByRole('link', { name: /Open station st1/ });
    expect(await tile.locator('.big').textContent()).toMatch(/^\d+\.\d\d$/);
    expect(await tile.textContent()).toContain('Duty pump');
    expect(await tile.locator('dd').last().textContent()).toMatch(/^\d s ago$/);
    const newest = () => tile.getAttribute('data-ts');
    const first = await newest();
    await expect.poll(newest, { timeout: 5000 }).not.toBe(first);
    await shot(page, 'overview-operator');
  });

  test('a fault injected from the engineer page turns the tile to alarm and shows the failover', {
    timeout: 60_000,
  }, async () => {
    const engineer = await signIn('engineer');
    await engineer.getByRole('link', { name: 'Engineering' }).click();
    await engineer.getByLabel('Station', { exact: true }).selectOption('st1');
    await engineer.getByLabel('Fault', { exact: true }).selectOption('pump_trip');
    await engineer.getByLabel('Pump', { exact: true }).selectOption('1');
    await engineer.getByRole('button', { name: 'Inject fault' }).click();
    await engineer.getByRole('button', { name: 'Clear Pump trip · pump 1 at st1' }).waitFor();
    await engineer.locator('.counters tr').first().waitFor();
    await engineer.getByText('connectedClients').waitFor();
    await shot(engineer, 'engineer');

    await operator.goto(`${demo.server.url}/#/`);
    await operator.locator('.tile[data-station="st1"][data-state="alarm"]').waitFor({ timeout: 20_000 });
    expect(
      Number(await operator.locator('.tile[data-station="st1"] dd[data-alarms]').textContent()),
    ).toBeGreaterThan(0);
    await shot(operator, 'overview-alarm');

    await operator.locator('.tile[data-station="st1"]').click();
    await operator.getByRole('img', { name: 'Schematic of station st1' }).waitFor();
    await operator.locator('.svg-pump[data-pump="1"][data-state="fault"]').waitFor({ timeout: 10_000 });
    await operator.locator('.svg-failover').waitFor();
    expect(await operator.locator('.svg-pump[data-state="running"]').count()).toBeGreaterThan(0);
    await operator.locator('.chart[data-status="ready"]').nth(5).waitFor({ timeout: 20_000 });
    expect(await operator.locator('.chart canvas').count()).toBe(6);
    // Data completeness per day is shown beside the charts, so a gap cannot hide.
    const completeness = operator.getByRole('region', { name: /Data completeness/ });
    await completeness.locator('li').first().waitFor({ timeout: 10_000 });
    expect(await completeness.locator('li').count()).toBe(7);
    // Days before the demo's stations first reported expect nothing; today is mostly complete.
    expect(await completeness.locator('li').first().textContent()).toContain('—');
    // The site's days (Shanghai): today is the site's date, not the browser's or UTC's.
    const siteToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now());
    expect(await completeness.locator('li .day').last().textContent()).toBe(siteToday.slice(5));
    const today = (await completeness.locator('li').last().textContent()) ?? '';
    expect(Number(today.match(/([\d.]+)%/)?.[1])).toBeGreaterThan(50);
    await shot(operator, 'station-failover');
  });

  test('station charts ask for at most ~1000 points at any zoom, up to 30 days', async () => {
    const steps: string[] = [];
    const onRequest = (request: { url(): string }) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/history')) {
        const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
        steps.push(`${Math.round(span / 86_400_000)}d:${url.searchParams.get('step')}`);
      }
    };
    operator.on('request', onRequest);
    const started = Date.now();
    await operator.getByRole('button', { name: '30d' }).click();
    // The charts of the previous range are still "ready" until their new requests go out: wait for
    // the 30-day requests first, then for every chart to have drawn them.
    await expect.poll(() => steps.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    await expect
      .poll(() => operator.locator('.chart[data-status="ready"]').count(), { timeout: 10_000 })
      .toBe(6);
    const loadMs = Date.now() - started;
    operator.off('request', onRequest);
    expect(new Set(steps)).toEqual(new Set(['30d:1h']));
    expect(loadMs).toBeLessThan(5000);
  });

  test('the operator acknowledges the alarm', async () => {
    await operator.getByRole('link', { name: 'Alarms' }).click();
    const row = operator.locator('tr[data-fault="pump_trip"][data-status="active_unack"]').first();
    await row.waitFor({ timeout: 10_000 });
    const id = await row.getAttribute('data-alarm');
    await row.getByRole('button', { name: /Acknowledge alarm \d+: Pump tripped/ }).click();
    await operator.locator(`tr[data-alarm="${id}"][data-status="active_ack"]`).waitFor({ timeout: 10_000 });
    expect(await operator.locator(`tr[data-alarm="${id}"]`).textContent()).toContain(
      'acknowledged by operator',
    );
    await operator.getByLabel('Severity').selectOption('general');
    await expect
      .poll(async () =>
        (await operator.locator('tbody tr .severity').allTextContents()).every((s) => s === 'general'),
      )
      .toBe(true);
    await shot(operator, 'alarms');
  });

  test('the service team takes the ticket from new to signed off', { timeout: 60_000 }, async () => {
    const page = await signIn('service', { width: 1600, height: 1000 });
    service = page;
    await page.getByRole('link', { name: 'Service' }).click();
    const card = page
      .locator('.board-column[data-state="new"] .ticket-card', { hasText: 'Pump tripped' })
      .first();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.sla').getAttribute('data-sla')).toMatch(/ok|at_risk|breached/);
    await shot(page, 'service-board');
    await card.click();
    await page.locator('.ticket[data-state="new"]').waitFor();
    expect(await page.locator('.ticket').textContent()).toContain('in warranty');

    const form = (action: string) => page.locator(`form.transition-form[data-action="${action}"]`);
    await form('triage').getByLabel('Service mode').selectOption('on_site');
    await form('triage').getByRole('button', { name: 'Triage' }).click();
    await page.locator('.ticket[data-state="triaged"]').waitFor();
    await form('dispatch').getByLabel('Technician').fill('Wang Wei');
    await form('dispatch').getByRole('button', { name: 'Dispatch' }).click();
    await page.locator('.ticket[data-state="dispatched"]').waitFor();
    await form('arrive').getByRole('button', { name: 'Arrived on site' }).click();
    await page.locator('.ticket[data-state="on_site"]').waitFor();
    await form('resolve').getByLabel('Work done').fill('Reset the motor protection relay');
    await form('resolve').getByLabel('Root cause').selectOption('contactor_relay');
    await form('resolve').getByLabel('Responsibility').selectOption('wear');
    await form('resolve').getByLabel('Corrective action').fill('Replaced the thermal relay');
    await form('resolve').getByLabel('Preventive action').fill('Check relays at the half-yearly maintenance');
    await form('resolve').getByRole('button', { name: 'Add part' }).click();
    await form('resolve').getByLabel('Part 1', { exact: true }).fill('thermal relay');
    await form('resolve').getByRole('button', { name: 'Resolve' }).click();
    // The trip is still active: the server refuses (error.alarmStillActive) and the form asks why.
    const override = form('resolve').getByLabel('The alarm is still active. Resolve anyway, because:');
    await override.waitFor({ timeout: 10_000 });
    await override.fill('relay reset on site; the simulator keeps the trip latched');
    await form('resolve').getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.ticket[data-state="resolved"]').waitFor();
    await form('sign_off').getByLabel("Customer's signer").fill('Li Na');
    await form('sign_off')
      .getByRole('button', { name: /sign-off/ })
      .click();
    await page.locator('.ticket[data-state="signed_off"]').waitFor();
    const timeline = await page.locator('.timeline li').allTextContents();
    expect(timeline.join('\n')).toMatch(
      /Triaged[\s\S]*Dispatched[\s\S]*On site[\s\S]*Resolved[\s\S]*Signed off/,
    );
    await shot(page, 'ticket-signed-off');
  });

  test('Chinese is switchable and remembered for the user', async () => {
    const page = service;
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.goto(`${demo.server.url}/#/service`);
    await page.reload();
    await page.getByRole('heading', { name: '售后工单' }).waitFor();
    expect(await page.locator('.board-column h2').first().textContent()).toContain('新建');
    await shot(page, 'service-board-zh');
    await page.goto(`${demo.server.url}/#/station/st1`);
    await page.getByRole('img', { name: '泵站 st1 工艺图' }).waitFor();
    expect(await page.locator('.schematic').textContent()).toMatch(/主泵|备用泵/);
    await shot(page, 'station-zh');
  });

  test('a lost live connection shows the data as stale and resumes without a reload', {
    timeout: 45_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    let refuse = false;
    const sockets = new Set<{ close(): Promise<void> }>();
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (refuse) {
        void ws.close();
        return;
      }
      ws.connectToServer();
      sockets.add(ws);
    });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(demo.server.url);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.link-state[data-state="live"]').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Site overview',
      'Alarms',
      'Service',
      'Maintenance',
      'Quality',
      'Engineering',
      'Reports',
      'Administration',
    ]);
    const tile = page.locator('.tile[data-station="st2"]');
    await tile.waitFor();

    refuse = true;
    for (const ws of sockets) await ws.close();
    await page.getByRole('alert').filter({ hasText: 'Connection lost' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.link-state').getAttribute('data-state')).toBe('reconnecting');
    const frozen = await tile.getAttribute('data-ts');
    await shot(page, 'stale');

    refuse = false;
    await page.locator('.link-state[data-state="live"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => tile.getAttribute('data-ts'), { timeout: 10_000 }).not.toBe(frozen);
    expect(await page.getByRole('alert').filter({ hasText: 'Connection lost' }).count()).toBe(0);
    await context.close();
  });

  test('the overview fits a phone', async () => {
    const page = service;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${demo.server.url}/#/`);
    await page.locator('.tile[data-station="st3"]').waitFor({ timeout: 10_000 });
    const width = await page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, 'overview-phone');
  });
});
