import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProfile } from '../../core/profile/load.ts';
import { buildDashboards } from '../../dashboards/build.ts';
import { demoAccounts } from '../../server/auth/accounts.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';
import { type ProfileFlow, startProfileFlow } from './profile-flow.ts';

// The station page of a controller with readings the page does not draw (a custom reading, the
// control mode, a vendor code, the supply frequency), in real headless Chromium, in both languages.
const profile = loadProfile('test/profiles/fixtures/two-pump-base1.yaml');
let flow: ProfileFlow;
let browser: Browser;

beforeAll(async () => {
  const staticDir = await buildDashboards();
  [flow, browser] = await Promise.all([
    startProfileFlow(profile, { staticDir, accounts: await demoAccounts() }),
    launchChromium(),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await flow?.stop();
});

async function stationPage(language: 'en' | 'zh-CN', width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: language });
  const page = await context.newPage();
  await page.goto(flow.server.url);
  // The browser's language decides, the sign-in page included.
  const zh = language === 'zh-CN';
  await page.getByLabel(zh ? '用户名' : 'User name').fill('operator');
  await page.getByLabel(zh ? '密码' : 'Password').fill('operator');
  await page.getByRole('button', { name: zh ? '登录' : 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: zh ? '主导航' : 'Main' }).waitFor();
  await page.goto(`${flow.server.url}/#/station/${flow.station}`);
  return page;
}

describe('other readings on the station page', { timeout: 120_000 }, () => {
  test.each([
    ['en', 1600, { panel: 'Panel setting', mode: 'Automatic', code: 'none', hz: 'supply frequency' }],
    ['zh-CN', 390, { panel: '面板设定', mode: '自动', code: '无', hz: '电源频率' }],
  ] as const)('%s at %i px: named, with units and labels', async (language, width, text) => {
    await flow.until('the station live', (v) => (v['custom.panel_setting'] ? true : undefined));
    const page = await stationPage(language, width);
    const panel = page.locator('.station-readings');
    await panel.waitFor({ timeout: 20_000 });
    const reading = (meaning: string) => panel.locator(`[data-meaning="${meaning}"]`);
    await expect.poll(() => reading('custom.panel_setting').locator('dt').textContent()).toBe(text.panel);
    expect(await reading('custom.panel_setting').locator('dd').textContent()).toBe('50 %');
    expect(await reading('station.control_mode').locator('dd').textContent()).toBe(text.mode);
    expect(await reading('station.alarm_code').locator('dd').textContent()).toBe(text.code);
    expect(await reading('supply.frequency').locator('dt').textContent()).toBe(text.hz);
    expect(await reading('supply.frequency').locator('dd').textContent()).toBe('50 Hz');
    // Readings the schematic or the charts show are not listed twice.
    expect(await reading('pressure.outlet').count()).toBe(0);
    // Fits the width: nothing wider than the page.
    const panelWidth = await page.evaluate<number>(
      "document.querySelector('.station-readings').scrollWidth - document.querySelector('.station-readings').clientWidth",
    );
    expect(panelWidth).toBeLessThanOrEqual(0);
    // A click charts the reading; the mode is drawn as steps named by its labels.
    await reading('station.control_mode').getByRole('button').click();
    const chart = panel.locator('figure.chart');
    await expect.poll(() => chart.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready');
    await panel.screenshot({ path: join(SCREENSHOT_DIR, `station-readings-${language}-${width}.png`) });
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `station-readings-page-${language}-${width}.png`),
      fullPage: true,
    });
    await page.context().close();
  });
});
