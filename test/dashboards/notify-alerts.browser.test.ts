import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The alarm alerts at phone width, Chinese first: a pump trip puts the active alarm count in the
// tab title; the sound and browser notification toggles are the user's own, kept across reloads;
// and the admin page's notifications tab fits the phone.
let run: DemoInBrowser;

const PHONE = { width: 390, height: 844 };
const TEXT = {
  'zh-CN': {
    user: '用户名',
    password: '密码',
    signIn: '登录',
    nav: '主导航',
    title: /^\(\d+\) 告警 · Aftercare$/,
  },
  en: {
    user: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    nav: 'Main',
    title: /^\(\d+\) Alarms · Aftercare$/,
  },
} as const;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 4 });
  const injected = await fetch(`${run.demo.simulator.controlUrl}/stations/st1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'pump_trip', pump: 1 }),
  });
  expect(injected.status).toBe(201);
}, 300_000);

afterAll(async () => {
  await run?.close();
});

async function signIn(locale: keyof typeof TEXT, username: string): Promise<Page> {
  const context = await run.browser.newContext({ locale, timezoneId: 'Asia/Shanghai', viewport: PHONE });
  const page = await context.newPage();
  await page.goto(run.demo.server.url);
  await page.getByLabel(TEXT[locale].user).fill(username);
  await page.getByLabel(TEXT[locale].password, { exact: true }).fill(username);
  await page.getByRole('button', { name: TEXT[locale].signIn, exact: true }).click();
  await page.getByRole('navigation', { name: TEXT[locale].nav }).waitFor();
  return page;
}

async function apiToken(username: string): Promise<string> {
  const response = await fetch(`${run.demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: username }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function apiCall(token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${run.demo.server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const pageWidth = (page: Page) =>
  page.evaluate(
    'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
  ) as Promise<number>;

describe.each(['zh-CN', 'en'] as const)('alarm alerts in %s at 390 px', (locale) => {
  test('the tab title counts active alarms; the toggles are kept per user', {
    timeout: 180_000,
  }, async () => {
    const page = await signIn(locale, 'operator');
    await expect.poll(() => page.title(), { timeout: 60_000 }).toMatch(TEXT[locale].title);
    await page.locator('details.alarm-alerts summary').click();
    const sound = page.locator('#alert-sound');
    expect(await sound.isChecked()).toBe(true);
    await sound.uncheck();
    expect(await page.evaluate('localStorage.getItem("aftercare.alarmAlerts.operator")')).toBe(
      JSON.stringify({ sound: false, browser: true }),
    );
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `/tmp/notify-alerts-390-${locale}.png` });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `notify-alerts-390-${locale}.png`) });
    await page.reload();
    await page.getByRole('navigation', { name: TEXT[locale].nav }).waitFor();
    await page.locator('details.alarm-alerts summary').click();
    expect(await page.locator('#alert-sound').isChecked()).toBe(false);
    expect(await page.locator('#alert-browser').isChecked()).toBe(true);
    await page.context().close();
  });

  test('the notifications admin tab', { timeout: 180_000 }, async () => {
    // A message due in the admin's own quiet hours (the hour from now, UTC): held, shown with when it goes out.
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const admin = await apiToken('admin');
    const settings = { smtp: { host: '127.0.0.1', port: 2525, from: 'alerts@aftercare.test' } };
    expect((await apiCall(admin, 'PUT', '/notifications/settings', settings)).status).toBe(200);
    const quietHours = { from: hhmm(Date.now()), to: hhmm(Date.now() + 3_600_000) };
    const profile = { email: 'admin@aftercare.test', language: locale, timeZone: 'UTC', quietHours };
    expect((await apiCall(admin, 'PUT', '/notifications/profiles/admin', profile)).status).toBe(200);
    const counts = await run.demo.server.service!.notify.sendToUser({
      username: 'admin',
      subject: locale === 'en' ? 'Night check' : '夜间巡检',
      text: '—',
      dedupeKey: `quiet-${locale}`,
    });
    expect(counts.held).toBe(1);

    const page = await signIn(locale, 'admin');
    await page.goto(`${run.demo.server.url}/#/admin/notify`);
    await page.locator('#notify-settings').waitFor({ timeout: 30_000 });
    const held = page.locator('tr[data-status="held"]').first();
    await held.waitFor({ timeout: 30_000 });
    expect(await held.locator('.held-until').textContent()).toMatch(locale === 'en' ? /goes out/ : /发出/);
    await expect.poll(() => page.locator('#notify-settings').inputValue()).toContain('"chains"');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `/tmp/notify-admin-390-${locale}.png`, fullPage: true });
    await page.context().close();
  });
});

