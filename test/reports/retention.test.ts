import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY_ID } from '../../core/sla/policies.ts';
import { recordSchedule } from '../../server/retention/record-schedule.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const start = Date.now();
let now = start;
let layer: ServiceLayer;
let rest: RoleApi;
const ids: Record<string, number> = {};

async function closedTicket(name: string, closedAt: number): Promise<void> {
  const row = await sql<{ id: number }>`INSERT INTO tickets (site, station, title, severity, source, state,
      sla_policy_id, created_at, updated_at, last_occurrence_at, resolved_at)
    VALUES ('s1', 'a', ${name}, 'minor', 'phone', 'closed', ${DEFAULT_POLICY_ID}, ${closedAt - DAY}, ${closedAt},
      ${closedAt - DAY}, ${closedAt}) RETURNING id`.execute(layer.db);
  ids[name] = row.rows[0]?.id ?? 0;
  await sql`INSERT INTO ticket_events (ticket_id, at, actor, action) VALUES (${ids[name]}, ${closedAt}, 'x', 'close')`.execute(
    layer.db,
  );
}

const ticketIds = async () =>
  (await sql<{ id: number }>`SELECT id FROM tickets ORDER BY id`.execute(layer.db)).rows.map((row) => row.id);

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  rest = await serveWithTestRoles([...layer.routers]);
  // All written "today"; the clock then moves on 11 years.
  await closedTicket('old', start - 2 * YEAR);
  await closedTicket('held', start - 2 * YEAR);
  await closedTicket('recent', start + 5 * YEAR);
  await sql`INSERT INTO tickets (site, station, title, severity, source, state, sla_policy_id, created_at,
      updated_at, last_occurrence_at) VALUES ('s1', 'a', 'open', 'minor', 'phone', 'new', ${DEFAULT_POLICY_ID},
      ${start - 2 * YEAR}, ${start - 2 * YEAR}, ${start - 2 * YEAR})`.execute(layer.db);
  const survey = await sql<{
    id: number;
  }>`INSERT INTO surveys (ticket_id, site, station, score, remarks, surveyed_by, at)
    VALUES (${ids.old ?? 0}, 's1', 'a', 4, 'Mr Wang was very helpful', 'Li Na', ${start}) RETURNING id`.execute(
    layer.db,
  );
  ids.survey = survey.rows[0]?.id ?? 0;
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

describe('record retention with a moved clock', () => {
  test('an admin sets a period per class; others may not', async () => {
    const classes = (await rest.call('GET', '/retention/classes', 'admin')).body.classes;
    expect(classes.find((c: { class: string }) => c.class === 'tickets').period).toBe('10y');
    const put = await rest.call('PUT', '/retention/classes/surveys', 'admin', { period: '5y' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ class: 'surveys', period: '5y', updatedBy: 'admin' });
    expect((await rest.call('PUT', '/retention/classes/surveys', 'service', { period: '3y' })).status).toBe(
      403,
    );
    expect((await rest.call('PUT', '/retention/classes/surveys', 'admin', { period: '7y' })).status).toBe(
      400,
    );
    expect((await rest.call('PUT', '/retention/classes/nothing', 'admin', { period: '3y' })).status).toBe(
      400,
    );
  });

  test('the dry run lists what would go without removing it; the held record is named as held', async () => {
    const hold = await rest.call('POST', '/retention/holds', 'admin', {
      class: 'tickets',
      recordId: String(ids.held),
      reason: 'warranty dispute',
    });
    expect(hold.status).toBe(201);
    now = start + 11 * YEAR;
    const before = await ticketIds();
    const dry = await rest.call('POST', '/retention/run', 'admin', { dryRun: true });
    expect(dry.status).toBe(200);
    const tickets = dry.body.classes.find((c: { class: string }) => c.class === 'tickets');
    expect(tickets.ids).toEqual([String(ids.old)]);
    expect(tickets.held).toEqual([String(ids.held)]);
    expect(dry.body.classes.find((c: { class: string }) => c.class === 'surveys').ids).toEqual([
      String(ids.survey),
    ]);
    expect(await ticketIds()).toEqual(before);
  });

  test('the run removes what expired, keeps the held, open and recent records, anonymises surveys, logs it', async () => {
    const run = await rest.call('POST', '/retention/run', 'admin', { dryRun: false });
    expect(run.status).toBe(200);
    const left = await ticketIds();
    expect(left).not.toContain(ids.old);
    expect(left).toContain(ids.held);
    expect(left).toContain(ids.recent);
    expect(left).toHaveLength(3);
    const events = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ${ids.old}`.execute(layer.db);
    expect(events.rows[0]?.n).toBe(0);
    const survey = await sql<{ score: number; remarks: string; surveyed_by: string }>`
      SELECT score, remarks, surveyed_by FROM surveys WHERE id = ${ids.survey}`.execute(layer.db);
    expect(survey.rows[0]).toEqual({ score: 4, remarks: '', surveyed_by: 'anonymised' });
    const audit = await rest.call('GET', '/audit?action=retention.run', 'admin');
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0].detail.removed.tickets).toEqual([String(ids.old)]);
    expect(audit.body.entries[0].detail.held).toMatchObject({ tickets: 1 });
    const log = await rest.call('GET', '/retention/runs', 'admin');
    expect(log.body.runs).toHaveLength(1);
    expect(log.body.runs[0].actor).toBe('admin');
    expect(log.body.runs[0].outcome.dryRun).toBe(false);
    const removed = log.body.runs[0].outcome.classes.find((c: { class: string }) => c.class === 'tickets');
    expect(removed).toMatchObject({ ids: [String(ids.old)], held: [String(ids.held)] });
    expect((await rest.call('GET', '/retention/runs', 'engineer')).status).toBe(403);
  });

  test('a cleared hold lets the record go at the next run', async () => {
    const holds = (await rest.call('GET', '/retention/holds', 'admin')).body.holds;
    expect(holds).toHaveLength(1);
    expect((await rest.call('DELETE', `/retention/holds/${holds[0].id}`, 'admin')).status).toBe(204);
    expect((await rest.call('DELETE', `/retention/holds/${holds[0].id}`, 'admin')).status).toBe(404);
    await rest.call('POST', '/retention/run', 'admin', { dryRun: false });
    expect(await ticketIds()).not.toContain(ids.held);
  });

  test('the schedule stores the last half-year report once and runs retention once a year', async () => {
    const schedule = recordSchedule({
      db: layer.db,
      assets: layer.stores.assets,
      audit: layer.stores.audit,
      clock: () => now,
      quality: {
        slaCompliance: async () => ({ available: false, reason: 'not_available_yet' }),
        satisfaction: async () => ({ available: false, reason: 'not_available_yet' }),
      },
    });
    const first = await schedule.step();
    expect(first.reportId).not.toBeNull();
    expect(first.retentionRan).toBe(false); // a real run happened moments ago (same clock)
    expect((await schedule.step()).reportId).toBeNull();
    const runs = (await rest.call('GET', '/reports/runs', 'service')).body.reports;
    expect(runs).toHaveLength(1);
    expect(runs[0].to - runs[0].from).toBeGreaterThan(180 * DAY);
    expect(runs[0].to).toBeLessThanOrEqual(now);
    const stored = await rest.call('GET', `/reports/runs/${runs[0].id}`, 'service');
    expect(stored.status).toBe(200);
    expect(stored.body.from).toBe(runs[0].from);
    now += 366 * DAY;
    const later = await schedule.step();
    expect(later.retentionRan).toBe(true);
    expect(later.reportId).not.toBeNull();
  });
});
