import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDemo } from '../../cli/demo.ts';
import { zonedInputValue } from '../../dashboards/app/lib/format.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The service team's new-ticket form and the operators' alarm shelving, in real headless Chromium
// against the whole demo (simulators -> edge -> broker -> server), checked against the server's API.
let run: DemoInBrowser;
let demo: RunningDemo;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 11 });
  demo = run.demo;
}, 90_000);

afterAll(async () => {
  await run?.close();
});

const signIn = (role: string, viewport?: { width: number; height: number }): Promise<Page> =>
  run.signIn(role, viewport ? { viewport } : {});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `service-actions-${name}.png`), fullPage: true });

/** The server's API as one of the demo accounts, for what the browser did to be checked at the source. */
async function apiAs(role: string) {
  const login = await fetch(`${demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: role }),
  });
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${demo.server.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return { call };
}

/** Nothing on the page is wider than the phone. */
const pageWidth = (page: Page) =>
  page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);

interface ShelfAnswer {
  shelves: {
    id: number;
    station: string;
    faultClass: string;
    subject: string;
    until: number;
    shelvedBy: string;
    reason: string;
  }[];
}

describe('service actions', () => {
  test('the service team opens a ticket for a customer call and finds it on the board', {
    timeout: 60_000,
  }, async () => {
    const page = await signIn('service');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service' }).click();
    await page.getByRole('heading', { name: 'Service tickets' }).waitFor();
    await page.getByRole('button', { name: 'New ticket' }).click();
    const form = page.getByRole('form', { name: 'New ticket from a customer call or email' });
    await form.getByLabel('Station').locator('option[value="demo/st2"]').waitFor({ state: 'attached' });

    // A blank title gets past the browser (spaces fill a required field) and is refused by the server.
    await form.getByLabel('Title').fill('   ');
    await form.getByLabel('Reported by (name and phone)').fill('Ms Zhao, 138 0013 8000');
    await form.getByRole('button', { name: 'Create ticket' }).click();
    const refusal = form.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/^Ticket not created: invalid request: title: /);
    await shot(page, 'new-ticket-refused');

    const title = 'Low pressure on the top floors since this morning';
    await form.getByLabel('Station').selectOption('demo/st2');
    await form.getByLabel('Pump (optional)').selectOption({ label: 'Pump 2' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill('The building manager called: taps on floors 15-18 run weak.');
    await form.getByLabel('Fault severity').selectOption('major');
    await form.getByLabel('Received via').selectOption('email');
    await form.getByRole('button', { name: 'Create ticket' }).click();

    // The new ticket's own page opens.
    await page.waitForURL(/#\/service\/\d+$/);
    const id = Number(new URL(page.url()).hash.split('/').pop());
    await page.locator('.ticket[data-state="new"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Ticket ${id} · ${title}`);
    expect(await page.locator('.facts dd[data-source]').textContent()).toBe('email');
    expect(await page.locator('.ticket').textContent()).toContain('Ms Zhao, 138 0013 8000');
    await shot(page, 'new-ticket-detail');

    const { ticket } = await (await apiAs('service')).call<{
      ticket: { station: string; pump: number | null; source: string; severity: string; reportedBy: string };
    }>('GET', `/tickets/${id}`);
    expect(ticket).toMatchObject({
      station: 'st2',
      pump: 2,
      source: 'email',
      severity: 'major',
      reportedBy: 'Ms Zhao, 138 0013 8000',
    });

    await page.getByRole('link', { name: 'Back to the board' }).click();
    const card = page.locator(`.board-column[data-state="new"] .ticket-card[data-ticket="${id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(title);
    await shot(page, 'board-with-new-ticket');

    // At phone width the form's fields stack and nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'New ticket' }).click();
    await form.getByLabel('Title').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'new-ticket-phone');

    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByRole('form', { name: '新建工单（客户来电或邮件）' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'new-ticket-phone-zh');
    await page.goto(`${demo.server.url}/#/service/${id}`);
    await page.locator('.ticket[data-state="new"]').waitFor();
    expect(await page.locator('.facts dd[data-source]').textContent()).toBe('邮件');
    await page.context().close();
  });

  test('an operator has no new-ticket form', async () => {
    const page = await signIn('operator');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Site overview',
      'Alarms',
    ]);
    // Not even with the board's address typed in.
    await page.goto(`${demo.server.url}/#/service`);
    await page.getByRole('heading', { name: 'Service tickets' }).waitFor();
    expect(await page.getByRole('button', { name: 'New ticket' }).count()).toBe(0);
    expect(await page.locator('form.new-ticket').count()).toBe(0);
    await page.context().close();
  });

  test('the operator shelves an alarm, sees it listed and shelved on the server, and unshelves it', {
    timeout: 90_000,
  }, async () => {
    const engineer = await apiAs('engineer');
    await engineer.call('POST', '/sim/stations/st1/faults', { fault: 'pump_trip', pump: 1 });
    const operator = await apiAs('operator');

    const page = await signIn('operator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alarms' }).click();
    await page.getByRole('heading', { name: 'Shelved alarms' }).waitFor();
    await page.getByText('No alarm is shelved.').waitFor();
    const row = page
      .locator('tr[data-fault="pump_trip"][data-status^="active"]')
      .filter({ has: page.getByRole('link', { name: 'st1', exact: true }) })
      .first();
    await row.waitFor({ timeout: 20_000 });
    const alarmId = await row.getAttribute('data-alarm');

    // "Shelve" on the alarm's row fills in the form with the alarm.
    await row.getByRole('button', { name: `Shelve alarm ${alarmId}: Pump tripped` }).click();
    const form = page.getByRole('form', { name: 'Shelve an alarm' });
    await expect.poll(() => form.getByLabel('Station').inputValue()).toBe('demo/st1');
    await expect.poll(() => form.getByLabel('Alarm').inputValue()).toBe('pump_trip');
    await expect.poll(() => form.getByLabel('Applies to').inputValue()).toBe('pump[1]');
    // The cursor waits in the one field left to fill.
    expect(
      await form
        .getByLabel('Reason')
        .evaluate(
          (input: { ownerDocument: { activeElement: unknown } }) =>
            input === input.ownerDocument.activeElement,
        ),
    ).toBe(true);
    await form.getByLabel('24 h').check();
    const reason = 'Motor protection relay on order; technician booked for Friday';
    await form.getByLabel('Reason').fill(reason);
    const before = Date.now();
    await form.getByRole('button', { name: 'Shelve alarm' }).click();

    const listed = page.locator('li.shelf[data-fault="pump_trip"][data-station="st1"]');
    await listed.waitFor();
    expect(await listed.textContent()).toContain('Pump tripped · pump 1');
    expect(await listed.textContent()).toContain('by operator, until ');
    expect(await listed.textContent()).toContain(reason);

    const first = (await operator.call<ShelfAnswer>('GET', '/alarms/shelves')).shelves;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      station: 'st1',
      faultClass: 'pump_trip',
      subject: 'pump[1]',
      shelvedBy: 'operator',
      reason,
    });
    expect(first[0]!.until).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1000);
    expect(first[0]!.until).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000 + 1000);

    // A station-wide alarm, shelved from scratch until a chosen time on the site's clock (Shanghai),
    // not the browser's (London).
    await form.getByLabel('Station').selectOption('demo/st2');
    await form.getByLabel('Alarm').selectOption({ label: 'Grounding fault' });
    await expect.poll(() => form.getByLabel('Applies to').inputValue()).toBe('');
    await form.getByLabel('until…').check();
    const untilMs = Math.floor((Date.now() + 2 * 3_600_000 + 5 * 60_000) / 60_000) * 60_000;
    const untilText = zonedInputValue(untilMs, 'Asia/Shanghai');
    await form.getByLabel('Shelved until').fill(untilText);
    await form.getByLabel('Reason').fill('Insulation test on site this afternoon');
    await form.getByRole('button', { name: 'Shelve alarm' }).click();
    await page.locator('li.shelf[data-fault="grounding_fault"][data-station="st2"]').waitFor();
    const second = (await operator.call<ShelfAnswer>('GET', '/alarms/shelves')).shelves;
    const grounding = second.find((shelf) => shelf.faultClass === 'grounding_fault');
    expect(grounding).toMatchObject({ station: 'st2', subject: '', shelvedBy: 'operator' });
    // Minutes are whole and rounded up: the shelf never ends before the chosen time.
    expect(grounding!.until).toBeGreaterThanOrEqual(untilMs);
    expect(grounding!.until).toBeLessThan(untilMs + 2 * 60_000);
    await shot(page, 'alarms-shelved');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'alarms-shelved-phone');
    await page.getByRole('button', { name: 'Switch language to Chinese' }).click();
    await page.getByRole('heading', { name: '已搁置的报警' }).waitFor();
    expect(await page.locator('li.shelf[data-fault="pump_trip"]').textContent()).toContain(
      '水泵跳闸 · 1号泵',
    );
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'alarms-shelved-phone-zh');
    await page.getByRole('button', { name: '切换为英文' }).click();
    await page.getByRole('heading', { name: 'Shelved alarms' }).waitFor();
    await page.setViewportSize({ width: 1600, height: 1000 });

    await page.getByRole('button', { name: 'Unshelve Pump tripped · pump 1 at st1' }).click();
    await listed.waitFor({ state: 'detached' });
    const after = (await operator.call<ShelfAnswer>('GET', '/alarms/shelves')).shelves;
    expect(after.map((shelf) => shelf.faultClass)).toEqual(['grounding_fault']);
    await page.getByRole('button', { name: 'Unshelve Grounding fault at st2' }).click();
    await page.getByText('No alarm is shelved.').waitFor();
    expect((await operator.call<ShelfAnswer>('GET', '/alarms/shelves')).shelves).toEqual([]);
    await page.context().close();
    await engineer.call('DELETE', '/sim/stations/st1/faults/pump_trip?pump=1');
  });

  test('the service team sees what is shelved but cannot shelve', async () => {
    const operator = await apiAs('operator');
    const { shelf } = await operator.call<{ shelf: { id: number } }>('POST', '/alarms/shelves', {
      site: 'riverside',
      station: 'st3',
      faultClass: 'under_voltage',
      minutes: 60,
      reason: 'Utility works on the feeder',
    });
    const page = await signIn('service');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alarms' }).click();
    const listed = page.locator('li.shelf[data-fault="under_voltage"][data-station="st3"]');
    await listed.waitFor();
    expect(await listed.textContent()).toContain('Utility works on the feeder');
    expect(await page.getByRole('form', { name: 'Shelve an alarm' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Unshelve/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Shelve alarm/ }).count()).toBe(0);
    await shot(page, 'alarms-service');
    await page.context().close();
    await operator.call('DELETE', `/alarms/shelves/${shelf.id}`).catch(() => undefined);
  });
});
