import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const MIN = 60_000;
const H = 60 * MIN;
// An injected clock: a fixed instant in March 2026 (China time 16:00).
let now = Date.parse('2026-03-10T08:00:00Z');
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

const phoneTicket = async (title: string) => {
  const { status, body } = await api('POST', '/tickets', 'service', {
    site: 'demo',
    station: 'st1',
    title,
    severity: 'general',
    source: 'phone',
    reportedBy: 'Wang, 138 0000 0000',
  });
  expect(status).toBe(201);
  return body.ticket;
};
// biome-ignore lint/suspicious/noExplicitAny: a clock of the answer, as JSON
const clockOf = (ticket: any, name: string) =>
  ticket.sla.clocks.find((c: { clock: string }) => c.clock === name);

describe('pause and resume (POST /api/tickets/:id/pause, /resume)', () => {
  test('paused time is left out of the clocks, and both steps are in the timeline', async () => {
    const ticket = await phoneTicket('no water on the 12th floor');
    expect(clockOf(ticket, 'fix').state).toBe('not_started');
    const onSiteDeadline = clockOf(ticket, 'on_site').deadline;
    expect(onSiteDeadline).toBe(now + 24 * H);

    expect((await api('POST', `/tickets/${ticket.id}/pause`, 'operator', { reason: 'parts' })).status).toBe(
      403,
    );
    const bad = await api('POST', `/tickets/${ticket.id}/pause`, 'service', { reason: 'lunch' });
    expect(bad.status).toBe(400);

    now += 10 * MIN;
    const paused = await api('POST', `/tickets/${ticket.id}/pause`, 'service', {
      reason: 'customer_access',
      note: 'plant room locked until tomorrow',
    });
    expect(paused.status).toBe(200);
    expect(paused.body.ticket.sla.paused).toEqual({ since: now, reason: 'customer_access' });
    expect(clockOf(paused.body.ticket, 'on_site')).toMatchObject({ state: 'paused', deadline: null });
    expect(paused.body.ticket.sla.current).toMatchObject({
      clock: 'on_site',
      state: 'paused',
      remainingMs: 24 * H - 10 * MIN,
    });

    const again = await api('POST', `/tickets/${ticket.id}/pause`, 'service', { reason: 'parts' });
    expect(again).toMatchObject({ status: 409, body: { code: 'error.alreadyPaused' } });

    now += 2 * H;
    const resumed = await api('POST', `/tickets/${ticket.id}/resume`, 'service', {});
    expect(resumed.status).toBe(200);
    expect(clockOf(resumed.body.ticket, 'on_site')).toMatchObject({
      state: 'pending',
      deadline: onSiteDeadline + 2 * H,
    });
    expect(resumed.body.ticket.sla.pausedMs).toBe(2 * H);
    const timeline = resumed.body.ticket.timeline.filter((e: { action: string }) =>
      e.action.startsWith('sla_'),
    );
    expect(timeline).toMatchObject([
      {
        action: 'sla_pause',
        code: 'event.slaPausedNote',
        params: { pause: 'customer_access', note: 'plant room locked until tomorrow' },
        note: 'plant room locked until tomorrow',
      },
      { action: 'sla_resume', code: 'event.slaResumed', params: { minutes: 120 } },
    ]);

    const notPaused = await api('POST', `/tickets/${ticket.id}/resume`, 'service', {});
    expect(notPaused).toMatchObject({ status: 409, body: { code: 'error.notPaused' } });
    expect((await api('POST', '/tickets/999999/pause', 'service', { reason: 'parts' })).status).toBe(404);
  });
});

