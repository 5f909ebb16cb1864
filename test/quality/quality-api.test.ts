import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const DAY = 86_400_000;
// The injected clock: relative to today, moved by the tests.
let now = Date.now() - 300 * DAY;
let layer: ServiceLayer;
let rest: RoleApi;
const api = (method: string, path: string, role: string | null, body?: unknown) =>
  rest.call(method, path, role, body);

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  rest = await serveWithTestRoles(layer.routers);
}, 180_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

interface FaultInput {
  station: string;
  pump: number | null;
  faultClass: string;
  severity?: 'minor' | 'general' | 'major';
  title?: string;
  description?: string;
  source?: 'alarm' | 'plan' | 'follow_up';
}

/** A ticket as the alarm engine (or the maintenance planner) opens it, at the injected clock. */
async function openTicket(input: FaultInput): Promise<number> {
  const { ticket } = await layer.stores.tickets.openOrAddOccurrence({
    site: 'demo',
    station: input.station,
    pump: input.pump,
    faultClass: input.faultClass,
    subject: input.pump === null ? '' : `pump[${input.pump}]`,
    title: input.title ?? input.faultClass,
    description: input.description ?? '',
    severity: input.severity ?? 'general',
    at: now,
    source: input.source ?? 'alarm',
  });
  return ticket.id;
}

const FULL = {
  responsibility: 'wear',
  correctiveAction: 'replaced the bearing',
  preventiveAction: 'grease every six months',
};

async function resolve(id: number, extra: Record<string, unknown> = FULL, rootCause = 'bearing_wear') {
  const triaged = await api('POST', `/tickets/${id}/transitions`, 'service', {
    action: 'triage',
    mode: 'remote',
    department: 'after_sales',
  });
  expect(triaged.status).toBe(200);
  return await api('POST', `/tickets/${id}/transitions`, 'service', {
    action: 'resolve',
    workDone: 'see corrective action',
    rootCause,
    ...extra,
  });
}

const actionsOf = async (ticketId: number) =>
  (await api('GET', `/tickets/${ticketId}/quality`, 'service')).body.actions;

describe('closing a fault ticket records its quality analysis', () => {
  test('a fault ticket refuses to resolve without responsibility and actions, and keeps its state', async () => {
    const id = await openTicket({ station: 'st1', pump: 2, faultClass: 'sensor_stuck', severity: 'minor' });
    const missing = await resolve(id, {}, 'sensor_failure');
    expect(missing).toMatchObject({ status: 400, body: { code: 'error.closeNeeds.responsibility' } });
    const noPrevent = await api('POST', `/tickets/${id}/transitions`, 'service', {
      action: 'resolve',
      workDone: 'replaced the transmitter',
      rootCause: 'sensor_failure',
      responsibility: 'maker',
      correctiveAction: 'replaced the transmitter',
    });
    expect(noPrevent).toMatchObject({ status: 400, body: { code: 'error.closeNeeds.preventiveAction' } });
    const badResponsibility = await api('POST', `/tickets/${id}/transitions`, 'service', {
      action: 'resolve',
      workDone: 'x',
      rootCause: 'sensor_failure',
      ...FULL,
      responsibility: 'the weather',
    });
    expect(badResponsibility.status).toBe(400);
    expect((await api('GET', `/tickets/${id}`, 'service')).body.ticket.state).toBe('triaged');

    const ok = await api('POST', `/tickets/${id}/transitions`, 'service', {
      action: 'resolve',
      workDone: 'replaced the transmitter',
      rootCause: 'sensor_failure',
      responsibility: 'maker',
      correctiveAction: 'replaced the transmitter',
      preventiveAction: 'incoming inspection of this batch',
    });
    expect(ok.status).toBe(200);
    const quality = await api('GET', `/tickets/${id}/quality`, 'operator');
    expect(quality.body.record).toMatchObject({
      responsibility: 'maker',
      correctiveAction: 'replaced the transmitter',
      preventiveAction: 'incoming inspection of this batch',
      recordedBy: 'service',
    });
    expect(quality.body.actions).toEqual([]);
    expect(
      (await api('POST', `/tickets/${id}/transitions`, 'service', { action: 'sign_off', signerName: 'Li' }))
        .status,
    ).toBe(200);
    expect((await api('POST', `/tickets/${id}/transitions`, 'service', { action: 'close' })).status).toBe(
      200,
    );
  });

  test('planned and follow-up work resolves and closes without them', async () => {
    for (const source of ['plan', 'follow_up'] as const) {
      const id = await openTicket({ station: 'st2', pump: null, faultClass: `${source}:check`, source });
      expect((await resolve(id, {}, 'no_fault_found')).status).toBe(200);
      await api('POST', `/tickets/${id}/transitions`, 'service', { action: 'sign_off', signerName: 'Li' });
      expect((await api('POST', `/tickets/${id}/transitions`, 'service', { action: 'close' })).status).toBe(
        200,
      );
      expect((await api('GET', `/tickets/${id}/quality`, 'service')).body.record).toBeNull();
    }
  });
});

