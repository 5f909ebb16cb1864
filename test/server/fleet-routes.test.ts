import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const DAY = 86_400_000;
let now = Date.now();
const day = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().slice(0, 10);
let layer: ServiceLayer;
let rest: RoleApi;

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  rest = await serveWithTestRoles([...layer.routers]);
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

const acme = {
  id: 'acme',
  name: '阳光物业',
  address: '上海市浦东新区',
  phone: '021-5555 0101',
  contacts: [{ name: '王经理', role: '物业经理', phone: '+86 138 0000 0000', wechat: 'wang_pm01' }],
};

async function actions(): Promise<string[]> {
  const audit = await rest.call('GET', '/audit?limit=100', 'admin');
  return audit.body.entries.map(
    (entry: { action: string; target: string }) => `${entry.action} ${entry.target}`,
  );
}

describe('customers', () => {
  test('an admin creates, lists, changes and retires a customer; each step is audited', async () => {
    const created = await rest.call('POST', '/customers', 'admin', acme);
    expect(created.status).toBe(201);
    expect(created.body.customer).toEqual({ ...acme, retiredAt: null });

    const changed = await rest.call('PUT', '/customers/acme', 'admin', {
      ...acme,
      id: undefined,
      name: '阳光物业集团',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.customer.name).toBe('阳光物业集团');

    expect((await rest.call('POST', '/customers', 'admin', { id: 'gone', name: 'Gone Ltd' })).status).toBe(
      201,
    );
    now += 1000;
    expect((await rest.call('DELETE', '/customers/gone', 'admin')).status).toBe(204);
    const list = await rest.call('GET', '/customers', 'operator');
    expect(list.body.customers.map((c: { id: string }) => c.id)).toEqual(['acme']);
    const withRetired = await rest.call('GET', '/customers?retired=true', 'operator');
    expect(withRetired.body.customers.find((c: { id: string }) => c.id === 'gone').retiredAt).toBe(now);

    expect(await actions()).toEqual(
      expect.arrayContaining([
        'customer.create customer/acme',
        'customer.update customer/acme',
        'customer.retire customer/gone',
      ]),
    );
  });

  test.each([
    ['POST', '/customers', { id: 'bad id!', name: 'x' }, 400, 'id'],
    ['POST', '/customers', { id: 'x1', name: '' }, 400, 'name'],
    [
      'POST',
      '/customers',
      { id: 'x1', name: 'X', contacts: [{ name: 'A', wechat: '1bad' }] },
      400,
      'contacts.0.wechat',
    ],
    [
      'POST',
      '/customers',
      { id: 'x1', name: 'X', contacts: [{ name: 'A', email: 'no-at' }] },
      400,
      'contacts.0.email',
    ],
    ['POST', '/customers', { id: 'x1', name: 'X', phone: 'call me' }, 400, 'phone'],
  ])('%s %s %j answers %i naming %s', async (method, path, body, status, field) => {
    const answer = await rest.call(method, path, 'admin', body);
    expect(answer.status).toBe(status);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(field);
  });

  test('a taken id is 409, an unknown id 404, a customer with sites cannot be retired, and only an admin writes', async () => {
    const taken = await rest.call('POST', '/customers', 'admin', { id: 'acme', name: 'Again' });
    expect(taken).toMatchObject({
      status: 409,
      body: { code: 'error.fleet.idTaken', params: { id: 'acme' } },
    });
    // A retired id stays taken: tickets and history refer to it.
    expect((await rest.call('POST', '/customers', 'admin', { id: 'gone', name: 'Back' })).status).toBe(409);
    const unknown = await rest.call('PUT', '/customers/nobody', 'admin', { name: 'N' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'error.noCustomer' } });
    expect((await rest.call('DELETE', '/customers/nobody', 'admin')).status).toBe(404);
    expect((await rest.call('PUT', '/customers/gone', 'admin', { name: 'G' })).body.code).toBe(
      'error.fleet.retired',
    );
    for (const role of ['operator', 'engineer', 'service']) {
      expect((await rest.call('POST', '/customers', role, { id: 'z', name: 'Z' })).status).toBe(403);
    }
    expect((await rest.call('GET', '/customers', null)).status).toBe(401);
  });
});

