import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';
import { pdfText } from './pdf-text.ts';

// The reports page and the admin's retention tab in headless Chromium: zh-CN on a 390 px phone
// first, then English on a desktop. Screenshots go to /tmp/reports-*.png.
let run: DemoInBrowser;
let token: string;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 19 });
  const login = await fetch(`${run.demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin' }),
  });
  token = ((await login.json()) as { token: string }).token;
  for (const title of ['2号泵异响', '出口压力波动', '变频器报警'])
    await api('POST', '/tickets', {
      site: 'demo',
      station: 'st1',
      title,
      severity: 'general',
      source: 'phone',
      reportedBy: '王工',
    });
}, 180_000);

afterAll(async () => {
  await run?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
async function api(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${run.demo.server.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : await response.json();
}

const scrollWidth = (page: Page) =>
  page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');

async function open(locale: 'zh-CN' | 'en', width: number, path: string): Promise<Page> {
  const page = await run.signIn('admin', { viewport: { width, height: 900 }, timezoneId: 'Asia/Shanghai' });
  await page.evaluate(`localStorage.setItem('aftercare.locale', '${locale}')`);
  await page.goto(`${run.demo.server.url}/#/${path}`);
  await page.reload();
  await page.locator(`html[lang="${locale}"]`).waitFor();
  return page;
}

/** Today as a custom range: the page's figures then match an API call over the same fixed range. */
async function showToday(page: Page, presetName: string) {
  await page.getByRole('button', { name: presetName }).click();
  const today = (await page.locator('#report-to').inputValue()) || '';
  await page.locator('#report-from').fill(today);
  const from = Date.parse(`${today}T00:00:00+08:00`);
  return { from, to: from + 86_400_000 };
}

describe.each([
  ['zh-CN', 390, '自定义', '下载 PDF', '半年故障分析报告'],
  ['en', 1400, 'Custom', 'Download PDF', 'Half-year fault analysis report'],
] as const)(
  'the reports page and retention tab in %s at %i px',
  (locale, width, custom, pdfButton, pdfTitle) => {
    test('figures as the API computes them, charts, a PDF download, no sideways scrolling', {
      timeout: 120_000,
    }, async () => {
      const page = await open(locale, width, 'reports');
      const range = await showToday(page, custom);
      const expected = await api('GET', `/reports/half-year?from=${range.from}&to=${range.to}`);
      expect(expected.totals.faults).toBeGreaterThanOrEqual(3);
      const faults = page.locator('[data-figure="faults"] dd');
      await expect.poll(() => faults.textContent(), { timeout: 20_000 }).toBe(String(expected.totals.faults));
      expect(await page.locator('.report-chart svg rect.chart-bar').count()).toBeGreaterThan(0);
      expect(await page.locator('table[data-table="satisfaction"] tbody tr').count()).toBeGreaterThanOrEqual(
        1,
      );
      expect(await page.locator('table[data-table="modes"] tbody tr').count()).toBe(
        expected.byFailureMode.length,
      );
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: pdfButton }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const text = pdfText(new Uint8Array(await readFile((await download.path()) ?? '')));
      expect(text).toContain(pdfTitle);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `/tmp/reports-page-${locale}-${width}.png`, fullPage: true });
      await page.context().close();
    });

    test('an admin changes a period, places and lifts a hold, runs a dry run', {
      timeout: 120_000,
    }, async () => {
      const page = await open(locale, width, 'admin/retention');
      const select = page.locator('#retention-period-surveys');
      await select.waitFor({ timeout: 20_000 });
      const target = locale === 'en' ? '5y' : '10y';
      await select.selectOption(target);
      await expect
        .poll(
          async () =>
            (await api('GET', '/retention/classes')).classes.find(
              (c: { class: string }) => c.class === 'surveys',
            ).period,
        )
        .toBe(target);
      await page.locator('#hold-record').fill(`42${locale}`);
      await page.locator('#hold-reason').fill(locale === 'en' ? 'warranty dispute' : '保修纠纷');
      await page.locator('#hold-record').press('Enter');
      const held = page.locator('table[data-table="legal-holds"] tbody tr', { hasText: `42${locale}` });
      await held.waitFor({ timeout: 10_000 });
      await page.locator('#retention-dry-run').click();
      await page.locator('.retention-outcome, .retention-section p.muted').first().waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `/tmp/reports-retention-${locale}-${width}.png`, fullPage: true });
      await held.getByRole('button').click();
      await held.waitFor({ state: 'detached', timeout: 10_000 });
      expect((await api('GET', '/retention/holds')).holds).toHaveLength(0);
      await page.context().close();
    });
  },
);
