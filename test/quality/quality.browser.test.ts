import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

const DAY = 86_400_000;
let run: DemoInBrowser;
let freshTicket: number;
let overdueAction: number;

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

async function apiAs(role: string): Promise<Call> {
  const url = run.demo.server.url;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: role }),
  });
  const { token } = (await login.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

/** A phoned-in fault on st1, triaged for remote service and resolved with its quality analysis. */
async function resolvedFault(
  call: Call,
  title: string,
  severity: 'general' | 'major',
  rootCause: string,
  fix: string,
): Promise<number> {
  const { ticket } = await call<{ ticket: { id: number } }>('POST', '/tickets', {
    site: 'demo',
    station: 'st1',
    pump: 2,
    title,
    severity,
    source: 'phone',
    reportedBy: '李工 139 0000 0000',
  });
  const step = (body: unknown) => call('POST', `/tickets/${ticket.id}/transitions`, body);
  await step({ action: 'triage', mode: 'remote', department: 'after_sales' });
  await step({
    action: 'resolve',
    workDone: fix,
    rootCause,
    responsibility: 'wear',
    correctiveAction: fix,
    preventiveAction: '每半年保养时检查轴承并补充润滑脂',
  });
  return ticket.id;
}

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 18 });
  const call = await apiAs('service');
  await resolvedFault(call, '2号泵轴承异响，振动偏大', 'general', 'bearing_wear', '更换2号泵电机前后轴承');
  await resolvedFault(
    call,
    'Pump 2 bearing noise and heat',
    'general',
    'bearing_wear',
    'Replaced the bearings',
  );
  await resolvedFault(call, '机械密封漏水', 'general', 'mechanical_seal', '更换机械密封');
  const major = await resolvedFault(
    call,
    '控制柜接触器烧毁，全站停水',
    'major',
    'contactor_relay',
    '更换接触器',
  );
  const { actions } = await call<{ actions: { id: number; ticketId: number }[] }>('GET', '/quality/actions');
  overdueAction = actions.find((a) => a.ticketId === major)?.id ?? 0;
  expect(overdueAction).toBeGreaterThan(0);
  await call('PUT', `/quality/actions/${overdueAction}`, { dueAt: Date.now() - DAY, note: '逾期示例' });
  const { ticket } = await call<{ ticket: { id: number } }>('POST', '/tickets', {
    site: 'demo',
    station: 'st1',
    pump: 2,
    title: '2号泵轴承又有异响',
    severity: 'general',
    source: 'phone',
    reportedBy: '李工 139 0000 0000',
  });
  freshTicket = ticket.id;
}, 300_000);

afterAll(async () => {
  await run?.close();
});

async function useLanguage(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.evaluate(`localStorage.setItem('aftercare.locale', '${locale}')`);
  await page.reload();
  await page.locator(`html[lang="${locale}"]`).waitFor();
}

const scrollWidth = (page: Page) =>
  page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');

describe('quality loop in the browser', () => {
  test('zh-CN at 390 px: the ticket shows similar bearing cases; the Quality page lists the overdue action', async () => {
    const page = await run.signIn('service', { viewport: { width: 390, height: 844 } });
    await useLanguage(page, 'zh-CN');
    await page.goto(`${run.demo.server.url}/#/service/${freshTicket}`);
    const similar = page.locator('.ticket-quality .case-list li');
    await similar.first().waitFor();
    await expect(page.getByRole('heading', { name: '相似历史案例' }).count()).resolves.toBe(1);
    const first = await similar.first().textContent();
    expect(first).toContain('更换2号泵电机前后轴承');
    expect(first).toContain('轴承磨损');
    await page.screenshot({ path: '/tmp/quality-ticket-zh-390.png', fullPage: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await page.getByRole('link', { name: '质量', exact: true }).click();
    const row = page.locator(`tr[data-action-id="${overdueAction}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-overdue')).toBe('yes');
    expect(await row.textContent()).toContain('已逾期');
    expect(await row.textContent()).toContain('重大故障');
    await page.screenshot({ path: '/tmp/quality-page-zh-390.png', fullPage: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.context().close();
  }, 180_000);

  test('en at desktop: the action moves to in progress, an NCR is recorded, the case library finds seals', async () => {
    const page = await run.signIn('service', { viewport: { width: 1440, height: 900 } });
    await useLanguage(page, 'en');
    await page.goto(`${run.demo.server.url}/#/quality/${overdueAction}`);
    const detail = page.getByRole('region', { name: new RegExp(`Quality action ${overdueAction}`) });
    await detail.waitFor();
    await detail.getByRole('button', { name: 'Start work' }).click();
    await page.locator('.quality-detail[data-status="in_progress"]').waitFor();
    await page.locator(`tr[data-action-id="${overdueAction}"] td[data-status="in_progress"]`).waitFor();

    const form = page.getByRole('form', { name: 'Record a non-conforming product' });
    await form.getByLabel('Product').fill('Mechanical seal');
    await form.getByLabel('Batch').fill('MS-2026-07');
    await form.getByLabel('Problem').fill('Three seals of this batch leaked within a week');
    await form.getByLabel('Disposition').selectOption('return_to_maker');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ncr-list li[data-disposition="return_to_maker"]').waitFor();

    await page.getByRole('searchbox', { name: 'Search the case library' }).fill('seal leak 密封');
    await page.getByRole('button', { name: 'Search the case library' }).click();
    const found = page.locator('section[aria-labelledby="cases-title"] .case-list li').first();
    await expect.poll(async () => found.textContent()).toContain('更换机械密封');
    await page.screenshot({ path: '/tmp/quality-page-en-desktop.png', fullPage: true });

    await page.goto(`${run.demo.server.url}/#/service/${freshTicket}`);
    await page.locator('.ticket-quality .case-list li').first().waitFor();
    await page.screenshot({ path: '/tmp/quality-ticket-en-desktop.png', fullPage: true });
    await page.context().close();
  }, 180_000);
});