describe('sites', () => {
  test('a site is created for a customer, changed, and cannot be made for an unknown or retired customer', async () => {
    const east = {
      id: 'east',
      customerId: 'acme',
      name: '东区二次供水',
      timeZone: 'Asia/Shanghai',
      latitude: 31.2,
      longitude: 121.5,
    };
    const created = await rest.call('POST', '/sites', 'admin', east);
    expect(created.status).toBe(201);
    expect(created.body.site).toEqual({ ...east, address: '', retiredAt: null });
    expect((await rest.call('POST', '/sites', 'admin', { ...east, id: 'west' })).status).toBe(201);
    const moved = await rest.call('PUT', '/sites/west', 'admin', {
      customerId: 'acme',
      name: '西区',
      timeZone: 'Asia/Urumqi',
    });
    expect(moved.body.site).toMatchObject({ name: '西区', timeZone: 'Asia/Urumqi', latitude: null });

    const unknown = await rest.call('POST', '/sites', 'admin', { ...east, id: 's2', customerId: 'nobody' });
    expect(unknown).toMatchObject({
      status: 400,
      body: { code: 'error.noCustomer', params: { field: 'customerId' } },
    });
    const retired = await rest.call('POST', '/sites', 'admin', { ...east, id: 's2', customerId: 'gone' });
    expect(retired).toMatchObject({
      status: 400,
      body: { code: 'error.fleet.retired', params: { field: 'customerId' } },
    });
    const zone = await rest.call('POST', '/sites', 'admin', { ...east, id: 's2', timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect(zone.body.issues[0].path).toBe('timeZone');
    expect((await rest.call('POST', '/sites', 'admin', east)).status).toBe(409);
    expect((await rest.call('PUT', '/sites/nowhere', 'admin', { ...east, id: undefined })).status).toBe(404);

    const inUse = await rest.call('DELETE', '/customers/acme', 'admin');
    expect(inUse).toMatchObject({ status: 409, body: { code: 'error.fleet.inUse', params: { id: 'acme' } } });
    expect((await rest.call('GET', '/sites?customer=acme', 'service')).body.sites).toHaveLength(2);
  });
});

describe('contracts', () => {
  const contract = {
    id: 'c-2026',
    customerId: 'acme',
    name: '维保合同 2026',
    slaPolicyId: 'standard',
    startsOn: day(-30),
    endsOn: day(335),
    warranty: { equipmentYears: 2, parts: [{ part: 'motor', months: 36 }], softwareLifetime: true },
  };

  test('a contract with warranty terms is created, listed, replaced and retired', async () => {
    const policy = (await rest.call('GET', '/sla-policies', 'admin')).body.policies[0].id;
    contract.slaPolicyId = policy;
    const created = await rest.call('POST', '/contracts', 'admin', contract);
    expect(created.status).toBe(201);
    expect(created.body.contract).toEqual({ ...contract, warrantyTerms: '', retiredAt: null });
    const listed = await rest.call('GET', '/contracts', 'operator');
    expect(listed.body.contracts[0]).toMatchObject({
      id: 'c-2026',
      warranty: contract.warranty,
      retired_at: null,
    });

    // The old PUT still takes a body without warranty terms (the defaults apply).
    const { id: _, warranty: __, ...old } = contract;
    const put = await rest.call('PUT', '/contracts/c-old', 'admin', old);
    expect(put.status).toBe(200);
    expect(put.body.contract.warranty).toEqual({ equipmentYears: 1, parts: [], softwareLifetime: false });
    expect((await rest.call('DELETE', '/contracts/c-old', 'admin')).status).toBe(204);
    expect((await rest.call('PUT', '/contracts/c-old', 'admin', old)).status).toBe(409);
    expect(
      (await rest.call('GET', '/contracts', 'admin')).body.contracts.map((c: { id: string }) => c.id),
    ).toEqual(['c-2026']);
  });

  test.each([
    [{ endsOn: '2020-01-01' }, 400, 'endsOn'],
    [{ startsOn: '1 May' }, 400, 'startsOn'],
    [{ warranty: { equipmentYears: -1 } }, 400, 'warranty.equipmentYears'],
    [{ id: 'c-2026' }, 409, 'id'],
    [{ customerId: 'nobody' }, 400, 'customerId'],
    [{ slaPolicyId: 'no-such-policy' }, 400, 'slaPolicyId'],
  ])('%j answers %i naming %s', async (change, status, field) => {
    const answer = await rest.call('POST', '/contracts', 'admin', { ...contract, id: 'c-x', ...change });
    expect(answer.status).toBe(status);
    const named = answer.body.issues?.map((issue: { path: string }) => issue.path) ?? [
      answer.body.params.field,
    ];
    expect(named).toContain(field);
  });
});

describe('stations and pumps', () => {
  const station = {
    name: '1号泵房',
    profile: 'booster-3p-380',
    endpoint: { tcp: { host: '10.0.0.21', port: 502, unitId: 1 } },
    contractId: 'c-2026',
    model: 'HB-3',
    serialNumber: 'S-001',
  };

  test('a station gets a profile, an endpoint and an edge of its site; a pump its sale and install dates', async () => {
    await layer.db
      .insertInto('edges')
      .values([
        { id: 'east-gw', site_id: 'east', created_at: now },
        { id: 'west-gw', site_id: 'west', created_at: now },
        { id: 'old-gw', site_id: 'east', created_at: now, retired_at: now },
      ])
      .execute();
    const put = await rest.call('PUT', '/assets/stations/east/st1', 'admin', {
      ...station,
      edgeId: 'east-gw',
    });
    expect(put.status).toBe(200);
    expect(put.body.station).toMatchObject({
      profile: 'booster-3p-380',
      endpoint: { tcp: { host: '10.0.0.21', port: 502, unitId: 1 } },
      edge_id: 'east-gw',
      retired_at: null,
    });
    const pump = await rest.call('PUT', '/assets/stations/east/st1/pumps/1', 'admin', {
      model: 'CR 10-6',
      serialNumber: 'P-1',
      saleDate: day(-60),
      installDate: day(-40),
    });
    expect(pump.status).toBe(200);
    expect(pump.body.pump).toMatchObject({ sale_date: day(-60), install_date: day(-40) });
    const rtu = { rtu: { path: '/dev/ttyS1', baudRate: 9600, unitId: 3 } };
    const st2 = await rest.call('PUT', '/assets/stations/east/st2', 'admin', { name: '2号', endpoint: rtu });
    expect(st2.body.station.endpoint).toEqual({
      rtu: { ...rtu.rtu, parity: 'none', dataBits: 8, stopBits: 1 },
    });
  });

  test.each([
    [{ edgeId: 'west-gw' }, 400, 'edgeId', 'error.fleet.edgeOtherSite'],
    [{ edgeId: 'old-gw' }, 400, 'edgeId', 'error.fleet.retired'],
    [{ edgeId: 'no-gw' }, 400, 'edgeId', 'error.fleet.noEdge'],
    [{ contractId: 'c-old' }, 400, 'contractId', 'error.fleet.retired'],
    [{ endpoint: { tcp: { host: '10.0.0.21', port: 70000 } } }, 400, 'endpoint', 'error.invalidRequest'],
    [
      { endpoint: { rtu: { path: '/dev/ttyS1', baudRate: 1234, unitId: 1 } } },
      400,
      'endpoint',
      'error.invalidRequest',
    ],
    [{ profile: 'Bad Profile' }, 400, 'profile', 'error.invalidRequest'],
  ])('%j answers %i naming %s', async (change, status, field, code) => {
    const answer = await rest.call('PUT', '/assets/stations/east/st3', 'admin', { ...station, ...change });
    expect(answer).toMatchObject({ status, body: { code } });
    expect(answer.body.error).toContain(field);
  });

  test('a pump date is checked, an unknown site or station is 404, and a retired station leaves the list', async () => {
    const bad = await rest.call('PUT', '/assets/stations/east/st1/pumps/2', 'admin', { saleDate: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('saleDate');
    expect((await rest.call('PUT', '/assets/stations/plant1/st1', 'admin', station)).status).toBe(404);
    expect((await rest.call('PUT', '/assets/stations/east/nope/pumps/1', 'admin', {})).status).toBe(404);
    expect((await rest.call('DELETE', '/assets/stations/east/nope', 'admin')).status).toBe(404);
    expect((await rest.call('DELETE', '/contracts/c-2026', 'admin')).status).toBe(409);
    expect((await rest.call('DELETE', '/sites/east', 'admin')).body.code).toBe('error.fleet.inUse');

    expect((await rest.call('DELETE', '/assets/stations/east/st2', 'admin')).status).toBe(204);
    expect((await rest.call('DELETE', '/assets/stations/east/st1', 'operator')).status).toBe(403);
    const list = await rest.call('GET', '/assets/stations?site=east', 'operator');
    expect(list.body.stations.map((s: { id: string }) => s.id)).toEqual(['st1']);
    const all = await rest.call('GET', '/assets/stations?site=east&retired=true', 'operator');
    expect(all.body.stations.map((s: { id: string }) => s.id)).toEqual(['st1', 'st2']);
    expect((await rest.call('PUT', '/assets/stations/east/st2', 'admin', station)).status).toBe(409);
    expect(await actions()).toContain('station.retire station/east/st2');
  });
});
