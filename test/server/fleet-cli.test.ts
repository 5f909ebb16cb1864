import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { hashSecret } from '../../core/secrets.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { spawnCollecting, stopChild } from '../support/child-process.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-fleet-cli-'));
const children: ChildProcess[] = [];
let broker: RunningMosquitto;
let server: RunningServer;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    accounts: [
      { username: 'boss', passwordHash: await hashSecret('boss-pass'), role: 'admin' },
      { username: 'east-op', passwordHash: await hashSecret('east-pass'), role: 'operator', sites: ['east'] },
    ],
  });
}, 120_000);

afterAll(async () => {
  for (const child of children) await stopChild(child);
  await server?.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function fleet(args: string[], env: Record<string, string> = {}) {
  const run = spawnCollecting(
    ['bin/aftercare.js', 'fleet', ...args, '--server', server.url],
    { env: { AFTERCARE_TOKEN: '', AFTERCARE_PASSWORD: 'boss-pass', ...env } },
    children,
  );
  const code = await run.exited;
  return { code, output: run.output() };
}

const SITES = `id,customerId,name,timeZone
east,acme,东区,Asia/Shanghai
west,acme,西区,Asia/Shanghai
`;
const STATIONS = `siteId,id,name,endpoint.tcp.host,endpoint.tcp.port,pump1.model,pump1.saleDate,pump2.model
east,st1,1号泵房,10.0.0.1,502,CR 10,2026-01-05,CR 10
west,st2,2号泵房,10.0.0.2,502,CR 15,,
`;
const BAD = `siteId,id,name,endpoint.tcp.host,endpoint.tcp.port,pump1.saleDate
east,st 3,3号,10.0.0.3,502,
nowhere,st4,4号,10.0.0.4,502,
east,st5,5号,10.0.0.5,70000,2026-02-31
`;

describe('aftercare fleet', () => {
  test('import: a dry run, then the files, then a file with mistakes printed as FILE:ROW field: message', async () => {
    writeFileSync(join(dir, 'customers.yaml'), 'customers:\n  - id: acme\n    name: 阳光物业\n');
    writeFileSync(join(dir, 'sites.csv'), SITES);
    writeFileSync(join(dir, 'stations.csv'), STATIONS);
    writeFileSync(join(dir, 'bad.csv'), BAD);

    const dry = await fleet(['import', join(dir, 'customers.yaml'), '--dry-run', '--user', 'boss']);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.output).toContain('would import: created 1 customers');
    for (const file of ['customers.yaml', 'sites.csv', 'stations.csv']) {
      const done = await fleet(['import', join(dir, file), '--user', 'boss']);
      expect(done.output).toContain('imported');
      expect(done.code).toBe(0);
    }

    const bad = await fleet(['import', join(dir, 'bad.csv'), '--user', 'boss']);
    expect(bad.code).toBe(1);
    const path = join(dir, 'bad.csv');
    expect(bad.output).toContain(`${path}:2 id: is not 1-64 letters, digits, _ or -`);
    expect(bad.output).toContain(`${path}:3 siteId: no site nowhere`);
    expect(bad.output).toContain(`${path}:4 endpoint.tcp.port: Too big`);
    expect(bad.output).toContain(`${path}:4 pump1.saleDate: is not a day of the calendar`);
    expect(bad.output).toContain('refused');
  }, 120_000);

  test('export: YAML to a file and stations CSV to standard output, with a token', async () => {
    const token = (await server.tokens.issue({ username: 'boss', role: 'admin' })).token;
    const out = join(dir, 'fleet.yaml');
    const yaml = await fleet(['export', '--out', out], { AFTERCARE_TOKEN: token });
    expect(yaml.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/stations:\n {2}- siteId: east\n {4}id: st1/);
    const csv = await fleet(['export', '--format', 'csv', '--kind', 'stations'], { AFTERCARE_TOKEN: token });
    expect(csv.output).toContain('pump2.model');
    expect(csv.output).toContain('east,st1,1号泵房');
  }, 120_000);

  test('a wrong password or a user who is not an admin is refused with exit code 2', async () => {
    const wrong = await fleet(['export', '--user', 'boss'], { AFTERCARE_PASSWORD: 'nope' });
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('HTTP 401');
    const operator = await fleet(['import', join(dir, 'sites.csv'), '--user', 'east-op'], {
      AFTERCARE_PASSWORD: 'east-pass',
    });
    expect(operator.code).toBe(2);
    expect(operator.output).toContain('HTTP 403');
  }, 120_000);

  test('a user bound to a site reads only that site, its customer and its stations', async () => {
    const token = (await server.tokens.issue({ username: 'east-op', role: 'operator', sites: ['east'] }))
      .token;
    const get = async (path: string) =>
      (await (
        await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, { id: string }[]>;
    expect((await get('/sites')).sites?.map((s) => s.id)).toEqual(['east']);
    expect((await get('/customers')).customers?.map((c) => c.id)).toEqual(['acme']);
    expect((await get('/assets/stations')).stations?.map((s) => s.id)).toEqual(['st1']);
  });
});
