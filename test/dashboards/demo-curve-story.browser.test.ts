import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The demo's stored history ends with two hours every 15 s in which st1's outlet pressure transmitter
// spikes for a quarter of an hour and Riverside's st3 strainer starts clogging (cli/demo.ts). The
// simulated demand follows the hour of the day, and so do the pumps running and what the curve models
// can say: the history is made to end at 12:00 UTC of the latest day it can, so the test does not
// depend on when it runs.
const DAY_MS = 86_400_000;
let run: DemoInBrowser;

function latestNoonUtc(now: number): number {
  const noon = now - (now % DAY_MS) + 12 * 3_600_000;
  return noon <= now ? noon : noon - DAY_MS;
}

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 1, historyDays: 1, historyEndsAt: latestNoonUtc(Date.now()) });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

describe("the demo's last hours on the station pages", () => {
  test("explained from the pump's curve as it goes live, on a phone in Chinese", {
    timeout: 90_000,
  }, async () => {
    const page = await run.signIn('operator', {
      viewport: { width: 390, height: 844 },
      timezoneId: 'Asia/Shanghai',
    });
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    // Riverside's st3: its suction strainer has been clogging for the last 40 minutes of the history.
    await page.goto(`${run.demo.server.url}/#/station/st3`);
    const panel = page.locator('section.curve-explain');
    const strainer = panel.locator('li[data-code="health.explain.inletPressureLow"][data-active="yes"]');
    await strainer.waitFor({ timeout: 20_000 });
    expect(await strainer.textContent()).toMatch(
      /进行中 · 自 .*同一流量下进口压力比正常低 \d+%：吸入口过滤器堵塞/,
    );
    expect((await panel.boundingBox())!.width).toBeLessThanOrEqual(390);
    await strainer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'curve-story-st3-zh-phone.png') });
    // st1's outlet pressure transmitter spiked for a quarter of an hour and stopped: an event of the
    // past, its reading named in Chinese.
    await page.goto(`${run.demo.server.url}/#/station/st1`);
    const spike = panel.locator('li[data-code="health.explain.sensorSpike"][data-active="no"]');
    await spike.waitFor({ timeout: 20_000 });
    expect(await spike.textContent()).toMatch(/出口压力 出现 \d+ 次单点跳变/);
    await spike.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'curve-story-st1-zh-phone.png') });
  });

  test('in English on a desktop', { timeout: 60_000 }, async () => {
    const page = await run.signIn('operator');
    await page.goto(`${run.demo.server.url}/#/station/st3`);
    const strainer = page.locator(
      'section.curve-explain li[data-code="health.explain.inletPressureLow"][data-active="yes"]',
    );
    await strainer.waitFor({ timeout: 20_000 });
    expect(await strainer.textContent()).toMatch(
      /now · since .*inlet pressure \d+% below normal at the same flow: a clogged suction strainer/,
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'curve-story-st3-en.png') });
  });
});
