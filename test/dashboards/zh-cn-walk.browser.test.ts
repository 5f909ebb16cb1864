import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// Every page of the dashboards, as every role, in a browser that asks for Chinese: the demo with 10
// days of history (health, planned maintenance, follow-up visits) and a pump trip (an alarm and its
// ticket). Any Latin-script word on screen that is not a unit, an id, a standard or a name fails.
let run: DemoInBrowser;
let ticketId: number;

/** Words that stay Latin in Chinese text: units, standards, protocols, products and the demo's names. */
const ALLOWED = new Set([
  // units (m³/h splits into m and h; mm/s into mm and s)
  ...[
    'kW',
    'kWh',
    'kVA',
    'MPa',
    'kPa',
    'bar',
    'mm',
    's',
    'Hz',
    'V',
    'A',
    'mA',
    'h',
    'm',
    'm3',
    'K',
    'MΩ',
    'ms',
    'd',
  ],
  // standards, protocols and products
  ...['ISO', 'IEC', 'NEMA', 'MG', 'IEEE', 'SLA', 'MQTT', 'mqtt', 'Modbus', 'PLC', 'RCD', 'PGlite', 'pglite'],
  // the other language's name on the language switch; the demo's accounts, site and edge gateway
  ...['English', 'operator', 'service', 'engineer', 'admin', 'customer', 'demo', 'demo-edge', 'demo-water'],
  // The second customer's site and its edge, by their ids.
  ...['riverside', 'demo-edge-riverside'],
]);
/**
 * Ids and codes: stations (st1), pumps (P1), zones (C, D), phases (L1), all-capital model and serial
 * numbers (CDLF, P240210).
 */
const ALLOWED_PATTERNS = [/^st\d+$/, /^(L\d)+$/, /^[A-Z][A-Z0-9-]*$/];

/** The Latin-script words of the page's visible text nodes, outside the allow list. */
async function latinWords(page: Page): Promise<string[]> {
  // Runs in the page (the test's own types have no DOM): every text node whose element is shown.
  const texts = (await page.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Data as people typed it (names, ids, time zones) is marked translate="no": not the UI's words.
      if (node.parentElement?.closest('[translate="no"]')) continue;
      if (node.parentElement?.checkVisibility() && node.textContent.trim()) out.push(node.textContent);
    }
    return out;
  })()`)) as string[];
  const words =
    texts
      .join(' ')
      .replace(/[a-z]+:\/\/\S+/g, ' ') // addresses (the broker's mqtt://host:port)
      .match(/[A-Za-z][A-Za-z0-9_'-]*/g) ?? [];
  return [...new Set(words.filter((w) => !ALLOWED.has(w) && !ALLOWED_PATTERNS.some((p) => p.test(w))))];
}

async function signInInChinese(role: string, viewport = { width: 1600, height: 1000 }): Promise<Page> {
  const context = await run.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport });
  const page = await context.newPage();
  await page.goto(run.demo.server.url);
  // No choice made: the browser's language decides, the sign-in page included.
  await page.getByLabel('用户名').fill(role);
  await page.getByLabel('密码').fill(role);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // A customer lands on the portal (its own frame), the staff on the main navigation.
  await page.locator(role === 'customer' ? '.portal' : 'nav[aria-label="主导航"]').waitFor();
  return page;
}

/** Waits for a page's data (no "loading…" left), then lists its foreign words. */
async function visit(page: Page, hash: string, ready: string): Promise<string[]> {
  await page.goto(`${run.demo.server.url}/${hash}`);
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
  await expect
    .poll(async () => ((await page.locator('body').textContent()) ?? '').includes('加载中'), {
      timeout: 20_000,
    })
    .toBe(false);
  return await latinWords(page);
}

const PAGES: Record<string, { hash: () => string; ready: string; roles: string[] }> = {
  overview: {
    hash: () => '#/',
    ready: '.tile',
    roles: ['operator', 'service', 'engineer', 'admin'],
  },
  station: {
    hash: () => '#/station/st2',
    ready: '.health-score',
    roles: ['operator', 'service', 'engineer', 'admin'],
  },
  alarms: {
    hash: () => '#/alarms',
    ready: 'table tbody tr',
    roles: ['operator', 'service', 'engineer', 'admin'],
  },
  service: { hash: () => '#/service', ready: '.ticket-card', roles: ['service', 'admin'] },
  ticket: {
    hash: () => `#/service/${ticketId}`,
    ready: '.timeline li',
    roles: ['operator', 'service', 'engineer', 'admin'],
  },
  // A customer's pages are the portal's (its stations, the request form, a ticket it follows).
  'portal-home': { hash: () => '#/portal', ready: '.portal-station', roles: ['customer'] },
  'portal-request': { hash: () => '#/portal/request', ready: '#pr-station', roles: ['customer'] },
  'portal-ticket': {
    hash: () => `#/portal/tickets/${ticketId}`,
    ready: '.portal-timeline li',
    roles: ['customer'],
  },
  calendar: { hash: () => '#/calendar', ready: '.page-head', roles: ['service', 'admin'] },
  engineer: { hash: () => '#/engineer', ready: '.counters tr', roles: ['engineer', 'admin'] },
  'admin-audit': { hash: () => '#/admin/audit', ready: '.audit-table tbody tr', roles: ['admin'] },
  'admin-edges': { hash: () => '#/admin/edges', ready: '.edge-create', roles: ['admin'] },
  'admin-accounts': { hash: () => '#/admin/accounts', ready: '.accounts-table tbody tr', roles: ['admin'] },
  'admin-customers': {
    hash: () => '#/admin/customers',
    ready: '.customers-table tbody tr',
    roles: ['admin'],
  },
  'admin-sites': { hash: () => '#/admin/sites', ready: '.sites-table tbody tr', roles: ['admin'] },
  'admin-contracts': {
    hash: () => '#/admin/contracts',
    ready: '.contracts-table tbody tr',
    roles: ['admin'],
  },
  'admin-stations': { hash: () => '#/admin/stations', ready: '.stations-table tbody tr', roles: ['admin'] },
  'admin-import': { hash: () => '#/admin/import', ready: '.import-section', roles: ['admin'] },
};

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 1, historyDays: 10 });
  const injected = await fetch(`${run.demo.simulator.controlUrl}/stations/st1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'pump_trip', pump: 1 }),
  });
  expect(injected.status).toBe(201);
  const tickets = run.demo.server.service!.stores.tickets;
  const tripTicket = async () =>
    (await tickets.list({ station: 'st1' })).find((t) => t.fault_class === 'pump_trip');
  for (let waited = 0; !(await tripTicket()) && waited < 30_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  ticketId = (await tripTicket())!.id;
  await run.demo.server.service!.stores.audit.record(
    { username: 'admin', role: 'admin' },
    { action: 'station.put', target: 'station/demo/st1', result: 'ok' },
  );
  // A remote command, so the station page's commands panel shows a recent command in the walk.
  const { token } = await run.demo.server.tokens.issue({ username: 'operator', role: 'operator' });
  const command = await fetch(`${run.demo.server.url}/api/stations/demo/st2/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ command: 'set_pressure', value: 4.1 }),
  });
  expect(command.status).toBe(200);
}, 480_000);

