import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDemo } from '../../cli/demo.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';

// What operators of ThingsBoard and Grafana take for granted, in real headless Chromium against the
// whole demo: chart values on hover, ranges and refresh in the link, CSV, alarm and threshold marks,
// shelved alarms, a closed ticket's work and steps, and pages that fit 1440 px and a 390 px phone.
let run: DemoInBrowser;
let demo: RunningDemo;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 15 });
  demo = run.demo;
}, 180_000);

afterAll(async () => {
  await run?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `daily-work-${name}.png`), fullPage: true });

async function apiAs(role: string) {
  const login = await fetch(`${demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: role }),
  });
  const { token } = (await login.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${demo.server.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

interface AlarmAnswer {
  alarms: { id: number; station: string; faultClass: string; subject: string; status: string }[];
}

/** The page's widest extent: more than the viewport means something sticks out or scrolls sideways. */
const scrollWidth = (page: Page) =>
  page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');

async function useChinese(page: Page, chinese: boolean): Promise<void> {
  // The language is one choice per browser (dashboards/app/i18n/translate.ts).
  await page.evaluate(`localStorage.setItem('aftercare.locale', '${chinese ? 'zh-CN' : 'en'}')`);
  await page.reload();
  await page.locator(`html[lang="${chinese ? 'zh-CN' : 'en'}"]`).waitFor();
}

let closedTicket: number;

describe('daily work', () => {
  test('a pump trip raises alarms on st2; a shelved one is shown as shelved and not counted on the tile', {
    timeout: 90_000,
  }, async () => {
    const engineer = await apiAs('engineer');
    const operatorApi = await apiAs('operator');
    await engineer('POST', '/sim/stations/st2/faults', { fault: 'pump_trip', pump: 1 });
    const active = async () =>
      (await operatorApi<AlarmAnswer>('GET', '/alarms?station=st2&state=active_unack,active_ack')).alarms;
    await expect
      .poll(async () => (await active()).some((a) => a.faultClass === 'pump_trip'), {
        timeout: 30_000,
      })
      .toBe(true);
    const trip = (await active()).find((a) => a.faultClass === 'pump_trip')!;
    await operatorApi('POST', '/alarms/shelves', {
      site: 'demo',
      station: 'st2',
      faultClass: 'pump_trip',
      subject: trip.subject,
      minutes: 60,
      reason: 'known trip, fitter on the way',
    });

    const page = await run.signIn('operator', { viewport: { width: 1440, height: 900 } });
    const tile = page.locator('.tile[data-station="st2"]');
    await tile.locator('.shelved-badge[data-shelved="1"]').waitFor({ timeout: 10_000 });
    const standing = (await active()).filter((a) => a.faultClass !== 'pump_trip');
    expect(Number(await tile.locator('dd[data-alarms]').textContent())).toBe(standing.length);
    // The tile names its top alarm, and it is never the shelved one.
    expect(await tile.locator('.tile-alarm').getAttribute('data-fault')).not.toBe('pump_trip');
    if (standing.length > 0) expect(await tile.locator('.tile-alarm .severity').textContent()).not.toBe('');
    await shot(page, 'overview-1440-en');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alarms' }).click();
    const row = page.locator(`tr[data-alarm="${trip.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-shelved')).toBe('true');
    expect(await row.locator('.shelved-badge').textContent()).toBe('shelved');
    expect(await page.locator('tr[data-shelved="true"]').count()).toBe(1);
    await shot(page, 'alarms-1440-en');
  });

  test('station charts: values on hover, alarm markers and threshold lines, the zone, CSV of the data', {
    timeout: 60_000,
  }, async () => {
    const page = await run.signIn('operator', { viewport: { width: 1440, height: 900 } });
    await page.goto(`${demo.server.url}/#/station/st2`);
    const pressure = page.locator('.chart[data-chart="pressure"][data-status="ready"]');
    await pressure.waitFor({ timeout: 20_000 });
    await page.locator('.chart[data-status="ready"]').nth(5).waitFor({ timeout: 20_000 });
    // The trip raised alarms within the last hour: a marker on every chart; thresholds where a rule is.
    await expect.poll(() => pressure.getAttribute('data-alarm-markers')).not.toBe('0');
    expect(Number(await pressure.getAttribute('data-threshold-lines'))).toBe(1);
    expect(
      Number(await page.locator('.chart[data-chart="voltage"]').getAttribute('data-threshold-lines')),
    ).toBe(2);
    expect(
      Number(await page.locator('.chart[data-chart="vibration"]').getAttribute('data-threshold-lines')),
    ).toBe(2);
    expect(await page.locator('.chart[data-chart="flow"]').getAttribute('data-threshold-lines')).toBe('0');
    expect(await page.locator('.zone-label').textContent()).toBe('Times in UTC+8 Asia/Shanghai');

    const over = pressure.locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    // The demo began minutes ago: its points are at the right end of the hour.
    await over.hover({ position: { x: box.width * 0.97, y: box.height / 2 } });
    const values = pressure.locator('.u-legend .u-series .u-value');
    await expect.poll(async () => (await values.allTextContents()).join('|')).toMatch(/\d+\.\d\d bar/);
    const hovered = await values.allTextContents();
    expect(hovered[0]).toMatch(/\d{2}:\d{2}:\d{2}/);
    await shot(page, 'station-hover-1440-en');

    const downloadCsv = async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download Pressure (bar) as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^st2-pressure-\d{8}-\d{4}\.csv$/);
      return readFile((await download.path())!, 'utf8');
    };
    // The demo began moments ago: its first 5 s buckets, then live points as they come. On a quick
    // machine the page is here within the first bucket, so the rows are awaited (bounded).
    let lines: string[] = [];
    const rows = async () => {
      const text = await downloadCsv();
      expect(text.charCodeAt(0)).toBe(0xfeff);
      lines = text.slice(1).trimEnd().split('\r\n');
      return lines.length;
    };
    await expect.poll(rows, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toBe('time (Asia/Shanghai),outlet (bar),set point (bar),inlet (bar)');
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+(\.\d+)?,/);
  });

  test('the engineer console names faults with their parameters and labels its tables', {
    timeout: 60_000,
  }, async () => {
    const engineer = await apiAs('engineer');
    await engineer('POST', '/sim/stations/st3/faults', { fault: 'phase_loss', params: { phase: 2 } });
    const page = await run.signIn('engineer', { viewport: { width: 1440, height: 900 } });
    await page.getByRole('link', { name: 'Engineering' }).click();
    const st3 = page.locator('.sim-stations li[data-station="st3"]');
    await st3.locator('.fault-chip[data-fault="phase_loss"]').waitFor();
    expect(await st3.locator('.fault-chip').textContent()).toContain('Phase loss · phase L2');
    expect(
      await page
        .locator('.sim-stations li[data-station="st2"] .fault-chip[data-fault="pump_trip"]')
        .textContent(),
    ).toContain('Pump trip · pump 1');
    expect(await page.getByLabel('Fault', { exact: true }).locator('option:checked').textContent()).toBe(
      'Pump trip',
    );
    const polling = page.locator('table.edge-stations');
    await polling.locator('tbody tr').first().waitFor({ timeout: 10_000 });
    expect(await polling.locator('thead th').allTextContents()).toEqual([
      'Station',
      'State',
      'Cycles',
      'Reads',
      'Read errors',
      'Timeouts',
      'Missed cycles',
      'Last cycle (ms)',
    ]);
    // Every row has a cell under every header: the table is not broken.
    for (const cells of await polling
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { children: { length: number } }).children.length),
      ))
      expect(cells).toBe(8);
    await shot(page, 'engineer-1440-en');
    await engineer('DELETE', '/sim/stations/st3/faults/phase_loss');
  });

  test('the range and refresh live in the link: a reload and back/forward restore them', {
    timeout: 60_000,
  }, async () => {
    const page = await run.signIn('operator', { viewport: { width: 1440, height: 900 } });
    await page.goto(`${demo.server.url}/#/station/st1`);
    await page.getByRole('button', { name: '6h' }).click();
    await page.getByLabel('Refresh').selectOption('10s');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/station/st1?range=6h&refresh=10s');
    // Two changes before the page redraws (a quick hand, a busy machine): both stand.
    await page.evaluate(`{
      [...document.querySelectorAll('button.chip')].find((b) => b.textContent === '24h').click();
      const refresh = document.getElementById('chart-refresh');
      refresh.value = '1m';
      refresh.dispatchEvent(new Event('change', { bubbles: true }));
    }`);
    await expect.poll(() => new URL(page.url()).hash).toBe('#/station/st1?range=24h&refresh=1m');
    await page.getByRole('button', { name: '6h' }).click();
    await page.getByLabel('Refresh').selectOption('10s');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/station/st1?range=6h&refresh=10s');
    await page.reload();
    await page.getByRole('button', { name: '6h' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    expect(await page.getByLabel('Refresh').inputValue()).toBe('10s');

    // A fixed range from the pickers, on the site's wall clock (Shanghai, UTC+8).
    await page.getByLabel('From', { exact: true }).fill('2026-01-02T08:00');
    await page.getByLabel('To', { exact: true }).fill('2026-01-02T09:30');
    await page.getByRole('button', { name: 'Show range' }).click();
    const from = Date.UTC(2026, 0, 2, 0, 0);
    const to = Date.UTC(2026, 0, 2, 1, 30);
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/station/st1?from=${from}&to=${to}&refresh=10s`);
    const requested: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/history'))
        requested.push(`${url.searchParams.get('from')}-${url.searchParams.get('to')}`);
    });
    await page.reload();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('2026-01-02T08:00');
    await expect.poll(() => requested.includes(`${from}-${to}`)).toBe(true);
    // The refresh reloads the fixed range every 10 s.
    const before = requested.length;
    await expect.poll(() => requested.length, { timeout: 15_000 }).toBeGreaterThan(before);

    await page.goBack();
    await page.getByRole('button', { name: '6h' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    await page.goForward();
    await expect.poll(() => page.getByLabel('To', { exact: true }).inputValue()).toBe('2026-01-02T09:30');
  });

  test('a closed ticket shows the work done on it, its steps and its history in order', {
    timeout: 60_000,
  }, async () => {
    const service = await apiAs('service');
    const { ticket } = await service<{ ticket: { id: number } }>('POST', '/tickets', {
      site: 'riverside',
      station: 'st3',
      pump: 2,
      title: 'Pump 2 noisy',
      severity: 'general',
      source: 'phone',
      reportedBy: 'Mr Li, 139 0000 0000',
    });
    closedTicket = ticket.id;
    const step = (body: unknown) => service('POST', `/tickets/${ticket.id}/transitions`, body);
    await step({ action: 'triage', mode: 'on_site', department: 'after_sales' });
    await step({ action: 'dispatch', technician: 'Wang Wei', expectedArrival: Date.now() + 3_600_000 });
    await step({ action: 'arrive' });
    await step({
      action: 'resolve',
      workDone: 'Replaced the drive-end bearing of pump 2',
      partsUsed: [{ part: 'bearing 6205', quantity: 1 }],
      rootCause: 'bearing_wear',
      ...QUALITY_RECORD,
    });
    await step({ action: 'sign_off', signerName: 'Zhao Min' });
    await step({ action: 'close' });

    const page = await run.signIn('service', { viewport: { width: 1440, height: 900 } });
    await page.goto(`${demo.server.url}/#/service/${ticket.id}`);
    const work = page.getByRole('region', { name: 'Work done on site' });
    await work.waitFor();
    expect(await work.locator('[data-field="technician"]').textContent()).toBe('Wang Wei');
    expect(await work.locator('[data-field="work-done"]').textContent()).toBe(
      'Replaced the drive-end bearing of pump 2',
    );
    expect(await work.locator('[data-field="parts"]').textContent()).toBe('bearing 6205 × 1');
    expect(await work.locator('[data-field="root-cause"]').textContent()).toBe('Bearing wear');
    expect(await work.locator('[data-field="signer"]').textContent()).toBe('Zhao Min');
    expect(await work.locator('[data-field="arrived"]').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);
    const steps = page.getByRole('list', { name: 'Workflow' }).locator('li');
    expect(
      await steps.evaluateAll((items) =>
        items.map((li) => (li as unknown as { dataset: Record<string, string> }).dataset.step),
      ),
    ).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'current']);
    const times = await page
      .locator('.timeline li')
      .evaluateAll((items) =>
        items.map((li) => Number((li as unknown as { dataset: Record<string, string> }).dataset.at)),
      );
    expect(times.length).toBeGreaterThanOrEqual(7);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await page.locator('.timeline li').first().getAttribute('data-action')).toBe('open');
    await shot(page, 'ticket-closed-1440-en');
  });

  test('the board fits 1440 px; station, alarms and board fit a 390 px phone; in both languages', {
    // Twenty page loads with live charts on a shared two-core machine.
    timeout: 300_000,
  }, async () => {
    const wide = await run.signIn('service', { viewport: { width: 1440, height: 900 } });
    for (const chinese of [false, true]) {
      const lang = chinese ? 'zh' : 'en';
      await wide.goto(`${demo.server.url}/#/service`);
      await useChinese(wide, chinese);
      await wide.locator(`.ticket-card[data-ticket="${closedTicket}"]`).waitFor();
      expect(await scrollWidth(wide)).toBeLessThanOrEqual(1440);
      await shot(wide, `board-1440-${lang}`);
      await wide.goto(`${demo.server.url}/#/service/${closedTicket}`);
      await wide.locator('.ticket-work').waitFor();
      await shot(wide, `ticket-1440-${lang}`);
    }

    const phone = await run.signIn('operator', { viewport: { width: 390, height: 844 } });
    const service = await run.signIn('service', { viewport: { width: 390, height: 844 } });
    for (const chinese of [false, true]) {
      const lang = chinese ? 'zh' : 'en';
      await useChinese(phone, chinese);
      await phone.goto(`${demo.server.url}/#/station/st2`);
      await phone.locator('.chart[data-status="ready"]').nth(5).waitFor({ timeout: 20_000 });
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
      await shot(phone, `station-390-${lang}`);
      await phone.goto(`${demo.server.url}/#/alarms`);
      await phone.locator('tr[data-alarm]').first().waitFor();
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
      await shot(phone, `alarms-390-${lang}`);
      await phone.goto(`${demo.server.url}/#/`);
      await phone.locator('.tile').first().waitFor();
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(390);
      await shot(phone, `overview-390-${lang}`);

      await useChinese(service, chinese);
      await service.goto(`${demo.server.url}/#/service`);
      await service.locator('.ticket-card').first().waitFor();
      expect(await scrollWidth(service)).toBeLessThanOrEqual(390);
      await shot(service, `board-390-${lang}`);
      await service.goto(`${demo.server.url}/#/service/${closedTicket}`);
      await service.locator('.ticket-work').waitFor();
      expect(await scrollWidth(service)).toBeLessThanOrEqual(390);
      await shot(service, `ticket-390-${lang}`);
    }
  });
});
