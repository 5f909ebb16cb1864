import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The station page's acceptance panel in real Chromium against the whole demo: a refused test shows
// its refusal at the field in the reader's language, a good one is recorded and starts the warranty.
let run: DemoInBrowser;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 16 });
}, 120_000);

afterAll(async () => {
  await run?.close();
});

/** The whole page, and the panel alone (legible at full size). */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `acceptance-${name}.png`), fullPage: true });
  await page
    .locator('section.acceptance')
    .screenshot({ path: join(SCREENSHOT_DIR, `acceptance-${name}-panel.png`) });
}

const pageWidth = async (page: Page) => {
  const wide = (await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
    .slice(0, 5)
    .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right + window.scrollX) + ' ' + window.scrollX)`)) as string[];
  if (wide.length) throw new Error(wide.join(' | '));
  return await page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);
};

async function openStation(page: Page, station: string) {
  await page.goto(`${run.demo.server.url}/#/station/${station}`);
  await page.locator('section.acceptance .acceptance-state').waitFor({ timeout: 30_000 });
}

describe('the acceptance panel', () => {
  test('service records a test in English at 390 px: a 2000 V test of 380 V equipment is refused at its field, 2500 V is accepted', {
    timeout: 120_000,
  }, async () => {
    const page = await run.signIn('service', { viewport: { width: 390, height: 844 } });
    await openStation(page, 'st1');
    const panel = page.locator('section.acceptance');
    await expect.poll(() => panel.textContent()).toContain('Not accepted yet.');
    await panel.getByRole('button', { name: 'Record acceptance' }).click();
    // The site's nominal voltage (380 V) and what it requires are filled in.
    await expect.poll(() => panel.getByLabel('Nominal voltage (V)').inputValue()).toBe('380');
    await expect.poll(() => panel.textContent()).toContain('380 V equipment: at least 2500 V for 60 s');
    await panel.getByLabel('Accepted by (customer)').fill('Wang Li (property manager)');
    await panel.getByLabel('Test voltage (V)').fill('2000');
    await panel.getByLabel('Earth resistance (Ω, if measured)').fill('0.08');
    await panel.getByRole('button', { name: 'Save the record' }).click();
    const fieldError = panel.locator('[data-field="acc-test-voltage"] .field-error');
    await expect
      .poll(() => fieldError.textContent())
      .toBe('a dielectric test at 2000 V is below the 2500 V that 380 V equipment requires');
    await shot(page, 'refused-390');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await panel.getByLabel('Test voltage (V)').fill('2500');
    await panel.getByRole('button', { name: 'Save the record' }).click();
    await expect.poll(() => panel.locator('.acceptance-state').textContent()).toBe('Accepted');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Wang Li (property manager)');
    expect(text).toContain('2500 V for 60 s: passed');
    expect(text).toContain('0.08 Ω: passed');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'accepted-390');
    // The server holds what the page showed.
    const record = run.demo.server.service!.stores.audit;
    const entries = await record.list({ action: 'station.acceptance', limit: 10 });
    expect(entries.map((e) => `${e.actor} ${e.result}`)).toEqual(['service ok', 'service refused']);
    await page.context().close();
  });

  test('in Chinese at 1600 px the refusal reads in Chinese; an operator sees the record but no form', {
    timeout: 120_000,
  }, async () => {
    const context = await run.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(run.demo.server.url);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('admin');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await openStation(page, 'st2');
    const panel = page.locator('section.acceptance');
    await expect.poll(() => panel.textContent()).toContain('尚未验收。');
    await panel.getByRole('button', { name: '记录验收' }).click();
    await panel.getByLabel('验收人（客户方）').fill('王工');
    await panel.getByLabel('持续时间（秒）').fill('30');
    await panel.getByRole('button', { name: '保存记录' }).click();
    await expect
      .poll(() => panel.locator('[data-field="acc-seconds"] .field-error').textContent())
      .toBe('介电试验持续 30 秒，短于要求的 60 秒');
    await shot(page, 'refused-zh-1600');
    await panel.getByLabel('持续时间（秒）').fill('60');
    await panel.getByRole('button', { name: '保存记录' }).click();
    await expect.poll(() => panel.locator('.acceptance-state').textContent()).toBe('已验收');
    await shot(page, 'accepted-zh-1600');
    await context.close();

    const operator = await run.signIn('operator');
    await openStation(operator, 'st2');
    const seen = operator.locator('section.acceptance');
    await expect.poll(() => seen.locator('.acceptance-state').textContent()).toBe('Accepted');
    expect(await seen.getByRole('button').count()).toBe(0);
    await operator.context().close();
  });
});
