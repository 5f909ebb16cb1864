import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { maintenanceRoutes } from '../../server/maintenance/maintenance-routes.ts';
import { MaintenanceScheduler } from '../../server/maintenance/maintenance-scheduler.ts';
import { MaintenanceStore } from '../../server/maintenance/maintenance-store.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

// The demo seed: st1 accepted 2023-03-15, st2 2024-06-01, st3 2018-05-20.
let now = Date.parse('2026-05-25T08:00:00Z');
let layer: ServiceLayer;
let scheduler: MaintenanceScheduler;
const runHours: Record<string, Record<number, number>> = { st1: { 1: 7_990, 2: 3_000 } };

let rest: RoleApi;
const api = (method: string, path: string, role: string | null, body?: unknown) =>
  rest.call(method, path, role, body);

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  const store = new MaintenanceStore(layer.db);
  const deps = {
    store,
    tickets: layer.stores.tickets,
    assets: layer.stores.assets,
    runHours: (_site: string, station: string) => runHours[station] ?? {},
  };
  scheduler = new MaintenanceScheduler({ ...deps, events: layer.events, logger: silentLogger() });
  rest = await serveWithTestRoles([...layer.routers, maintenanceRoutes({ ...deps, clock: () => now })]);
}, 180_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

const planned = async () =>
  (await layer.stores.tickets.list({})).filter(
    (t) => t.fault_class === 'follow_up' || t.fault_class === 'preventive',
  );

describe('preventive plans and follow-up visits', () => {
  test('due work becomes one ticket each, ahead of its date, never twice', async () => {
    expect(await scheduler.run(now)).toBe(4);
    expect(await scheduler.run(now)).toBe(0);
    const tickets = await planned();
    expect(tickets.map((t) => `${t.station} ${t.fault_class} ${t.subject} ${t.source}`).sort()).toEqual([
      'st2 follow_up follow_up:24m follow_up',
      'st2 preventive plan:six-monthly:2026-06-01 plan',
      'st3 follow_up follow_up:96m follow_up',
      'st3 preventive plan:six-monthly:2026-05-20 plan',
    ]);
  });

  test('a run-hour plan (PUT /api/maintenance/plans/:id) tickets the pump close to its interval', async () => {
    const body = {
      name: '8000 h overhaul',
      everyRunHours: 4000,
      model: 'CDLF 32-4',
      leadDays: 14,
      work: 'bearings and seal',
    };
    expect((await api('PUT', '/maintenance/plans/overhaul', 'operator', body)).status).toBe(403);
    expect((await api('PUT', '/maintenance/plans/bad', 'service', { name: 'x' })).status).toBe(400);
    expect((await api('PUT', '/maintenance/plans/overhaul', 'service', body)).status).toBe(200);
    expect(await scheduler.run(now)).toBe(1);
    const ticket = (await planned()).find((t) => t.subject.startsWith('plan:overhaul'));
    expect(ticket).toMatchObject({ station: 'st1', pump: 1, subject: 'plan:overhaul:pump[1]:8000h' });
  });

  test('GET /api/maintenance/calendar: plans, next due dates and follow-up visits with their tickets', async () => {
    expect((await api('GET', '/maintenance/calendar', null)).status).toBe(401);
    const { status, body } = await api(
      'GET',
      '/maintenance/calendar?from=2026-05-01&to=2027-06-30',
      'operator',
    );
    expect(status).toBe(200);
    expect(body.plans.map((p: { id: string }) => p.id).sort()).toEqual(['overhaul', 'six-monthly']);
    const st2 = body.stations.find((s: { station: string }) => s.station === 'st2');
    expect(st2.acceptanceDate).toBe('2024-06-01');
    expect(st2.followUps).toEqual([
      expect.objectContaining({ months: 24, due: '2026-06-01', state: 'new' }),
      expect.objectContaining({ months: 36, due: '2027-06-01', ticketId: null }),
    ]);
    expect(
      st2.preventive
        .filter((p: { planId: string }) => p.planId === 'six-monthly')
        .map((p: { due: string }) => p.due),
    ).toEqual(['2026-06-01', '2026-12-01', '2027-06-01']);
    const st1 = body.stations.find((s: { station: string }) => s.station === 'st1');
    expect(
      st1.preventive.find((p: { planId: string; pump: number }) => p.planId === 'overhaul' && p.pump === 1),
    ).toMatchObject({
      dueAtRunHours: 8000,
      state: 'new',
    });
    expect((await api('GET', '/maintenance/calendar?from=yesterday', 'operator')).status).toBe(400);
  });

  test('POST /api/tickets/:id/survey: only for a finished follow-up visit, kept with the customer', async () => {
    const tickets = await planned();
    const visit = tickets.find((t) => t.subject === 'follow_up:24m')!;
    const preventive = tickets.find((t) => t.fault_class === 'preventive')!;
    const survey = { score: 4, remarks: 'Quick visit; asked for a spare seal kit' };
    expect((await api('POST', `/tickets/${visit.id}/survey`, 'operator', survey)).status).toBe(403);
    expect((await api('POST', `/tickets/${preventive.id}/survey`, 'service', survey)).status).toBe(409);
    const early = await api('POST', `/tickets/${visit.id}/survey`, 'service', survey);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/resolve the visit/);
    expect((await api('POST', `/tickets/${visit.id}/survey`, 'service', { score: 6 })).status).toBe(400);
    expect((await api('POST', '/tickets/99999/survey', 'service', survey)).status).toBe(404);

    await api('POST', `/tickets/${visit.id}/transitions`, 'service', {
      action: 'triage',
      mode: 'on_site',
      department: 'after_sales',
    });
    await api('POST', `/tickets/${visit.id}/transitions`, 'service', {
      action: 'dispatch',
      technician: 'Li',
      expectedArrival: now + 3_600_000,
    });
    await api('POST', `/tickets/${visit.id}/transitions`, 'service', { action: 'arrive' });
    const resolved = await api('POST', `/tickets/${visit.id}/transitions`, 'service', {
      action: 'resolve',
      workDone: 'usage check, new needs noted',
      rootCause: 'no_fault_found',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    now += 60_000;
    const done = await api('POST', `/tickets/${visit.id}/survey`, 'service', survey);
    expect(done.status).toBe(201);
    expect(done.body.survey).toMatchObject({
      ticket_id: visit.id,
      customer_id: 'demo-water',
      score: 4,
      surveyed_by: 'service',
    });
    expect((await api('POST', `/tickets/${visit.id}/survey`, 'service', survey)).status).toBe(409);
    const record = await api('GET', '/customers/demo-water/surveys', 'operator');
    expect(record.body.surveys).toEqual([
      expect.objectContaining({ ticket_id: visit.id, score: 4, remarks: survey.remarks }),
    ]);
    const timeline = await api('GET', `/tickets/${visit.id}`, 'operator');
    expect(timeline.body.ticket.timeline.some((e: { action: string }) => e.action === 'survey')).toBe(true);
  });
});