describe('resolving while the alarm is still active', () => {
  test('is refused with a 409 code, and allowed with an override and a reason that the timeline keeps', async () => {
    const ticket = await phoneTicket('pump 1 tripped');
    await layer.db
      .insertInto('alarms')
      .values({
        site: 'demo',
        station: 'st1',
        fault_class: 'pump_trip',
        subject: 'pump[1]',
        severity: 'general',
        title: 'pump trip',
        title_code: null,
        title_params: null,
        status: 'active_unack',
        raised_at: now,
        last_raised_at: now,
        cleared_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        occurrences: 1,
        value: null,
        ticket_id: ticket.id,
      })
      .execute();
    const triage = { action: 'triage', mode: 'remote', department: 'after_sales' };
    expect((await api('POST', `/tickets/${ticket.id}/transitions`, 'service', triage)).status).toBe(200);
    const resolve = {
      action: 'resolve',
      workDone: 'reset the trip remotely',
      rootCause: 'other',
      ...QUALITY_RECORD,
    };
    const refused = await api('POST', `/tickets/${ticket.id}/transitions`, 'service', resolve);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'error.alarmStillActive', params: { id: ticket.id } },
    });

    const blank = await api('POST', `/tickets/${ticket.id}/transitions`, 'service', {
      ...resolve,
      overrideActiveAlarm: '',
    });
    expect(blank.status).toBe(400);

    const reason = 'the sensor is faulty; the pump runs, checked on the phone with the site';
    const forced = await api('POST', `/tickets/${ticket.id}/transitions`, 'service', {
      ...resolve,
      overrideActiveAlarm: reason,
    });
    expect(forced.status).toBe(200);
    expect(forced.body.ticket.state).toBe('resolved');
    const override = forced.body.ticket.timeline.find(
      (e: { action: string }) => e.action === 'resolve_override',
    );
    expect(override).toMatchObject({ actor: 'service', code: 'event.resolveOverride', params: { reason } });
  });

  test('a ticket without an active alarm resolves as before', async () => {
    const ticket = await phoneTicket('leaking valve');
    await api('POST', `/tickets/${ticket.id}/transitions`, 'service', {
      action: 'triage',
      mode: 'remote',
      department: 'after_sales',
    });
    const resolve = {
      action: 'resolve',
      workDone: 'told the site how to tighten it',
      rootCause: 'other',
      ...QUALITY_RECORD,
    };
    expect((await api('POST', `/tickets/${ticket.id}/transitions`, 'service', resolve)).status).toBe(200);
  });
});

describe('the business calendar (GET/PUT /api/sla/calendar/:year)', () => {
  test('2026 and 2027 are seeded; 2026 knows the swapped working days', async () => {
    expect((await api('GET', '/sla/calendar', 'operator')).body.years).toEqual(
      expect.arrayContaining([2026, 2027]),
    );
    const { status, body } = await api('GET', '/sla/calendar/2026', 'operator');
    expect(status).toBe(200);
    expect(body.days).toContainEqual({ day: '2026-02-14', kind: 'workday', name: '春节调休' });
    expect(body.days).toContainEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节' });
  });

  test('an admin replaces a year; others may not; bad days are refused with a code', async () => {
    const days = [
      { day: '2027-01-01', kind: 'holiday', name: '元旦' },
      { day: '2027-02-20', kind: 'workday', name: '春节调休' },
    ];
    expect((await api('PUT', '/sla/calendar/2027', 'service', { days })).status).toBe(403);
    const outside = await api('PUT', '/sla/calendar/2027', 'admin', {
      days: [{ day: '2028-01-01', kind: 'holiday' }],
    });
    expect(outside).toMatchObject({ status: 400, body: { code: 'error.calendarDayOutsideYear' } });
    const twice = await api('PUT', '/sla/calendar/2027', 'admin', { days: [days[0], days[0]] });
    expect(twice).toMatchObject({ status: 400, body: { code: 'error.calendarDayTwice' } });
    expect(
      (await api('PUT', '/sla/calendar/2027', 'admin', { days: [{ day: '2027-02-30', kind: 'holiday' }] }))
        .status,
    ).toBe(400);
    const put = await api('PUT', '/sla/calendar/2027', 'admin', { days });
    expect(put).toMatchObject({ status: 200, body: { year: 2027, days } });
    expect((await api('GET', '/sla/calendar/2027', 'operator')).body.days).toEqual(days);
  });
});

