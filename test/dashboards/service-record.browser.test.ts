import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pngSize } from '../../core/service-record/png-size.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

// The technician's service record on a phone (issue 19): open it from the ticket, fill in work, a part,
// a reading and a photo, issue the quote, let the customer sign on the screen, submit; the PDF is
// built (read back with pdftotext), archived with the ticket and mailed to the customer and sales.
const PHONE = { width: 390, height: 844 };
const SALES = 'sales@aftercare.test';
const CONTACT = 'wang@demo-water.test';
let run: DemoInBrowser;
let smtp: SmtpReceiver;
let url: string;
let admin: string;
const dir = mkdtempSync(join(tmpdir(), 'svcrec-browser-'));

async function api(token: string | undefined, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as any };
}

async function onSiteTicket(title: string): Promise<number> {
  const created = await api(admin, 'POST', '/tickets', {
    site: 'demo',
    station: 'st2',
    title,
    severity: 'general',
    source: 'phone',
    reportedBy: '王经理 139 0000 1234',
  });
  const id = created.body.ticket.id as number;
  for (const step of [
    { action: 'triage', mode: 'on_site', department: 'after_sales' },
    { action: 'dispatch', technician: 'service', expectedArrival: Date.now() + 3_600_000 },
    { action: 'arrive' },
  ])
    expect((await api(admin, 'POST', `/tickets/${id}/transitions`, step)).status).toBe(200);
  return id;
}

async function phonePage(locale: 'zh-CN' | 'en'): Promise<Page> {
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
  await page.locator('input[name="username"]').fill('service');
  await page.locator('input[name="password"]').fill('service');
  await page.locator('form button[type="submit"]').click();
  await page.locator('nav').first().waitFor();
  return page;
}

/** Fills and submits the record of ticket `id` as the technician; the PDF's text. */
async function fillRecord(page: Page, id: number, locale: 'zh-CN' | 'en', work: string): Promise<string> {
  await page.goto(`${url}/#/service/${id}`);
  await page.locator('[data-testid="open-record"]').click();
  // The record's language: the reader's by default, chosen here.
  await page.locator('.record-form select').first().selectOption(locale);
  await page.locator('textarea[name="workDone"]').fill(work);
  await page.locator('select[name="rootCause"]').selectOption('mechanical_seal');
  await page.locator('.record-form fieldset').first().locator('button.secondary').last().click();
  await page.locator('[data-part-line="0"] select').first().selectOption('SEAL-25');
  await page.locator('.readings-row').first().locator('input').nth(1).fill('0.28');
  await page.locator('.readings-row').first().locator('input').nth(2).fill('0.45');
  const photo = (await page.evaluate(`(() => {
    const c = document.createElement('canvas'); c.width = 800; c.height = 600;
    const g = c.getContext('2d'); g.fillStyle = '#3b6ea5'; g.fillRect(0, 0, 800, 600);
    return c.toDataURL('image/jpeg', 0.9);
  })()`)) as string;
  await page.locator('input[type="file"]').setInputFiles({
    name: 'seal.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(photo.split(',')[1] as string, 'base64'),
  });
  await page.locator('.record-photos img').first().waitFor();
  await page.locator('.record-quote > button').click();
  await page.locator('.record-quote .charge-table').waitFor();
  // The mouse draws in the viewport: the pad must be on screen first.
  await page.locator('[data-testid="signature"]').scrollIntoViewIfNeeded();
  const pad = await page.locator('[data-testid="signature"]').boundingBox();
  if (!pad) throw new Error('no signature pad');
  await page.mouse.move(pad.x + 20, pad.y + pad.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(pad.x + 20 + i * 22, pad.y + pad.height * (0.7 - 0.4 * Math.sin(i / 2)), {
      steps: 2,
    });
  await page.mouse.up();
  await page.locator('.signature-field').screenshot({ path: `/tmp/svcrec-signature-${locale}.png` });
  await page.locator('input[name="signerName"]').fill('王经理');
  await page.screenshot({ path: `/tmp/svcrec-form-${locale}.png`, fullPage: true });
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  // The signature goes at the device's resolution (2x here), not shrunk to fit a small body.
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/service-record`));
  await page.locator('.record-form button[type="submit"]').click();
  const signature = (JSON.parse((await sent).postData() ?? '{}') as { signature: string }).signature;
  const size = pngSize(Buffer.from(signature.split(',')[1] as string, 'base64'));
  expect(size?.width).toBe(Math.floor(pad.width * 2));
  expect(size?.height).toBe(Math.floor(pad.height * 2));
  // Done, or the refusal's sentence (which the assertion then shows).
  await page.locator('.record-done, .service-record p.error').first().waitFor({ timeout: 90_000 });
  expect(await page.locator('.service-record p.error').allTextContents()).toEqual([]);
  await page.screenshot({ path: `/tmp/svcrec-done-${locale}.png`, fullPage: true });
  const pdf = await fetch(`${url}/api/tickets/${id}/service-record.pdf`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(pdf.status).toBe(200);
  const file = join(dir, `record-${id}.pdf`);
  writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  await page.goto(`${url}/#/service/${id}`);
  await page.locator(`[data-record="${id}"]`).waitFor();
  await page.locator('.service-record-panel').screenshot({ path: `/tmp/svcrec-ticket-${locale}.png` });
  return execFileSync('pdftotext', [file, '-']).toString();
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  run = await startDemoInBrowser({ seed: 19 });
  url = run.demo.server.url;
  admin = (await api(undefined, 'POST', '/auth/login', { username: 'admin', password: 'admin' })).body.token;
  const settings = await api(admin, 'PUT', '/notifications/settings', {
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'Aftercare <service@aftercare.test>' },
    customers: { enabled: true, language: 'zh-CN', salesEmail: SALES },
  });
  expect(settings.status).toBe(200);
  const assets = run.demo.server.service?.stores.assets;
  const customer = (await assets?.customers())?.find((row) => row.id === 'demo-water');
  if (!assets || !customer) throw new Error('no demo customer');
  const { retired_at: _retired, ...kept } = customer;
  await assets.upsertCustomer({ ...kept, contacts: JSON.stringify([{ name: '王经理', email: CONTACT }]) });
  await api(admin, 'PUT', '/depots/north', { name: '北区备件库' });
  await api(admin, 'PUT', '/parts/SEAL-25', {
    nameZh: '机械密封 25mm',
    nameEn: 'Mechanical seal 25 mm',
    unitCostCents: 12_000,
  });
  await api(admin, 'PUT', '/depots/north/stock', { part: 'SEAL-25', quantity: 5 });
}, 300_000);