afterAll(async () => {
  await run?.close();
});

describe('the dashboards in Chinese', () => {
  test.each(['operator', 'service', 'engineer', 'admin', 'customer'])(
    '%s sees no untranslated word on any page',
    {
      timeout: 120_000,
    },
    async (role) => {
      const page = await signInInChinese(role);
      const found: Record<string, string[]> = {};
      for (const [name, spec] of Object.entries(PAGES)) {
        if (!spec.roles.includes(role)) continue;
        const words = await visit(page, spec.hash(), spec.ready);
        if (words.length > 0) found[name] = words;
        if (role === 'admin' && (name === 'station' || name === 'ticket')) {
          await page.screenshot({ path: join(SCREENSHOT_DIR, `zh-cn-${name}.png`), fullPage: true });
        }
      }
      expect(found).toEqual({});
      await page.context().close();
    },
  );

  test.each(['operator', 'service', 'engineer', 'admin', 'customer'])(
    '%s at 390 px (a phone): every page fits, nothing cut off or scrolling sideways, still no untranslated word',
    { timeout: 120_000 },
    async (role) => {
      const page = await signInInChinese(role, { width: 390, height: 844 });
      const wide: Record<string, number> = {};
      const found: Record<string, string[]> = {};
      for (const [name, spec] of Object.entries(PAGES)) {
        if (!spec.roles.includes(role)) continue;
        const words = await visit(page, spec.hash(), spec.ready);
        if (words.length > 0) found[name] = words;
        const width = (await page.evaluate(
          'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
        )) as number;
        if (width > 390) wide[name] = width;
        if (role === 'admin') {
          await page.screenshot({ path: join(SCREENSHOT_DIR, `zh-cn-390-${name}.png`), fullPage: true });
        }
      }
      expect({ wide, found }).toEqual({ wide: {}, found: {} });
      await page.context().close();
    },
  );

  test('the ticket of a pump trip reads in Chinese, its subject named as a pump', {
    timeout: 60_000,
  }, async () => {
    const page = await signInInChinese('service');
    await page.goto(`${run.demo.server.url}/#/service/${ticketId}`);
    await expect
      .poll(() => page.locator('#ticket-title').textContent(), { timeout: 20_000 })
      .toContain('水泵跳闸：1号泵');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('创建工单');
    await page.context().close();
  });

  test('the language chosen on the sign-in page is the one after sign-in, and after sign-out', {
    timeout: 60_000,
  }, async () => {
    const page = await signInInChinese('operator');
    await page.getByRole('button', { name: '退出登录' }).click();
    // Choose English on the sign-in page of a Chinese browser, then sign in.
    await page.getByRole('button', { name: '切换为英文' }).click();
    await page.getByLabel('User name').fill('service');
    await page.getByLabel('Password').fill('service');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // Back to Chinese inside the app; it stays Chinese across sign-out and the next sign-in.
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill('operator');
    await page.getByLabel('密码').fill('operator');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.context().close();
  });

  test('a refusal from the server reads in Chinese', { timeout: 60_000 }, async () => {
    const page = await signInInChinese('service');
    await page.goto(`${run.demo.server.url}/#/service/999999`);
    await expect
      .poll(() => page.locator('.error').first().textContent(), { timeout: 20_000 })
      .toContain('没有工单 999999');
    await page.context().close();
  });
});
