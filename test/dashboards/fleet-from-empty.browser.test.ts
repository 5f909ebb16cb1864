import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { hashSecret } from '../../core/secrets.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { DASHBOARDS_DIST } from '../../dashboards/build.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { connectClient, endAll, TEST_COST } from '../broker/support.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';
import { type CollectedChild, spawnCollecting, stopChild } from '../support/child-process.ts';

/**
 * Issue 16's whole path, as a service company meets it: `aftercare broker` and `aftercare server`
 * on an empty data directory with an accounts file; the admin builds the fleet in the pages
 * (customer, site, contract, two stations from a CSV file), provisions an edge there, and starts
 * `aftercare edge` with the config the page handed out, against the simulator. Live values arrive;
 * a pump trip opens a ticket with the contract's SLA and the pump's warranty; a reset from the
 * station page brings the pump back and is in the audit log. An operator cannot provision an edge,
 * and the edge's credentials cannot publish another site's topics.
 */
const dir = mkdtempSync(join(tmpdir(), 'aftercare-fleet-e2e-'));
const edgesFile = join(dir, 'provisioned-edges.json');
const children: ChildProcess[] = [];
const clients: MqttClient[] = [];
const ADMIN = { username: 'chief', password: 'Pump-House-Chief-2026' };
const OPERATOR = { username: 'duty', password: 'Night-Shift-Duty-2026' };
let brokerUrl: string;
let serverUrl: string;
let server: CollectedChild;
let edge: CollectedChild | undefined;
let sim: RunningSimulator;
let browser: Browser;
let page: Page;
let edgePassword = '';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${what}: not within ${ms} ms\nserver said: ${server?.output().slice(-1500)}\nedge said: ${edge?.output().slice(-1500)}`,
  );
}

async function signInApi(who: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** The test reads the JSON answers field by field. */
// biome-ignore lint/suspicious/noExplicitAny: JSON.parse's answers, read field by field
type Json = any;

async function api(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${serverUrl}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const shot = (name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `fleet-from-empty-${name}.png`), fullPage: true });

async function section(name: string) {
  await page.goto(`${serverUrl}/#/admin/${name}`);
  await page.locator(name === 'edges' ? '.edge-create' : '.fleet-section').waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  const brokerPort = await freePort();
  brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
  const usersFile = join(dir, 'broker.json');
  writeFileSync(
    usersFile,
    JSON.stringify({
      users: [
        { username: 'server', role: 'server', passwordHash: await hashSecret('srv-secret', TEST_COST) },
      ],
    }),
  );
  spawnCollecting(
    [
      'bin/aftercare.js',
      'broker',
      '--port',
      String(brokerPort),
      '--users',
      usersFile,
      '--edges-file',
      edgesFile,
    ],
    { env: { LOG_LEVEL: 'warn', AFTERCARE_BROKER_EDGES_FILE: '' } },
    children,
  );
  const accountsFile = join(dir, 'accounts.yaml');
  writeFileSync(
    accountsFile,
    JSON.stringify({
      accounts: [
        { username: ADMIN.username, role: 'admin', passwordHash: await hashSecret(ADMIN.password) },
        { username: OPERATOR.username, role: 'operator', passwordHash: await hashSecret(OPERATOR.password) },
      ],
    }),
  );
  const profile = loadProfile(resolve('profiles/booster-3p-380.yaml'));
  [sim, browser] = await Promise.all([
    startSimulator({
      profile,
      stations: [
        { id: 'f1', port: 0 },
        { id: 'f2', port: 0 },
      ],
      controlPort: 0,
      seed: 11,
      logger: silentLogger(),
    }),
    launchChromium(),
  ]);
  const serverPort = await freePort();
  serverUrl = `http://127.0.0.1:${serverPort}`;
  server = spawnCollecting(
    [
      'bin/aftercare.js',
      'server',
      '--port',
      String(serverPort),
      '--mqtt-url',
      brokerUrl,
      '--mqtt-username',
      'server',
      '--data-dir',
      join(dir, 'data'),
      '--accounts',
      accountsFile,
      '--static-dir',
      DASHBOARDS_DIST,
      '--profiles',
      resolve('profiles/booster-3p-380.yaml'),
      '--edges-file',
      edgesFile,
    ],
    {
      env: {
        LOG_LEVEL: 'warn',
        MQTT_PASSWORD: 'srv-secret',
        AUTH_SECRET: randomBytes(32).toString('base64url'),
        AFTERCARE_EDGE_MQTT_URL: brokerUrl,
        AFTERCARE_EDGE_PROFILES_DIR: resolve('profiles'),
        DATABASE_URL: '',
        AFTERCARE_ACCOUNTS: '',
      },
    },
    children,
  );
  await until(
    'the server',
    async () => ((await fetch(`${serverUrl}/api/health`).catch(() => undefined))?.ok ? true : undefined),
    120_000,
  );
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 1000 },
  });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await endAll(clients);
  await browser?.close();
  for (const child of children.reverse()) await stopChild(child);
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a real fleet from an empty database, in Chinese', () => {
  test('the database starts empty: no customer, site, station or ticket', async () => {
    const token = await signInApi(ADMIN);
    for (const path of ['/customers', '/sites', '/assets/stations', '/tickets']) {
      const answer = await api(token, 'GET', path);
      expect(answer.status).toBe(200);
      expect(Object.values(answer.body)[0]).toEqual([]);
    }
  });

  test('the admin builds the fleet in the pages and provisions its edge', { timeout: 240_000 }, async () => {
    await page.goto(serverUrl);
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();

    await section('customers');
    await page.locator('button.new-row').click();
    await page.locator('#customer-id').fill('east-water');
    await page.locator('#customer-name').fill('东区供水公司');
    await page.locator('#customer-phone').fill('+86 571 8888 0000');
    await page.locator('#customer-form button[type=submit]').click();
    await expect.poll(() => page.locator('tr[data-id="east-water"]').count(), { timeout: 20_000 }).toBe(1);

    await section('sites');
    await page.locator('button.new-row').click();
    await page.locator('#site-id').fill('east');
    await page.locator('#site-customer').selectOption('east-water');
    await page.locator('#site-name').fill('东区加压站');
    await page.locator('#site-form button[type=submit]').click();
    await expect.poll(() => page.locator('tr[data-id="east"]').count(), { timeout: 20_000 }).toBe(1);

    await section('contracts');
    await page.locator('button.new-row').click();
    await page.locator('#contract-id').fill('c-east');
    await page.locator('#contract-customer').selectOption('east-water');
    await page.locator('#contract-name').fill('二次供水设备维保 2026');
    await page.locator('#contract-sla').selectOption('water-supply-bid');
    await page.locator('#contract-years').fill('5');
    await page.locator('#contract-form button[type=submit]').click();
    await expect.poll(() => page.locator('tr[data-id="c-east"]').count(), { timeout: 20_000 }).toBe(1);

    await section('import');
    const { f1, f2 } = sim.ports as Record<string, number>;
    const csv = [
      'siteId,id,name,profile,endpoint.tcp.host,endpoint.tcp.port,contractId,pump1.model,pump1.serialNumber,pump2.model,pump3.model',
      `east,f1,1号泵房,booster-3p-380,127.0.0.1,${f1},c-east,CR 10-6,P1-2026-001,CR 10-6,CR 10-6`,
      `east,f2,2号泵房,booster-3p-380,127.0.0.1,${f2},c-east,CR 15,,CR 15,CR 15`,
    ].join('\n');
    await page.locator('#import-file').setInputFiles({
      name: 'stations.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    const outcome = page.locator('.import-outcome');
    await page.locator('.import-section .actions button').first().click();
    await expect.poll(() => outcome.textContent(), { timeout: 20_000 }).toContain('没有错误');
    await page.locator('.import-section .actions button.ghost').click();
    await expect.poll(() => outcome.textContent(), { timeout: 20_000 }).toContain('已导入');
    await shot('import');

    // Accepted today: the warranty starts and the pumps carry it into their tickets.
    const token = await signInApi(ADMIN);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const accepted = await api(token, 'PUT', '/assets/stations/east/f1/acceptance', {
      acceptedOn: yesterday,
      acceptedBy: '王丽',
      nominalVoltage: 380,
      dielectric: { testVoltage: 2500, seconds: 60, passed: true },
      earth: { resistanceOhms: 1.2, passed: true },
    });
    expect(accepted.status).toBe(200);

    await section('edges');
    await page.locator('#edge-id').fill('gw-east');
    await page.locator('#edge-name').fill('东区网关');
    await page.locator('#edge-site').selectOption('east');
    await page.getByRole('checkbox', { name: 'f1' }).check();
    await page.getByRole('checkbox', { name: 'f2' }).check();
    await page.locator('.edge-create button[type=submit]').click();
    await page.locator('.edge-secret').waitFor({ timeout: 20_000 });
    const password = ((await page.locator('.edge-password').textContent()) ?? '').trim();
    const config = (await page.locator('.edge-config').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    edgePassword = password;
    expect(config).toContain('edgeId: gw-east');
    await shot('edge-credentials');

    const configFile = join(dir, 'gw-east.yaml');
    writeFileSync(configFile, config);
    edge = spawnCollecting(
      ['bin/aftercare.js', 'edge', '--config', configFile, '--stats-every', '0'],
      { env: { MQTT_PASSWORD: password, MQTT_URL: '', MQTT_USERNAME: '', LOG_LEVEL: 'warn' } },
      children,
    );
    const live = await until('live values of f1', async () => {
      const answer = await api(token, 'GET', '/stations/f1');
      return answer.status === 200 && answer.body.values?.['pressure.outlet'] ? answer.body : undefined;
    });
    expect(live.site).toBe('east');
    await page.goto(`${serverUrl}/#/station/f1`);
    await expect
      .poll(() => page.locator('[data-meaning="pressure.outlet"]').first().textContent(), { timeout: 30_000 })
      .toMatch(/\d/);
    await shot('station-live');
  });

  test('a pump trip opens a ticket with the contract SLA and the pump warranty; a reset from the page brings the pump back', {
    timeout: 180_000,
  }, async () => {
    const token = await signInApi(ADMIN);
    sim.inject('f1', 'pump_trip', { pump: 1 });
    const ticket = await until('the trip ticket', async () => {
      const { body } = await api(token, 'GET', '/tickets?station=f1');
      return body.tickets.find((t: { faultClass: string }) => t.faultClass === 'pump_trip');
    });
    expect(ticket).toMatchObject({
      site: 'east',
      pump: 1,
      contractId: 'c-east',
      slaPolicyId: 'water-supply-bid',
    });
    expect(ticket.equipment).toMatchObject({ model: 'CR 10-6', serial: 'P1-2026-001', inWarranty: true });
    expect(ticket.equipment.warrantyEnd > new Date().toISOString().slice(0, 10)).toBe(true);

    await page.goto(`${serverUrl}/#/station/f1`);
    const panel = page.locator('.command-panel');
    const reset = panel.locator('[data-command="reset_trip-1"]');
    await reset.waitFor({ timeout: 30_000 });
    await reset.click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog.textContent()).resolves.toContain('f1');
    await dialog.locator('[data-confirm]').click();
    await panel.locator('.command-status[data-status="confirmed"]').waitFor({ timeout: 40_000 });
    await shot('reset-confirmed');
    expect(sim.readings('f1')['pump[1].fault']).toBe(false);
    const audit = await api(token, 'GET', '/audit?action=command.reset_trip');
    expect(audit.body.entries[0]).toMatchObject({
      actor: ADMIN.username,
      result: 'ok',
      target: 'station/east/f1',
    });
  });

  test('an operator cannot provision an edge', async () => {
    const token = await signInApi(OPERATOR);
    const refused = await api(token, 'POST', '/edges', { id: 'gw-rogue', siteId: 'east', stations: [] });
    expect(refused.status).toBe(403);
  });

  test("the edge's credentials cannot publish another site's topics", { timeout: 60_000 }, async () => {
    const token = await signInApi(ADMIN);
    const west = await api(token, 'POST', '/sites', { id: 'west', customerId: 'east-water', name: '西区' });
    expect(west.status).toBe(201);
    const spoof = await connectClient(brokerUrl, {
      username: 'edge-gw-east',
      password: edgePassword,
      clientId: 'gw-east-spoof',
    });
    clients.push(spoof);
    const closed = new Promise<void>((done) => spoof.once('close', () => done()));
    const forged = {
      v: 1,
      site: 'west',
      station: 'w1',
      edge: 'gw-east',
      model: 'booster-3p-380',
      seq: 1,
      ts: Date.now(),
      state: 'ok',
      values: {},
    };
    spoof.publish(topics.telemetry('west', 'w1'), JSON.stringify(forged), { qos: 1 });
    // The broker refuses the publish by dropping the connection (MQTT 3.1.1 has no PUBACK refusal).
    await closed;
    const stations = await api(token, 'GET', '/stations');
    expect(stations.body.map((s: { site: string }) => s.site)).not.toContain('west');
  });
});