describe('quality actions open on closing a major or repeated fault', () => {
  test('a major fault opens one, owned by the quality manager, due in 14 days; overdue after', async () => {
    const id = await openTicket({ station: 'st2', pump: 1, faultClass: 'dry_run', severity: 'major' });
    const openedAt = now;
    expect((await resolve(id, FULL, 'water_shortage')).status).toBe(200);
    const [action] = await actionsOf(id);
    expect(action).toMatchObject({
      reasons: ['major'],
      owner: 'admin',
      status: 'open',
      dueAt: openedAt + 14 * DAY,
      overdue: false,
      failureMode: 'water_shortage',
    });

    now += 15 * DAY;
    const overdue = await api('GET', '/quality/actions?overdue=true', 'engineer');
    expect(overdue.body.actions.map((a: { id: number }) => a.id)).toContain(action.id);
    expect((await api('GET', '/quality/actions', 'operator')).status).toBe(403);

    const skip = await api('POST', `/quality/actions/${action.id}/transitions`, 'service', {
      status: 'verified_closed',
    });
    expect(skip).toMatchObject({ status: 409, body: { code: 'error.qualityMove' } });
    const started = await api('POST', `/quality/actions/${action.id}/transitions`, 'service', {
      status: 'in_progress',
      note: 'supplier contacted',
    });
    expect(started.body.action).toMatchObject({ status: 'in_progress', overdue: true });
    const reassigned = await api('PUT', `/quality/actions/${action.id}`, 'admin', { owner: 'zhang.wei' });
    expect(reassigned.body.action.owner).toBe('zhang.wei');
    const closed = await api('POST', `/quality/actions/${action.id}/transitions`, 'admin', {
      status: 'verified_closed',
      note: 'level switch added, verified on site',
    });
    expect(closed.body.action).toMatchObject({ status: 'verified_closed', overdue: false, closedAt: now });
    const detail = await api('GET', `/quality/actions/${action.id}`, 'service');
    expect(detail.body.action.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'status',
      'assigned',
      'status',
    ]);
    expect((await api('GET', '/quality/actions/99999', 'service')).body.code).toBe('error.noQualityAction');
  });

  test('the same failure again within 30 days opens one; after 31 days it does not', async () => {
    const first = await openTicket({ station: 'st1', pump: 1, faultClass: 'overcurrent' });
    expect((await resolve(first, FULL, 'contactor_relay')).status).toBe(200);
    expect(await actionsOf(first)).toEqual([]);
    now += 20 * DAY;
    const again = await openTicket({ station: 'st1', pump: 1, faultClass: 'overcurrent' });
    expect(again).not.toBe(first);
    expect((await resolve(again, FULL, 'contactor_relay')).status).toBe(200);
    expect((await actionsOf(again)).map((a: { reasons: string[] }) => a.reasons)).toEqual([['repeat']]);

    const early = await openTicket({ station: 'st1', pump: 3, faultClass: 'motor_overtemperature' });
    expect((await resolve(early, FULL, 'motor_winding')).status).toBe(200);
    now += 31 * DAY;
    const late = await openTicket({ station: 'st1', pump: 3, faultClass: 'motor_overtemperature' });
    expect((await resolve(late, FULL, 'motor_winding')).status).toBe(200);
    expect(await actionsOf(late)).toEqual([]);
  });
});

