import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandView } from '../../core/commands/payloads.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The station page's remote commands panel in headless Chromium against the whole demo: a pump trip on
// the simulator, a reset from the phone-sized page, confirmed by the edge's read-back, in both languages.
let run: DemoInBrowser;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 5 });
}, 400_000);

afterAll(async () => {
  await run?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `commands-${name}.png`), fullPage: true });
const scrollWidth = (page: Page) =>
  page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');

async function apiAs<T>(role: string, path: string): Promise<T> {
  const login = await fetch(`${run.demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: role }),
  });
  const { token } = (await login.json()) as { token: string };
  const response = await fetch(`${run.demo.server.url}/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function stationPage(role: string, chinese: boolean, station: string): Promise<Page> {
  const page = await run.signIn(role, { viewport: PHONE });
  await page.evaluate(`localStorage.setItem('aftercare.locale', '${chinese ? 'zh-CN' : 'en'}')`);
  await page.goto(`${run.demo.server.url}/#/station/${station}`);
  // Only the hash changed: reload so the app reads the language again.
  await page.reload();
  await page.locator(`html[lang="${chinese ? 'zh-CN' : 'en'}"]`).waitFor();
  return page;
}

describe('remote commands from the station page', () => {
  test.each([
    ['en', false, 1],
    ['zh', true, 2],
  ] as const)(
    'an operator resets a tripped pump at 390 px (%s)',
    { timeout: 120_000 },
    async (lang, chinese, pump) => {
      run.demo.simulator.inject('st1', 'pump_trip', { pump });
      const page = await stationPage('operator', chinese, 'st1');
      const panel = page.locator('.command-panel');
      const reset = panel.locator(`[data-command="reset_trip-${pump}"]`);
      await reset.waitFor({ timeout: 30_000 });
      await shot(page, `tripped-390-${lang}`);
      await reset.click();
      const dialog = page.getByRole('alertdialog');
      await expect(dialog.textContent()).resolves.toContain('st1');
      await expect(dialog.textContent()).resolves.toContain(String(pump));
      await dialog.screenshot({ path: join(SCREENSHOT_DIR, `commands-confirm-390-${lang}.png`) });
      await dialog.locator('[data-confirm]').click();
      await panel.locator('.command-status[data-status="confirmed"]').waitFor({ timeout: 30_000 });
      await panel.locator('.command-recent li[data-status="confirmed"]').first().waitFor();
      await reset.waitFor({ state: 'detached', timeout: 15_000 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot(page, `confirmed-390-${lang}`);
      await panel.screenshot({ path: join(SCREENSHOT_DIR, `commands-panel-390-${lang}.png`) });

      expect(run.demo.simulator.readings('st1')[`pump[${pump}].fault`]).toBe(false);
      const { commands } = await apiAs<{ commands: CommandView[] }>('service', '/stations/demo/st1/commands');
      expect(commands[0]).toMatchObject({ kind: 'reset_trip', pump, status: 'confirmed', by: 'operator' });
      const { entries } = await apiAs<{ entries: Array<Record<string, unknown>> }>(
        'admin',
        '/audit?action=command.reset_trip',
      );
      expect(entries[0]).toMatchObject({ actor: 'operator', result: 'ok', target: 'station/demo/st1' });
      await page.context().close();
    },
  );

  test('stopping the only running pump asks a second time; cancel sends nothing', {
    timeout: 90_000,
  }, async () => {
    const page = await stationPage('engineer', true, 'st3');
    // How many pumps run follows the simulated demand of the hour: at a busy hour two do. Step the
    // model an hour at a time (bounded) until the night's demand leaves one, as the edge then reads it.
    const running = await (async () => {
      for (let tries = 0; tries < 150; tries++) {
        const values = (await apiAs<{ values: Record<string, { v: unknown }> }>('engineer', '/stations/st3'))
          .values;
        const on = [1, 2, 3].filter((n) => values[`pump[${n}].running`]?.v === true);
        if (on.length === 1) return on[0]!;
        if (tries % 10 === 9) run.demo.simulator.advance(3600);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      throw new Error('st3 never ran exactly one pump');
    })();
    const before = (await apiAs<{ commands: CommandView[] }>('engineer', '/stations/demo/st3/commands'))
      .commands;
    await page.locator(`[data-command="stop_pump-${running}"]`).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.locator('p[data-second="no"]').waitFor();
    await dialog.locator('[data-confirm]').click();
    await dialog.locator('p[data-second="yes"]').waitFor();
    await dialog.screenshot({ path: join(SCREENSHOT_DIR, 'commands-last-pump-390-zh.png') });
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = (await apiAs<{ commands: CommandView[] }>('engineer', '/stations/demo/st3/commands'))
      .commands;
    expect(after.length).toBe(before.length);
    expect(run.demo.simulator.readings('st3')[`pump[${running}].running`]).toBe(true);
    await page.context().close();
  });

  test('the service team sees no commands panel', { timeout: 60_000 }, async () => {
    const page = await stationPage('service', false, 'st1');
    await page.getByRole('heading', { name: /st1/ }).first().waitFor();
    await page.locator('.schematic, svg').first().waitFor();
    expect(await page.locator('.command-panel').count()).toBe(0);
    await page.context().close();
  });
});