afterAll(async () => {
  await run?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('zh-CN: a technician fills, the customer signs, the PDF is archived and mailed', async () => {
  const id = await onSiteTicket('2号泵机封漏水');
  const page = await phonePage('zh-CN');
  const text = await fillRecord(page, id, 'zh-CN', '更换2号泵机械密封，试运行无渗漏');
  for (const words of [
    '售后服务单',
    `工单号: ${id}`,
    '更换2号泵机械密封',
    '机械密封 25mm',
    '出口压力',
    '0.45',
    '机械密封泄漏',
    '王经理',
  ])
    expect(text).toContain(words);
  const subject = `工单 #${id} 售后服务单`;
  const records = () => smtp.mails.filter((mail) => mail.subject === subject);
  for (let tries = 0; records().length < 2 && tries < 200; tries++)
    await new Promise((r) => setTimeout(r, 50));
  expect(
    records()
      .map((mail) => mail.to)
      .sort(),
  ).toEqual([CONTACT, SALES].sort());
  for (const mail of records())
    expect(mail.attachments).toEqual([
      expect.objectContaining({ filename: `service-record-${id}.pdf`, contentType: 'application/pdf' }),
    ]);
  const ticket = await api(admin, 'GET', `/tickets/${id}`);
  expect(ticket.body.ticket.state).toBe('signed_off');
  const care = await api(admin, 'GET', `/tickets/${id}/care`);
  expect(care.body.photos).toHaveLength(1);
}, 240_000);

test('en: the record in English', async () => {
  const id = await onSiteTicket('Pump 2 seal leaking');
  const page = await phonePage('en');
  const text = await fillRecord(page, id, 'en', 'Replaced the seal of pump 2, no leak on the test run');
  for (const words of [
    'Service record',
    'Replaced the seal of pump 2',
    'Mechanical seal 25 mm',
    'Mechanical seal leak',
    '王经理',
  ])
    expect(text).toContain(words);
}, 240_000);
