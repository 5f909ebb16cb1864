import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FleetImportResult } from '../../core/api/fleet.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const DAY = 86_400_000;
const now = Date.now();
const day = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().slice(0, 10);

let layer: ServiceLayer;
let rest: RoleApi;
let empty: ServiceLayer;
let emptyRest: RoleApi;

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  rest = await serveWithTestRoles([...layer.routers]);
  empty = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  emptyRest = await serveWithTestRoles([...empty.routers]);
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
  await emptyRest?.close();
  await empty?.close();
});

const GOOD_YAML = `customers:
  - id: acme
    name: 阳光物业
    phone: 021-5555 0101
    contacts:
      - name: 王经理
        phone: +86 138 0000 0000
        wechat: wang_pm01
sites:
  - id: east
    customerId: acme
    name: 东区
    timeZone: Asia/Shanghai
    latitude: 31.2
    longitude: 121.5
contracts:
  - id: c1
    customerId: acme
    name: 维保合同
    slaPolicyId: water-supply-bid
    startsOn: "${day(-10)}"
    endsOn: "${day(355)}"
    warranty:
      equipmentYears: 2
      parts:
        - part: motor
          months: 36
      softwareLifetime: true
stations:
  - siteId: east
    id: st1
    name: 1号泵房
    profile: booster-3p-380
    endpoint:
      tcp:
        host: 10.0.0.21
        port: 502
        unitId: 1
    contractId: c1
    pumps:
      - number: 1
        model: CR 10-6
        serialNumber: P-1
        saleDate: "${day(-60)}"
        installDate: "${day(-40)}"
      - number: 2
        model: CR 10-6
        serialNumber: P-2
  - siteId: east
    id: st2
    name: 2号泵房
    endpoint:
      rtu:
        path: /dev/ttyS1
        baudRate: 9600
        parity: even
        unitId: 2
    pumps:
      - model: CR 5
`;

async function importFile(
  api: RoleApi,
  file: string,
  format: string,
  text: string,
  dryRun = false,
): Promise<FleetImportResult> {
  const answer = await api.call('POST', '/fleet/import', 'admin', { file, format, text, dryRun });
  expect(answer.status).toBe(200);
  return answer.body;
}