describe('similar cases', () => {
  test('a new bearing ticket lists the bearing cases first, same model before another model', async () => {
    const cases: [string, number, string, string, string][] = [
      ['st2', 2, 'vibration_zone_d', '2号泵振动大，轴承有异响', 'bearing_wear'],
      ['st3', 2, 'vibration_zone_d', 'Bearing noise and vibration on pump 2', 'bearing_wear'],
      ['st2', 3, 'vibration_zone_d', 'Pump 3 bearing worn, vibration zone D', 'bearing_wear'],
      ['st2', 1, 'vendor_alarm', '机械密封漏水', 'mechanical_seal'],
      ['st2', null as unknown as number, 'outlet_pressure_low', 'Check valve stuck, pressure drops', 'other'],
      ['st3', 1, 'overcurrent', '接触器烧蚀，电机过流', 'contactor_relay'],
    ];
    const ids: number[] = [];
    for (const [station, pump, faultClass, title, cause] of cases) {
      const id = await openTicket({ station, pump, faultClass, title });
      expect((await resolve(id, { ...FULL, correctiveAction: `fix for ${title}` }, cause)).status).toBe(200);
      ids.push(id);
      now += DAY;
    }
    const fresh = await openTicket({
      station: 'st1',
      pump: 2,
      faultClass: 'vibration_zone_d',
      title: '1号泵轴承异响',
    });
    const answer = await api('GET', `/tickets/${fresh}/similar-cases`, 'operator');
    expect(answer.status).toBe(200);
    const ranked = answer.body.cases.map((c: { case: { ticketId: number } }) => c.case.ticketId);
    // st1 and st2 pumps are CDLF 32-4, st3's CDL 20-5: the st3 bearing case comes after both st2 ones.
    expect(ranked.slice(0, 3)).toEqual([ids[0], ids[2], ids[1]]);
    expect(answer.body.cases[0]).toMatchObject({ sameClass: true, sameModel: true });
    expect(answer.body.cases[0].case.fix).toContain('fix for 2号泵振动大');

    const search = await api('GET', `/cases?q=${encodeURIComponent('密封 漏水')}`, 'engineer');
    expect(search.body.cases[0].case.ticketId).toBe(ids[3]);
    expect((await api('GET', `/tickets/${fresh}/similar-cases`, 'customer')).status).toBe(403);
  });
});

describe('non-conforming product records', () => {
  test('create, read, update, delete, and bad input refused with a code', async () => {
    const bad = [
      { product: 'Pump', problem: 'x', disposition: 'rework' },
      { product: 'Pump', batch: 'B1', problem: 'x', disposition: 'burn it' },
      { product: '', batch: 'B1', problem: 'x', disposition: 'scrap' },
      { product: 'Pump', batch: 'B1', problem: 'x', disposition: 'scrap', extra: 1 },
    ];
    for (const body of bad) {
      const answer = await api('POST', '/quality/ncrs', 'service', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('error.invalidRequest');
    }
    const noTicket = await api('POST', '/quality/ncrs', 'service', {
      product: 'Mechanical seal',
      batch: 'MS-2026-07',
      problem: 'leaks',
      disposition: 'return_to_maker',
      ticketId: 999_999,
    });
    expect(noTicket).toMatchObject({ status: 400, body: { code: 'error.ncrNoTicket' } });

    const created = await api('POST', '/quality/ncrs', 'service', {
      product: 'Mechanical seal',
      model: 'MG1-32',
      batch: 'MS-2026-07',
      problem: '三套机械密封装机一周内漏水',
      disposition: 'return_to_maker',
    });
    expect(created.status).toBe(201);
    const id = created.body.ncr.id;
    expect(created.body.ncr).toMatchObject({ createdBy: 'service', serial: null, ticketId: null });
    const updated = await api('PUT', `/quality/ncrs/${id}`, 'engineer', {
      product: 'Mechanical seal',
      model: 'MG1-32',
      batch: 'MS-2026-07',
      problem: '三套机械密封装机一周内漏水',
      disposition: 'scrap',
    });
    expect(updated.body.ncr.disposition).toBe('scrap');
    expect((await api('GET', '/quality/ncrs', 'admin')).body.ncrs.map((n: { id: number }) => n.id)).toContain(
      id,
    );
    expect((await api('DELETE', `/quality/ncrs/${id}`, 'service')).status).toBe(403);
    expect((await api('DELETE', `/quality/ncrs/${id}`, 'admin')).status).toBe(204);
    expect(await api('GET', `/quality/ncrs/${id}`, 'admin')).toMatchObject({
      status: 404,
      body: { code: 'error.noNcr' },
    });
  });
});