describe('the SLA compliance report (GET /api/reports/sla)', () => {
  test("counts a customer's month: met and breached per clock, pauses; as JSON and CSV", async () => {
    // Let the tickets above run past their on-site deadline: breached, counted.
    now += 30 * H;
    const month = new Date(now).toISOString().slice(0, 7);
    const { status, body } = await api('GET', `/reports/sla?customer=demo-water&month=${month}`, 'service');
    expect(status).toBe(200);
    expect(body.tickets).toBe(3);
    const tally = Object.fromEntries(body.clocks.map((c: { clock: string }) => [c.clock, c]));
    expect(tally.respond).toMatchObject({ met: 3, breached: 0 });
    // The paused ticket's on-site clock is breached 30 h on; the two remote fixes have none.
    expect(tally.on_site).toMatchObject({ breached: 1, notApplicable: 2 });
    // Still open, nobody on site: its fix clock has not started, counted as running.
    expect(tally.fix).toMatchObject({ met: 2, running: 1, breached: 0 });
    expect(body.pauses).toEqual({ count: 1, pausedMs: 2 * H });
    expect(body.breachedTickets).toHaveLength(1);

    const csv = await api('GET', `/reports/sla?customer=demo-water&month=${month}&format=csv`, 'service');
    expect(csv.status).toBe(200);
    const lines = String(csv.body).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'customer,month,clock,met,met_late,breached,running,not_applicable,tickets,pauses,paused_minutes',
    );
    expect(lines).toContain(`demo-water,${month},on_site,0,0,1,0,2,3,1,120`);
  });

  test('an unknown customer is a 404, a bad month a 400, an empty month zeros', async () => {
    expect(await api('GET', '/reports/sla?customer=nobody&month=2026-03', 'service')).toMatchObject({
      status: 404,
      body: { code: 'error.noCustomer' },
    });
    expect((await api('GET', '/reports/sla?customer=demo-water&month=2026-13', 'service')).status).toBe(400);
    expect((await api('GET', '/reports/sla?customer=demo-water&month=2026-03', null)).status).toBe(401);
    const empty = await api('GET', '/reports/sla?customer=demo-water&month=2025-01', 'operator');
    expect(empty.body).toMatchObject({ tickets: 0, pauses: { count: 0, pausedMs: 0 } });
  });
});

describe('a policy with working hours (PUT /api/sla-policies/:id)', () => {
  test('stores fixFrom and the hours; refuses hours that end before they start', async () => {
    const policy = {
      name: 'Office hours (工作时间)',
      respondMinutes: 60,
      onSiteMinutes: 24 * 60,
      fixMinutes: { general: 12 * 60, major: 24 * 60 },
      fixFrom: 'report',
      hours: { kind: 'working', days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
    };
    expect((await api('PUT', '/sla-policies/office-hours', 'service', policy)).status).toBe(403);
    const bad = { ...policy, hours: { ...policy.hours, start: '18:00' } };
    expect((await api('PUT', '/sla-policies/office-hours', 'admin', bad)).status).toBe(400);
    expect((await api('PUT', '/sla-policies/office-hours', 'admin', policy)).status).toBe(200);
    const { body } = await api('GET', '/sla-policies', 'admin');
    expect(body.policies.find((p: { id: string }) => p.id === 'office-hours')).toMatchObject({
      fixFrom: 'report',
      hours: { kind: 'working', start: '08:30', end: '17:30', utcOffsetMinutes: 480, useCalendar: true },
    });
    expect(body.policies.find((p: { id: string }) => p.id === 'purchase-plan')).toMatchObject({
      fixFrom: 'arrival',
      hours: { kind: '24x7' },
    });
  });
});