// What the page does on a new alarm, recorded: the Web Audio beep and the browser notification.
const RECORDER = `
  window.__alerts = { beeps: 0, notifications: [] };
  class RecordedNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__alerts.notifications.push({ title, body: options?.body ?? '' }); }
  }
  window.Notification = RecordedNotification;
  const RealAudio = window.AudioContext;
  window.AudioContext = class extends RealAudio {
    constructor(...args) { super(...args); window.__alerts.beeps += 1; }
  };
`;

const inject = (station: string, fault: string, clear = false) =>
  fetch(`${run.demo.simulator.controlUrl}/stations/${station}/faults${clear ? `/${fault}?pump=1` : ''}`, {
    method: clear ? 'DELETE' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(clear ? {} : { body: JSON.stringify({ fault, pump: 1 }) }),
  });

describe('a new alarm in the browser', () => {
  test('beeps and shows a browser notification; with both turned off, the next one does neither', {
    timeout: 240_000,
  }, async () => {
    const context = await run.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: PHONE,
    });
    await context.addInitScript(RECORDER);
    const page = await context.newPage();
    await page.goto(run.demo.server.url);
    await page.getByLabel(TEXT['zh-CN'].user).fill('service');
    await page.getByLabel(TEXT['zh-CN'].password, { exact: true }).fill('service');
    await page.getByRole('button', { name: TEXT['zh-CN'].signIn, exact: true }).click();
    await page.getByRole('navigation', { name: TEXT['zh-CN'].nav }).waitFor();
    await expect.poll(() => page.title(), { timeout: 60_000 }).toMatch(TEXT['zh-CN'].title);
    const count = async () => Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0);
    const recorded = () =>
      page.evaluate('window.__alerts') as Promise<{
        beeps: number;
        notifications: { title: string; body: string }[];
      }>;
    // Alarms standing at sign-in are not new.
    expect(await recorded()).toEqual({ beeps: 0, notifications: [] });

    const before = await count();
    expect((await inject('st2', 'pump_trip')).status).toBe(201);
    await expect.poll(count, { timeout: 60_000 }).toBeGreaterThan(before);
    // A pump trip raises two alarms (the trip, and the failover that leaves no standby): one
    // notification each; a beep per live update that brought new ones.
    const bodies = async () => (await recorded()).notifications.map((n) => n.body).sort();
    await expect
      .poll(bodies, { timeout: 30_000 })
      .toEqual(['Failover to standby: redundancy lost', 'Pump tripped'].sort());
    const first = await recorded();
    expect(first.beeps).toBeGreaterThanOrEqual(1);
    expect(first.beeps).toBeLessThanOrEqual(2);
    expect(first.notifications.every((n) => n.title === '新告警：st2')).toBe(true);

    // This user turns both off: the next new alarm changes the title and nothing else.
    await page.locator('details.alarm-alerts summary').click();
    await page.locator('#alert-sound').uncheck();
    await page.locator('#alert-browser').uncheck();
    const after = await count();
    expect((await inject('st3', 'pump_trip')).status).toBe(201);
    await expect.poll(count, { timeout: 60_000 }).toBeGreaterThanOrEqual(after + 2);
    await page.waitForTimeout(2000);
    expect(await recorded()).toEqual(first);
    await inject('st2', 'pump_trip', true);
    await inject('st3', 'pump_trip', true);
    await context.close();
  });
});
