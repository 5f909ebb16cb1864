import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';

// The customer portal at phone size in Chinese (issue 18): the demo's `customer` signs in, sees its
// stations, files a request with a photo, follows it to closed and answers the survey; a customer of
// another company sees none of it, in the pages or through the API.
const PHONE = { width: 390, height: 844 };
const RIVER_PASSWORD = 'river pumps run at night';

let run: DemoInBrowser;
let url: string;
let ticketId: number;

async function token(username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function api(tokenValue: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokenValue}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function phonePage(username: string, password: string, locale = 'zh-CN'): Promise<Page> {
  const context = await run.browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.portal').waitFor();
  return page;
}

/** A real JPEG the browser itself encodes: a pump room's colours, 1200 x 900. */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const dataUrl = (await page.evaluate(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 900;
    const g = canvas.getContext('2d');
    g.fillStyle = '#3b6ea5';
    g.fillRect(0, 0, 1200, 900);
    g.fillStyle = '#c0392b';
    g.fillRect(300, 250, 600, 400);
    return canvas.toDataURL('image/jpeg', 0.9);
  })()`)) as string;
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

/** The image has loaded and decoded (a refused or broken one has no natural width). */
async function loaded(page: Page, selector: string): Promise<void> {
  await expect
    .poll(() =>
      page
        .locator(selector)
        .first()
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBeGreaterThan(0);
}

/** Nothing wider than the phone: no sideways scrolling. */
async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
}

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 18 });
  url = run.demo.server.url;
  // The demo's other customer (Riverside Water Works, st3 at site riverside) gets an account too.
  const admin = await token('admin', 'admin');
  const created = await api(admin, 'POST', '/accounts', {
    username: 'river-view',
    password: RIVER_PASSWORD,
    role: 'customer',
    customer: 'riverside-water',
  });
  expect(created.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await run?.close();
});

describe('the customer portal on a phone, in Chinese', () => {
  test('the customer lands on the portal with its own stations live, not the staff pages', {
    timeout: 120_000,
  }, async () => {
    const page = await phonePage('customer', 'customer');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await expect.poll(() => page.locator('.portal-station').count(), { timeout: 30_000 }).toBe(2);
    const stations = await page
      .locator('.portal-station')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-station')));
    // st3 is another customer's (Riverside Water Works).
    expect(stations).toEqual(['st1', 'st2']);
    // Live: the demo's stations run, with their outlet pressure.
    await page
      .locator('.portal-station[data-station="st1"][data-state="running"]')
      .waitFor({ timeout: 30_000 });
    expect(
      await page.locator('.portal-station[data-station="st1"] .portal-station-facts strong').textContent(),
    ).toMatch(/^\d+\.\d\d$/);
    expect(await page.locator('.portal-tabs').textContent()).toContain('在线报修');
    // A staff page's address shows the portal all the same.
    await page.goto(`${url}/#/engineer`);
    await page.locator('.portal-station').first().waitFor();
    await page.screenshot({ path: '/tmp/portal-home-zh.png', fullPage: true });
    await page.context().close();
  });

  test('files a request with a photo; follows it to closed and answers the survey', {
    timeout: 240_000,
  }, async () => {
    const page = await phonePage('customer', 'customer');
    await page.locator('.portal-tabs a', { hasText: '在线报修' }).click();
    await page.locator('#pr-station').selectOption('demo/st2');
    await page.locator('#pr-pump').selectOption('1');
    await page.locator('#pr-description').fill('2号泵房夜间水压下降，1号泵有异响');
    await page.locator('#pr-name').fill('王经理');
    await page.locator('#pr-phone').fill('139 0000 1234');
    const photo = await cameraPhoto(page);
    await page.locator('.portal-photo-pick input[type="file"]').setInputFiles({
      name: 'pump.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await loaded(page, '.portal-form .portal-photos li img');
    await fitsPhone(page);
    await page.screenshot({ path: '/tmp/portal-request-zh.png', fullPage: true });
    await page.locator('.portal-form button[type="submit"]').click();
    const sent = page.locator('.portal-sent');
    await sent.waitFor();
    ticketId = Number(/#(\d+)/.exec((await sent.textContent()) ?? '')?.[1]);
    expect(ticketId).toBeGreaterThan(0);
    await sent.locator('a').click();
    const ticketPage = page.locator(`.portal-ticket-page[data-ticket="${ticketId}"]`);
    await ticketPage.waitFor();
    expect(await ticketPage.getAttribute('data-state')).toBe('new');
    await loaded(page, '.portal-ticket-page .portal-photos img');
    expect(await ticketPage.locator('.portal-timeline').textContent()).toContain('在线提交');

    // The service team works the ticket (over the API); the customer's page follows live.
    const service = await token('service', 'service');
    const step = async (body: unknown) =>
      expect((await api(service, 'POST', `/tickets/${ticketId}/transitions`, body)).status).toBe(200);
    const listed = await api(service, 'GET', `/tickets/${ticketId}`);
    expect(listed.body.ticket).toMatchObject({ source: 'web', station: 'st2', pump: 1 });
    await step({ action: 'triage', mode: 'on_site', department: 'after_sales' });
    await step({ action: 'dispatch', technician: '李师傅', expectedArrival: Date.now() + 2 * 3_600_000 });
    await page.locator('.portal-dispatch dd', { hasText: '李师傅' }).waitFor({ timeout: 20_000 });
    expect(await ticketPage.getAttribute('data-state')).toBe('dispatched');
    await page.screenshot({ path: '/tmp/portal-ticket-zh.png', fullPage: true });
    await step({ action: 'arrive' });
    await step({
      action: 'resolve',
      workDone: '更换1号泵机械密封',
      rootCause: 'mechanical_seal',
      ...QUALITY_RECORD,
    });
    await step({ action: 'sign_off', signerName: '王经理' });
    await step({ action: 'close' });

    const survey = page.locator('.portal-survey');
    await survey.waitFor({ timeout: 20_000 });
    expect(await ticketPage.getAttribute('data-state')).toBe('closed');
    // An unanswered score is caught before sending.
    await survey.locator('button[type="submit"]').click();
    expect(await survey.locator('[role="alert"]').textContent()).toBe('请为每一项打分。');
    for (const [field, n] of [
      ['score', 5],
      ['timeliness', 4],
      ['quality', 5],
      ['attitude', 5],
    ] as const)
      await survey
        .locator(`fieldset[data-field="${field}"] label`)
        .nth(n - 1)
        .click();
    await survey.locator('#survey-comment').fill('师傅很专业，处理及时');
    await page.screenshot({ path: '/tmp/portal-survey-zh.png', fullPage: true });
    await survey.locator('button[type="submit"]').click();
    await page.locator('.portal-thanks').waitFor();
    expect(await page.locator('.portal-thanks').textContent()).toContain('5/5');
    const care = await api(service, 'GET', `/tickets/${ticketId}/care`);
    expect(care.body.survey).toMatchObject({ score: 5, aspects: { timeliness: 4 }, by: 'customer' });
    expect(care.body.resultFeedback.state).toBe('due');

    // The same in English.
    await page.getByRole('button', { name: '切换为英文' }).click();
    await expect.poll(() => page.locator('.portal-thanks').textContent()).toContain('Thank you');
    await page.screenshot({ path: '/tmp/portal-ticket-en.png', fullPage: true });
    await page.locator('.portal-tabs a').first().click();
    await page.locator('.portal-station').first().waitFor();
    await page.screenshot({ path: '/tmp/portal-home-en.png', fullPage: true });
    await page.context().close();
  });

  test('the service team sees the photo, the survey and the result feedback due; the board lists it', {
    timeout: 120_000,
  }, async () => {
    const page = await run.signIn('service');
    await page.goto(`${url}/#/service/${ticketId}`);
    const care = page.locator('.ticket-care');
    await care.locator('img').waitFor({ timeout: 20_000 });
    await loaded(page, '.ticket-care img');
    expect(await care.locator('[data-survey]').textContent()).toContain('5/5');
    expect(await care.locator('.feedback-state').getAttribute('data-state')).toBe('due');
    await care.locator('#feedback-note').fill('Called Mr Wang: pressure steady since the repair');
    await care.getByRole('button', { name: 'Record feedback' }).click();
    await care.locator('.feedback-state[data-state="done"]').waitFor();
    await page.screenshot({ path: '/tmp/portal-staff-ticket-en.png', fullPage: true });
    await page.goto(`${url}/#/service`);
    const row = page.locator('.satisfaction tr[data-customer="demo-water"]');
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('5.00');
    await page.context().close();
  });

  test("another customer sees neither the first's stations, tickets nor photos", {
    timeout: 120_000,
  }, async () => {
    const page = await phonePage('river-view', RIVER_PASSWORD);
    await page.locator('.portal-station').first().waitFor();
    const stations = await page
      .locator('.portal-station')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-station')));
    expect(stations).toEqual(['st3']);
    // Its own station is live as well, from the demo's second edge.
    await page
      .locator('.portal-station[data-station="st3"][data-state="running"]')
      .waitFor({ timeout: 30_000 });
    expect(await page.locator(`.portal-ticket[data-ticket="${ticketId}"]`).count()).toBe(0);
    await page.goto(`${url}/#/portal/tickets/${ticketId}`);
    await page.locator('.portal-page .error').waitFor();
    expect(await page.locator('.portal-ticket-page').count()).toBe(0);
    await page.screenshot({ path: '/tmp/portal-other-customer-zh.png', fullPage: true });

    const river = await token('river-view', RIVER_PASSWORD);
    const care = (await api(await token('service', 'service'), 'GET', `/tickets/${ticketId}/care`)).body;
    const photo = care.photos[0].id as number;
    expect((await api(river, 'GET', `/tickets/${ticketId}`)).status).toBe(404);
    expect((await api(river, 'GET', `/tickets/${ticketId}/care`)).status).toBe(404);
    expect((await api(river, 'GET', `/tickets/${ticketId}/photos/${photo}`)).status).toBe(404);
    expect((await api(river, 'GET', '/stations/st2?site=demo')).status).toBe(404);
    expect((await api(river, 'GET', '/reports/satisfaction')).status).toBe(403);
    const tickets = (await api(river, 'GET', '/tickets')).body.tickets as { site: string }[];
    expect(tickets.every((t) => t.site === 'riverside')).toBe(true);
    expect((await api(river, 'GET', '/stations/st3?site=riverside')).status).toBe(200);
    await page.context().close();
  });
});
