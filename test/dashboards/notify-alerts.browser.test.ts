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
    const page = await signIn(locale, 'admin');
    await page.goto(`${run.demo.server.url}/#/admin/notify`);
    await page.locator('#notify-settings').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#notify-settings').inputValue()).toContain('"chains"');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `/tmp/notify-admin-390-${locale}.png`, fullPage: true });
    await page.context().close();
  });
});
