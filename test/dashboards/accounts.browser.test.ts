import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The admin section `accounts` on a phone (390 px), in English and in Chinese: an admin creates a
// user (a weak password first, refused in the reader's language), then disables it.
let run: DemoInBrowser;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 3 });
}, 300_000);

afterAll(async () => {
  await run?.close();
});

const PHONE = { width: 390, height: 844 };

const TEXT = {
  en: { user: 'User name', password: 'Password', signIn: 'Sign in', nav: 'Main', signOut: 'Sign out' },
  'zh-CN': { user: '用户名', password: '密码', signIn: '登录', nav: '主导航', signOut: '退出登录' },
} as const;

async function signInAdmin(locale: keyof typeof TEXT): Promise<Page> {
  const context = await run.browser.newContext({ locale, timezoneId: 'Asia/Shanghai', viewport: PHONE });
  const page = await context.newPage();
  await page.goto(run.demo.server.url);
  await page.getByLabel(TEXT[locale].user).fill('admin');
  await page.getByLabel(TEXT[locale].password, { exact: true }).fill('admin');
  await page.getByRole('button', { name: TEXT[locale].signIn, exact: true }).click();
  await page.getByRole('navigation', { name: TEXT[locale].nav }).waitFor();
  return page;
}

const signInStatus = async (username: string, password: string) =>
  (
    await fetch(`${run.demo.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  ).status;

describe.each([
  [
    'en',
    'wang-en',
    { tooShort: 'at least 10 characters', created: 'Account wang-en created.', disabled: 'disabled' },
  ],
  [
    'zh-CN',
    'wang-zh',
    { tooShort: '密码至少需要 10 个字符', created: '已创建账号 wang-zh。', disabled: '已停用' },
  ],
] as const)('the accounts section in %s at 390 px', (locale, username, says) => {
  test('an admin creates a user and disables it', { timeout: 120_000 }, async () => {
    const page = await signInAdmin(locale);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${run.demo.server.url}/#/admin/accounts`);
    await page.locator('.accounts-table tbody tr').first().waitFor({ timeout: 20_000 });

    await page.locator('#acc-username').fill(username);
    await page.locator('#acc-password').fill('short-1');
    await page.locator('#account-new button[type=submit]').click();
    await expect.poll(() => page.locator('#account-new .error').textContent()).toContain(says.tooShort);

    await page.locator('#acc-password').fill('booster room four, valve two');
    await page.locator('#account-new button[type=submit]').click();
    await expect.poll(() => page.locator('.accounts [role=status]').first().textContent()).toBe(says.created);
    const row = page.locator(`tr[data-username="${username}"]`);
    await row.waitFor();
    expect(await signInStatus(username, 'booster room four, valve two')).toBe(200);

    const width = (await page.evaluate(
      'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
    )) as number;
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `accounts-390-${locale}-created.png`),
      fullPage: true,
    });

    await row.locator('button').nth(1).click();
    await expect
      .poll(() => row.locator('.account-state').textContent(), { timeout: 20_000 })
      .toBe(says.disabled);
    expect(await run.demo.server.accounts.get(username)).toMatchObject({ disabledAt: expect.any(Number) });
    expect(await signInStatus(username, 'booster room four, valve two')).toBe(401);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `accounts-390-${locale}-disabled.png`),
      fullPage: true,
    });

    // Signing out ends the token on the server, not only in this browser.
    const token = (await page.evaluate(
      `JSON.parse(localStorage.getItem('aftercare.session')).token`,
    )) as string;
    await page.getByRole('button', { name: TEXT[locale].signOut }).click();
    await page.getByLabel(TEXT[locale].user).waitFor();
    await expect
      .poll(
        async () =>
          (
            await fetch(`${run.demo.server.url}/api/auth/me`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).status,
      )
      .toBe(401);
    await page.context().close();
  });
});