async function count(db: ServiceLayer, table: 'customers' | 'sites' | 'contracts' | 'stations' | 'pumps') {
  const row = await db.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('fleet import', () => {
  test('a dry run of a good YAML file reports what it would create and writes nothing', async () => {
    const result = await importFile(rest, 'fleet.yaml', 'yaml', GOOD_YAML, true);
    expect(result).toEqual({
      applied: false,
      dryRun: true,
      created: { customers: 1, sites: 1, contracts: 1, stations: 2, pumps: 3 },
      updated: {},
      issues: [],
    });
    expect(await count(layer, 'customers')).toBe(0);
    expect(await count(layer, 'stations')).toBe(0);
  });

  test('a good YAML file is imported: customer, site, contract, two stations and their pumps', async () => {
    const result = await importFile(rest, 'fleet.yaml', 'yaml', GOOD_YAML);
    expect(result).toMatchObject({ applied: true, created: { stations: 2, pumps: 3 }, issues: [] });
    const stations = (await rest.call('GET', '/assets/stations?site=east', 'operator')).body.stations;
    expect(stations.map((s: { id: string }) => s.id)).toEqual(['st1', 'st2']);
    expect(stations[0]).toMatchObject({ contract_id: 'c1', profile: 'booster-3p-380' });
    expect(stations[0].pumps[0]).toMatchObject({ pump_no: 1, sale_date: day(-60), install_date: day(-40) });
    expect(stations[1].pumps[0]).toMatchObject({ pump_no: 1, model: 'CR 5' });
    expect(stations[1].endpoint).toEqual({
      rtu: { path: '/dev/ttyS1', baudRate: 9600, parity: 'even', dataBits: 8, stopBits: 1, unitId: 2 },
    });
    const audit = await rest.call('GET', '/audit?action=fleet.import', 'admin');
    expect(audit.body.entries[0]).toMatchObject({ result: 'ok', target: 'file/fleet.yaml' });
    // The same file again changes rows instead of creating them.
    const again = await importFile(rest, 'fleet.yaml', 'yaml', GOOD_YAML, true);
    expect(again).toMatchObject({ created: {}, updated: { customers: 1, stations: 2, pumps: 3 } });
  });

  test('a good stations CSV file adds two stations with their pumps', async () => {
    const csv = [
      'siteId,id,name,profile,endpoint.tcp.host,endpoint.tcp.port,endpoint.tcp.unitId,contractId,model,serialNumber,pump1.model,pump1.serialNumber,pump1.saleDate,pump2.model,pump2.installDate',
      `east,st3,"北区, 3号",booster-3p-380,10.0.0.23,502,1,c1,HB-3,S-3,CR 10,P-31,${day(-30)},CR 10,${day(-20)}`,
      'east,st4,4号泵房,,10.0.0.24,1502,7,,HB-3,S-4,CR 15,P-41,,,',
    ].join('\r\n');
    const result = await importFile(rest, 'stations.csv', 'csv', csv);
    expect(result).toMatchObject({ applied: true, created: { stations: 2, pumps: 3 }, issues: [] });
    const stations = (await rest.call('GET', '/assets/stations?site=east', 'operator')).body.stations;
    const st3 = stations.find((s: { id: string }) => s.id === 'st3');
    expect(st3).toMatchObject({
      name: '北区, 3号',
      endpoint: { tcp: { host: '10.0.0.23', port: 502, unitId: 1 } },
    });
    expect(
      st3.pumps.map((p: { pump_no: number; install_date: string | null }) => [p.pump_no, p.install_date]),
    ).toEqual([
      [1, null],
      [2, day(-20)],
    ]);
    const st4 = stations.find((s: { id: string }) => s.id === 'st4');
    expect(st4).toMatchObject({
      contract_id: null,
      profile: '',
      endpoint: { tcp: { port: 1502, unitId: 7 } },
    });
  });

  const MISTAKES_YAML = `customers:
  - id: bad id
    name: Bad
sites:
  - id: north
    customerId: nobody
    name: 北区
  - id: south
    customerId: acme
    name: 南区
    timeZone: Mars/Olympus
stations:
  - siteId: east
    id: st9
    name: 9号
    endpoint:
      tcp:
        host: 10.0.0.9
        port: 99999
  - siteId: east
    id: st9
    name: 9号 again
    pumps:
      - number: 1
        saleDate: 2026-13-45
`;

  test('a YAML file with five mistakes: each with its line and field, and nothing imported', async () => {
    const before = await Promise.all(
      (['customers', 'sites', 'stations', 'pumps'] as const).map((t) => count(layer, t)),
    );
    const result = await importFile(rest, 'bad.yaml', 'yaml', MISTAKES_YAML);
    expect(result.applied).toBe(false);
    const seen = result.issues.map((i) => [i.row, i.field, i.code]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [2, 'id', 'error.fleet.invalidValue'],
        [6, 'customerId', 'error.noCustomer'],
        [11, 'timeZone', 'error.fleet.invalidValue'],
        [19, 'endpoint.tcp.port', 'error.fleet.invalidValue'],
        [21, 'id', 'error.fleet.duplicate'],
        [25, 'pumps.0.saleDate', 'error.fleet.invalidValue'],
      ]),
    );
    expect(result.issues.every((i) => i.file === 'bad.yaml' && i.message)).toBe(true);
    const after = await Promise.all(
      (['customers', 'sites', 'stations', 'pumps'] as const).map((t) => count(layer, t)),
    );
    expect(after).toEqual(before);
    const audit = await rest.call('GET', '/audit?action=fleet.import', 'admin');
    expect(audit.body.entries[0]).toMatchObject({ result: 'refused', target: 'file/bad.yaml' });
  });

  test('a stations CSV file with five mistakes: each with its row and column, and nothing imported', async () => {
    const csv = [
      'siteId,id,name,endpoint.tcp.host,endpoint.tcp.port,contractId,edgeId,pump1.model,pump1.saleDate',
      'east,st 5,5号,10.0.0.5,502,,,,',
      'nowhere,st6,6号,10.0.0.6,502,,,,',
      'east,st7,7号,10.0.0.7,port,,,,',
      'east,st8,8号,10.0.0.8,502,c-none,,,',
      'east,st9,9号,10.0.0.9,502,,,CR 5,31/12/2026',
      'east,st9,9号,10.0.0.9,502,,,,',
    ].join('\n');
    const result = await importFile(rest, 'stations.csv', 'csv', csv);
    expect(result.applied).toBe(false);
    expect(result.issues.map((i) => [i.row, i.field, i.code])).toEqual([
      [2, 'id', 'error.fleet.invalidValue'],
      [3, 'siteId', 'error.noSite'],
      [4, 'endpoint.tcp.port', 'error.fleet.invalidValue'],
      [5, 'contractId', 'error.noContract'],
      [7, 'id', 'error.fleet.duplicate'],
      [6, 'pump1.saleDate', 'error.fleet.invalidValue'],
    ]);
    expect((await rest.call('GET', '/assets/stations?site=east', 'admin')).body.stations).toHaveLength(4);
  });

  test('an unknown column and a retired target are refused', async () => {
    const unknown = await importFile(rest, 'sites.csv', 'csv', 'id,customerId,name,colour\nx1,acme,X,red\n');
    expect(unknown.issues).toEqual([
      expect.objectContaining({ row: 1, field: 'colour', code: 'error.fleet.unknownColumn' }),
    ]);
    expect((await rest.call('DELETE', '/assets/stations/east/st4', 'admin')).status).toBe(204);
    const retired = await importFile(rest, 'stations.csv', 'csv', 'siteId,id,name\neast,st4,4号\n');
    expect(retired.issues).toEqual([
      expect.objectContaining({ row: 2, field: 'id', code: 'error.fleet.retired' }),
    ]);
  });

  test('only an admin imports or exports', async () => {
    for (const role of ['operator', 'engineer', 'service']) {
      const body = { file: 'f.yaml', format: 'yaml', text: '' };
      expect((await rest.call('POST', '/fleet/import', role, body)).status).toBe(403);
    }
    const bad = await rest.call('POST', '/fleet/import', 'admin', { file: 'f', format: 'xml', text: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('format');
  });
});

async function exported(api: RoleApi, query: string): Promise<string> {
  const answer = await api.call('GET', `/fleet/export?${query}`, 'admin');
  expect(answer.status).toBe(200);
  return answer.body as string;
}

describe('fleet export', () => {
  test('YAML: what one server exports, an empty one imports, and exports the same', async () => {
    const text = await exported(rest, 'format=yaml');
    expect(text).toContain('st3');
    expect(text).not.toContain('st4'); // retired
    const result = await importFile(emptyRest, 'export.yaml', 'yaml', text);
    expect(result).toMatchObject({ applied: true, issues: [] });
    expect(await exported(emptyRest, 'format=yaml')).toBe(text);
  });

  test('CSV: each kind exported, imported in order into an empty server, and exported the same', async () => {
    await empty.db.deleteFrom('pumps').execute();
    await empty.db.deleteFrom('stations').execute();
    await empty.db.deleteFrom('contracts').execute();
    await empty.db.deleteFrom('sites').execute();
    await empty.db.deleteFrom('customers').execute();
    for (const kind of ['customers', 'sites', 'contracts', 'stations']) {
      const text = await exported(rest, `format=csv&kind=${kind}`);
      const result = await importFile(emptyRest, `${kind}.csv`, 'csv', text);
      expect(result.issues).toEqual([]);
      expect(await exported(emptyRest, `format=csv&kind=${kind}`)).toBe(text);
    }
  });
});
