import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { topics } from '../../core/telemetry/topics.ts';
import { connectClient } from '../broker/support.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { type DemoInBrowser, startDemoInBrowser } from '../support/demo-browser.ts';

// The admin section "Edge gateways" in the demo: create an edge (its password and config shown once,
// with a download), give it a new password, revoke it; in English and Chinese, at 1600 and 390 px.
let run: DemoInBrowser;

beforeAll(async () => {
  run = await startDemoInBrowser({ seed: 2 });
}, 300_000);

afterAll(async () => {
  await run?.close();
});

describe('admin: edge gateways', () => {
  test('create shows the credentials and config once; rotate and revoke change the row', {
    timeout: 180_000,
  }, async () => {
    const page = await run.signIn('admin');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${run.demo.server.url}/#/admin/edges`);
    await page.locator('.edge-create').waitFor();
    await expect.poll(() => page.locator('.edges-empty').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.locator('#edge-id').fill('gw-browser');
    await page.locator('#edge-name').fill('Pump house gateway');
    await page.locator('#edge-site').selectOption('demo');
    await page.getByRole('checkbox', { name: 'st1' }).check();
    await page.getByRole('button', { name: 'Create and show its password' }).click();

    const secret = page.locator('.edge-secret');
    await secret.waitFor({ timeout: 20_000 });
    const password = (await page.locator('.edge-password').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(32);
    const config = (await page.locator('.edge-config').textContent()) ?? '';
    expect(config).toContain('edgeId: gw-browser');
    expect(config).toContain('username: edge-gw-browser');
    expect(config).not.toContain(password);
    expect(await page.getByRole('link', { name: 'Download the config file' }).getAttribute('download')).toBe(
      'edge-gw-browser.yaml',
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-edges-created.png'), fullPage: true });
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => secret.count()).toBe(0);

    const row = page.locator('tr[data-edge="gw-browser"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('never_connected');
    expect(await row.textContent()).toContain('st1');

    // The demo's own broker learned the new edge from the file: its password works, for st1 only.
    const client = await connectClient(run.demo.broker.url, { username: 'edge-gw-browser', password });
    await client.publishAsync(topics.events('demo', 'st1'), '{}', { qos: 1 });
    const dropped = new Promise<void>((done) => client.once('close', () => done()));

    await row.getByRole('button', { name: 'New password' }).click();
    await page.locator('.edge-secret').waitFor();
    const renewed = (await page.locator('.edge-password').textContent()) ?? '';
    expect(renewed).not.toBe(password);
    await dropped;
    const refused = await connectClient(run.demo.broker.url, { username: 'edge-gw-browser', password }).then(
      (c) => c.endAsync(true).then(() => 'connected'),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/Bad username or password/i);
    await page.getByRole('button', { name: 'I have saved them' }).click();

    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('revoked');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'admin-edges-revoked.png'), fullPage: true });

    const audit = await run.demo.server.service!.stores.audit.list({ action: 'edge.', limit: 10 });
    expect(audit.map((e) => e.action).sort()).toEqual(['edge.create', 'edge.revoke', 'edge.rotate']);
    await page.context().close();
  });

  test('in Chinese on a phone (390 px): the section fits and reads in Chinese', {
    timeout: 120_000,
  }, async () => {
    const context = await run.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(run.demo.server.url);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('admin');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.goto(`${run.demo.server.url}/#/admin/edges`);
    await page.locator('tr[data-edge="gw-browser"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.edge-state').first().textContent()).toBe('已吊销');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '更换密码' }).click();
    await page.locator('.edge-secret').waitFor({ timeout: 20_000 });
    expect(await page.locator('#edge-secret-title').textContent()).toContain('仅此一次显示');
    const width = (await page.evaluate(
      'Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)',
    )) as number;
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'zh-cn-390-admin-edges.png'), fullPage: true });
    expect(width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
