import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { render } from '../../core/i18n/render.ts';
import { silentLogger } from '../../core/log.ts';
import { acceptanceRoutes } from '../../server/assets/acceptance-routes.ts';
import { AcceptanceStore } from '../../server/assets/acceptance-store.ts';
import { maintenanceRoutes } from '../../server/maintenance/maintenance-routes.ts';
import { MaintenanceScheduler } from '../../server/maintenance/maintenance-scheduler.ts';
import { MaintenanceStore } from '../../server/maintenance/maintenance-store.ts';
import { addMonths, dayOf } from '../../server/maintenance/schedule.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const DAY = 86_400_000;
// An injected clock: the dates below are all relative to it.
const now = Date.now();
const today = dayOf(now);
const accepted = dayOf(now - 3 * DAY);

let layer: ServiceLayer;
let rest: RoleApi;
let scheduler: MaintenanceScheduler;
let acceptedCalls = 0;
const PATH = '/assets/stations/north/st7/acceptance';

const good = {
  acceptedOn: accepted,
  acceptedBy: '王工（物业）',
  nominalVoltage: 380,
  dielectric: { testVoltage: 2500, seconds: 60, passed: true },
  earth: { resistanceOhms: 0.08, passed: true },
  notes: 'yellow-green earth conductors on every door',
};

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  const { assets } = layer.stores;
  await assets.upsertCustomer({ id: 'acme', name: 'Acme Water', address: '', phone: '' });
  await assets.upsertContract({
    id: 'acme-2026',
    customer_id: 'acme',
    name: 'Booster stations',
    sla_policy_id: 'water-supply-bid',
    starts_on: dayOf(now - 100 * DAY),
    ends_on: null,
    warranty_terms: '',
    warranty: JSON.stringify({
      equipmentYears: 5,
      parts: [{ part: 'pump', months: 24 }],
      softwareLifetime: true,
    }),
  });
  await assets.upsertSite({ id: 'north', customer_id: 'acme', name: 'North', address: '', thresholds: {} });
  for (const id of ['st7', 'st8']) {
    await assets.upsertStation({
      site_id: 'north',
      id,
      name: id,
      model: 'booster',
      serial_number: '',
      acceptance_date: null,
      warranty_end: null,
      contract_id: id === 'st7' ? 'acme-2026' : null,
    });
    for (const pump of [1, 2])
      await assets.upsertPump({
        site_id: 'north',
        station_id: id,
        pump_no: pump,
        model: 'CDLF 32-4',
        serial_number: '',
        acceptance_date: null,
        warranty_end: null,
      });
  }
  const store = new MaintenanceStore(layer.db);
  const deps = { store, tickets: layer.stores.tickets, assets };
  scheduler = new MaintenanceScheduler({ ...deps, events: layer.events, logger: silentLogger() });
  rest = await serveWithTestRoles([
    acceptanceRoutes({
      store: new AcceptanceStore(layer.db, layer.stores.audit),
      audit: layer.stores.audit,
      clock: () => now,
      accepted: () => {
        acceptedCalls += 1;
      },
    }),
    maintenanceRoutes({ ...deps, clock: () => now }),
  ]);
}, 180_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

