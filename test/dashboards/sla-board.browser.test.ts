import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The service board in real headless Chromium: most urgent first, the clock that runs now with its
// time left, a paused ticket and a fix clock that has not started, in Chinese on a 390 px phone.
let run: DemoInBrowser;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 18 });
}, 180_000);

afterAll(async () => {
  await run?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `sla-${name}.png`), fullPage: true });

async function serviceApi() {
  const url = run.demo.server.url;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'service', password: 'service' }),
  });
  const { token } = (await login.json()) as { token: string };
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { ticket: { id: number } };
  };
}

const scrollWidth = (page: Page) =>
  page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');

describe('SLA clocks on the board and the ticket page', () => {
  test('the board puts the least time left first and the ticket page shows the clock that runs now, in zh-CN at 390 px', {
    timeout: 120_000,
  }, async () => {
    const api = await serviceApi();
    const open = async (title: string, severity: string, mode: string) => {
      const { ticket } = await api('POST', '/tickets', {
        site: 'demo',
        station: 'st1',
        title,
        severity,
        source: 'phone',
        reportedBy: '王工 138 0000 0000',
      });
      await api('POST', `/tickets/${ticket.id}/transitions`, {
        action: 'triage',
        mode,
        department: 'after_sales',
      });
      return ticket.id;
    };
    // Opened least urgent last: ticket numbers and urgency run opposite ways.
    const minorRemote = await open('压力表读数偶尔跳变', 'minor', 'remote'); // fix 1 h from triage
    const generalRemote = await open('变频器参数需调整', 'general', 'remote'); // fix 2 h
    const onSite = await open('2号泵异响', 'general', 'on_site'); // on site within 24 h
    await api('POST', `/tickets/${onSite}/pause`, { reason: 'customer_access', note: '泵房钥匙在物业' });

    const page = await run.signIn('service', {
      viewport: { width: 390, height: 844 },
      timezoneId: 'Asia/Shanghai',
    });
    await page.evaluate(`localStorage.setItem('aftercare.locale', 'zh-CN')`);
    await page.goto(`${run.demo.server.url}/#/service`);
    await page.reload();
    await page.locator('html[lang="zh-CN"]').waitFor();
    const column = page.locator('.board-column[data-state="triaged"]');
    await column.locator(`[data-ticket="${onSite}"]`).waitFor({ timeout: 20_000 });
    const order = (
      await column
        .locator('.ticket-card')
        .evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-ticket'))))
    ).filter((id) => [minorRemote, generalRemote, onSite].includes(id));
    expect(order).toEqual([minorRemote, generalRemote, onSite]);
    const first = column.locator(`[data-ticket="${minorRemote}"] .sla`);
    expect(await first.getAttribute('data-clock')).toBe('fix');
    expect(await first.textContent()).toMatch(/修复.*\d/);
    const paused = column.locator(`[data-ticket="${onSite}"] .sla`);
    expect(await paused.getAttribute('data-sla')).toBe('paused');
    expect(await paused.textContent()).toContain('计时已停');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await column.scrollIntoViewIfNeeded();
    await shot(page, 'board-zh-390');

    await page.goto(`${run.demo.server.url}/#/service/${onSite}`);
    const clocks = page.locator('table.clocks').first();
    await clocks.locator('tr[data-clock="on_site"]').waitFor();
    expect(await clocks.locator('tr[data-clock="on_site"]').getAttribute('data-state')).toBe('paused');
    expect(await clocks.locator('tr[data-clock="on_site"]').getAttribute('data-current')).toBe('yes');
    expect(await clocks.locator('tr[data-clock="on_site"] th').textContent()).toContain('当前计时');
    expect(await clocks.locator('tr[data-clock="fix"] td').first().textContent()).toBe(
      '未开始（到场后计时）',
    );
    expect(await page.locator('.sla-paused-note').textContent()).toContain('等待客户安排进场');
    expect(await page.locator('.timeline li[data-action="sla_pause"]').textContent()).toContain(
      '暂停了 SLA 计时',
    );
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'ticket-zh-390');

    // Resume from the page: the clock runs again, and the timeline has both steps.
    await page.locator('button[data-sla-action="resume"]').click();
    await clocks.locator('tr[data-clock="on_site"][data-state="pending"]').waitFor({ timeout: 10_000 });
    await page.locator('.timeline li[data-action="sla_resume"]').waitFor();
    await shot(page, 'ticket-zh-390-resumed');
  });

  test('English at desktop width: the board and its compliance panel', { timeout: 60_000 }, async () => {
    const page = await run.signIn('service', { viewport: { width: 1440, height: 900 } });
    await page.goto(`${run.demo.server.url}/#/service`);
    const report = page.locator('.sla-report');
    await report.locator('tr[data-clock="respond"]').waitFor({ timeout: 20_000 });
    expect(await report.locator('h2').textContent()).toBe('SLA compliance');
    expect(
      Number(await report.locator('tr[data-clock="respond"] td').first().textContent()),
    ).toBeGreaterThanOrEqual(3);
    await shot(page, 'board-en-1440');
  });

  test('the admin keeps the business calendar: the 2026 notice with its swapped working days, in zh-CN at 390 px', {
    timeout: 60_000,
  }, async () => {
    const page = await run.signIn('admin', { viewport: { width: 390, height: 844 } });
    await page.evaluate(`localStorage.setItem('aftercare.locale', 'zh-CN')`);
    await page.goto(`${run.demo.server.url}/#/admin/calendar`);
    await page.reload();
    await page.locator('html[lang="zh-CN"]').waitFor();
    await page.locator('#sla-cal-year').fill('2026');
    await expect
      .poll(() => page.locator('#sla-cal-days').inputValue(), { timeout: 10_000 })
      .toContain('2026-02-14 workday 春节调休');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'calendar-zh-390');
  });
});