describe('PUT /api/assets/stations/:site/:station/acceptance', () => {
  test('not accepted yet: no record, no dates, no visits', async () => {
    const answer = await rest.call('GET', PATH, 'operator');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      record: null,
      acceptanceDate: null,
      warrantyEnd: null,
      followUps: [],
    });
  });

  test.each([
    ['operator', 403],
    ['engineer', 403],
    [null, 401],
  ] as const)('%s may not record', async (role, status) => {
    expect((await rest.call('PUT', PATH, role, good)).status).toBe(status);
  });

  test.each([
    {
      what: '2000 V on 380 V equipment',
      body: { ...good, dielectric: { ...good.dielectric, testVoltage: 2000 } },
      paths: ['dielectric.testVoltage'],
      zh: '介电试验电压 2000 V 低于额定电压 380 V 设备要求的 2500 V',
    },
    {
      what: '30 s',
      body: { ...good, dielectric: { ...good.dielectric, seconds: 30, passed: false } },
      paths: ['dielectric.seconds'],
      zh: '介电试验持续 30 秒，短于要求的 60 秒',
    },
    {
      what: 'a date after today',
      body: { ...good, acceptedOn: dayOf(now + 2 * DAY) },
      paths: ['acceptedOn'],
      zh: `验收日期 ${dayOf(now + 2 * DAY)} 晚于今天（${today}）：试验完成后再记录`,
    },
    {
      what: '6 kV equipment',
      body: { ...good, nominalVoltage: 6000, dielectric: { ...good.dielectric, testVoltage: 20_000 } },
      paths: ['nominalVoltage'],
      zh: '额定电压 6000 V 没有介电试验规定：低压设备不超过 1000 V',
    },
  ])('refused: $what, naming $paths', async ({ body, paths, zh }) => {
    const answer = await rest.call('PUT', PATH, 'service', body);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((i: { path: string }) => i.path)).toEqual(paths);
    expect(render('zh-CN', answer.body.code, answer.body.params)).toBe(zh);
    expect((await rest.call('GET', PATH, 'service')).body.record).toBeNull();
  });

  test.each([
    { field: 'acceptedBy', body: { ...good, acceptedBy: ' ' } },
    { field: 'earth.passed', body: { ...good, earth: { resistanceOhms: 0.1 } } },
    { field: 'dielectric.seconds', body: { ...good, dielectric: { ...good.dielectric, seconds: 1.5 } } },
    { field: 'acceptedOn', body: { ...good, acceptedOn: '15/03/2026' } },
  ])('a malformed $field is a 400 naming it', async ({ field, body }) => {
    const answer = await rest.call('PUT', PATH, 'admin', body);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  test('a failed test is recorded but starts no warranty and no visits', async () => {
    const failed = { ...good, earth: { resistanceOhms: 12, passed: false } };
    const answer = await rest.call('PUT', PATH, 'service', failed);
    expect(answer.status).toBe(200);
    expect(answer.body.record).toMatchObject({
      passed: false,
      recordedBy: 'service',
      acceptedBy: '王工（物业）',
    });
    expect(answer.body).toMatchObject({ acceptanceDate: null, warrantyEnd: null, followUps: [] });
    expect(acceptedCalls).toBe(0);
  });

  test('a passed test starts the warranty from the contract and the follow-up calendar from acceptance', async () => {
    const answer = await rest.call('PUT', PATH, 'service', good);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      record: { passed: true, nominalVoltage: 380, dielectric: { testVoltage: 2500, seconds: 60 } },
      acceptanceDate: accepted,
      warrantyEnd: addMonths(accepted, 60),
      parts: [{ part: 'pump', ends: addMonths(accepted, 24) }],
      softwareLifetime: true,
      pumps: [
        { pump: 1, warrantyEnd: addMonths(accepted, 24) },
        { pump: 2, warrantyEnd: addMonths(accepted, 24) },
      ],
    });
    expect(answer.body.followUps.slice(0, 4)).toEqual([
      { months: 0, kind: 'first', due: dayOf(Date.parse(accepted) + 7 * DAY) },
      { months: 3, kind: 'quarterly', due: addMonths(accepted, 3) },
      { months: 6, kind: 'half_year', due: addMonths(accepted, 6) },
      { months: 12, kind: 'yearly', due: addMonths(accepted, 12) },
    ]);
    expect(acceptedCalls).toBe(1);
    const [station] = await layer.stores.assets
      .stations('north')
      .then((s) => s.filter((x) => x.id === 'st7'));
    expect(station).toMatchObject({ acceptance_date: accepted, warranty_end: addMonths(accepted, 60) });
    expect(station!.pumps.map((p) => p.warranty_end)).toEqual([
      addMonths(accepted, 24),
      addMonths(accepted, 24),
    ]);
    const calendar = await rest.call('GET', `/maintenance/calendar?site=north&from=${accepted}`, 'operator');
    const st7 = calendar.body.stations.find((s: { station: string }) => s.station === 'st7');
    expect(st7.acceptanceDate).toBe(accepted);
    expect(st7.followUps[0]).toMatchObject({ months: 0, kind: 'first' });
    // The first visit is due within the lead time: the scheduler opens its ticket.
    expect(await scheduler.run(now)).toBe(1);
    const tickets = await layer.stores.tickets.list({ station: 'st7' });
    expect(tickets.map((t) => t.subject)).toEqual(['follow_up:0m']);
  });

  test('a station without a contract is accepted, its warranty left as it was', async () => {
    const answer = await rest.call('PUT', '/assets/stations/north/st8/acceptance', 'admin', {
      ...good,
      nominalVoltage: 220,
      dielectric: { testVoltage: 2000, seconds: 60, passed: true },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ acceptanceDate: accepted, warrantyEnd: null, parts: [] });
  });

  test('a failed re-test takes back what the passed record started', async () => {
    const answer = await rest.call('PUT', '/assets/stations/north/st8/acceptance', 'admin', {
      ...good,
      nominalVoltage: 220,
      dielectric: { testVoltage: 2000, seconds: 60, passed: false },
    });
    expect(answer.body).toMatchObject({ record: { passed: false }, acceptanceDate: null, followUps: [] });
  });

  test('an unknown station is a 404; every write is in the audit log', async () => {
    expect((await rest.call('GET', '/assets/stations/north/st99/acceptance', 'admin')).status).toBe(404);
    const log = await layer.stores.audit.list({ action: 'station.acceptance', limit: 50 });
    expect(log.filter((e) => e.result === 'refused')).toHaveLength(4);
    expect(log.filter((e) => e.result === 'ok').map((e) => e.target)).toEqual([
      'station/north/st8',
      'station/north/st8',
      'station/north/st7',
      'station/north/st7',
    ]);
  });
});
