import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY_ID } from '../../core/sla/policies.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { expectPdfMatchesReport } from './pdf-figures.ts';
import { fetchBytes, pdfText } from './pdf-text.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const from = now - 365 * DAY;
const to = now;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Pumps: their model and the dates that bound their service, as the seed writes them. */
const PUMPS = [
  {
    site: 's1',
    station: 'a',
    pump: 1,
    model: 'CR-45',
    install: day(now - 800 * DAY),
    sale: null,
    retired: null,
  },
  {
    site: 's1',
    station: 'a',
    pump: 2,
    model: 'CR-45',
    install: day(now - 800 * DAY),
    sale: null,
    retired: null,
  },
  {
    site: 's1',
    station: 'a',
    pump: 3,
    model: 'CR-64',
    install: day(now - 100 * DAY),
    sale: null,
    retired: null,
  },
  {
    site: 's2',
    station: 'b',
    pump: 1,
    model: 'CR-64',
    install: day(now - 900 * DAY),
    sale: null,
    retired: now - 200 * DAY,
  },
  {
    site: 's2',
    station: 'b',
    pump: 2,
    model: 'CR-45',
    install: null,
    sale: day(now - 300 * DAY),
    retired: null,
  },
] as const;
const CUSTOMER_OF: Record<string, string> = { s1: 'c1', s2: 'c2' };

interface SeedTicket {
  id?: number;
  site: string;
  station: string;
  pump: number;
  source: string;
  faultClass: string;
  rootCause: string | null;
  createdAt: number;
  resolvedAt: number | null;
  reopenCount: number;
  visits: number;
  parts: { part: string; quantity: number }[];
  workDone: string | null;
}

/** A year of tickets from a fixed pseudo-random sequence: faults, follow-ups, plans, predictions. */
function seedTickets(): SeedTicket[] {
  let state = 19;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const sources = ['alarm', 'alarm', 'phone', 'web', 'follow_up', 'plan', 'predictive'];
  const causes = ['bearing_wear', 'mechanical_seal', 'vfd_fault', null];
  const tickets: SeedTicket[] = [];
  for (let i = 0; i < 70; i++) {
    const pump = PUMPS[Math.floor(next() * PUMPS.length)] ?? PUMPS[0];
    const createdAt = from + Math.floor(next() * 360) * DAY + Math.floor(next() * 20) * HOUR;
    const resolved = next() < 0.85;
    tickets.push({
      site: pump.site,
      station: pump.station,
      pump: pump.pump,
      source: sources[Math.floor(next() * sources.length)] ?? 'alarm',
      faultClass: 'overcurrent',
      rootCause: causes[Math.floor(next() * causes.length)] ?? null,
      createdAt,
      resolvedAt: resolved ? createdAt + (2 + Math.floor(next() * 40)) * HOUR : null,
      reopenCount: next() < 0.15 ? 1 : 0,
      visits: next() < 0.2 ? 2 : 1,
      parts:
        next() < 0.5
          ? [{ part: next() < 0.5 ? 'bearing-6205' : 'seal-kit', quantity: 1 + Math.floor(next() * 2) }]
          : [],
      workDone: resolved ? `work ${i % 4}` : null,
    });
  }
  // Two sure repeats: the same pump and cause back within 30 days of the repair, one across `from`.
  const repeatBase = {
    site: 's1',
    station: 'a',
    pump: 1,
    faultClass: 'dry_run',
    rootCause: 'water_shortage',
  };
  const base = { reopenCount: 0, visits: 1, parts: [], workDone: 'refilled tank', source: 'alarm' };
  tickets.push({ ...repeatBase, ...base, createdAt: from - 10 * DAY, resolvedAt: from - 9 * DAY });
  tickets.push({ ...repeatBase, ...base, createdAt: from + 5 * DAY, resolvedAt: from + 6 * DAY });
  tickets.push({ ...repeatBase, ...base, createdAt: from + 30 * DAY, resolvedAt: from + 31 * DAY });
  tickets.push({ ...repeatBase, ...base, createdAt: from + 90 * DAY, resolvedAt: from + 91 * DAY });
  return tickets;
}

let layer: ServiceLayer;
let rest: RoleApi;
const tickets = seedTickets();

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  rest = await serveWithTestRoles([...layer.routers]);
  const db = layer.db;
  for (const customer of ['c1', 'c2']) {
    await sql`INSERT INTO customers (id, name) VALUES (${customer}, ${customer})`.execute(db);
  }
  for (const [site, customer] of Object.entries(CUSTOMER_OF)) {
    await sql`INSERT INTO sites (id, customer_id, name) VALUES (${site}, ${customer}, ${site})`.execute(db);
  }
  await sql`INSERT INTO stations (site_id, id, name) VALUES ('s1', 'a', 'A'), ('s2', 'b', 'B')`.execute(db);
  for (const pump of PUMPS) {
    await sql`INSERT INTO pumps (site_id, station_id, pump_no, model, install_date, sale_date, retired_at)
      VALUES (${pump.site}, ${pump.station}, ${pump.pump}, ${pump.model}, ${pump.install}, ${pump.sale}, ${pump.retired})`.execute(
      db,
    );
  }
  let subject = 0;
  for (const ticket of tickets) {
    const state = ticket.resolvedAt === null ? 'dispatched' : 'closed';
    const row = await sql<{
      id: number;
    }>`INSERT INTO tickets (site, station, pump, fault_class, subject, title,
        severity, source, state, sla_policy_id, created_at, updated_at, last_occurrence_at, resolved_at,
        root_cause, reopen_count, parts_used, work_done)
      VALUES (${ticket.site}, ${ticket.station}, ${ticket.pump}, ${ticket.faultClass}, ${`t${subject++}`}, 'seeded',
        'general', ${ticket.source}, ${state}, ${DEFAULT_POLICY_ID}, ${ticket.createdAt},
        ${ticket.resolvedAt ?? ticket.createdAt}, ${ticket.createdAt}, ${ticket.resolvedAt}, ${ticket.rootCause},
        ${ticket.reopenCount}, ${JSON.stringify(ticket.parts)}, ${ticket.workDone}) RETURNING id`.execute(db);
    ticket.id = row.rows[0]?.id ?? 0;
    for (let visit = 0; visit < ticket.visits; visit++) {
      await sql`INSERT INTO ticket_events (ticket_id, at, actor, action)
        VALUES (${ticket.id}, ${ticket.createdAt + HOUR}, 'tech', 'arrive')`.execute(db);
    }
  }
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

// The figures computed here, apart from the server's code, from the seed itself.
const FAULT = new Set(['alarm', 'phone', 'email', 'web', 'visit']);
const modeOf = (t: SeedTicket) => t.rootCause ?? t.faultClass;
const inPeriod = (t: SeedTicket) => t.createdAt >= from && t.createdAt < to;
const faults = tickets.filter((t) => FAULT.has(t.source) && inPeriod(t));
function pumpHoursIn(pumps: readonly (typeof PUMPS)[number][]): number {
  let hours = 0;
  for (const pump of pumps) {
    const start = Math.max(from, midnight(pump.install ?? pump.sale ?? day(from)));
    const end = Math.min(to, pump.retired ?? to);
    if (end > start) hours += (end - start) / HOUR;
  }
  return hours;
}
const isRepeat = (t: SeedTicket) =>
  tickets.some(
    (p) =>
      p !== t &&
      FAULT.has(p.source) &&
      p.site === t.site &&
      p.station === t.station &&
      p.pump === t.pump &&
      modeOf(p) === modeOf(t) &&
      p.createdAt < t.createdAt &&
      t.createdAt - (p.resolvedAt ?? p.createdAt) <= 30 * DAY,
  );
function expectedFigures(list: SeedTicket[], exposureHours: number) {
  const resolved = list.filter((t) => t.resolvedAt !== null);
  const mttr = resolved.reduce((s, t) => s + ((t.resolvedAt ?? 0) - t.createdAt) / HOUR, 0) / resolved.length;
  const firstTime = resolved.filter((t) => t.reopenCount === 0 && t.visits === 1).length;
  return {
    faults: list.length,
    resolved: resolved.length,
    mtbfHours: exposureHours / list.length,
    mttrHours: mttr,
    repeats: list.filter(isRepeat).length,
    firstTimeFixRate: firstTime / resolved.length,
  };
}

describe('the half-year fault report over a seeded year', () => {
  test('MTBF per failure mode over the pump-hours exposed, fault tickets only', async () => {
    const answer = await rest.call('GET', `/reports/half-year?from=${from}&to=${to}`, 'service');
    expect(answer.status).toBe(200);
    const report = answer.body;
    const total = pumpHoursIn(PUMPS);
    expect(report.totals.exposureHours).toBeCloseTo(total, 3);
    expect(report.totals).toMatchObject({ faults: faults.length });
    const modes = [...new Set(faults.map(modeOf))];
    expect(report.byFailureMode.map((row: { key: string }) => row.key).sort()).toEqual([...modes].sort());
    expect(report.byFailureMode.map((row: { key: string }) => row.key)).not.toContain('follow_up');
    for (const mode of modes) {
      const row = report.byFailureMode.find((r: { key: string }) => r.key === mode);
      const expected = expectedFigures(
        faults.filter((t) => modeOf(t) === mode),
        total,
      );
      expect(row.faults).toBe(expected.faults);
      expect(row.resolved).toBe(expected.resolved);
      expect(row.mtbfHours).toBeCloseTo(expected.mtbfHours, 3);
      expect(row.mttrHours).toBeCloseTo(expected.mttrHours, 3);
      expect(row.repeats).toBe(expected.repeats);
      expect(row.firstTimeFixRate).toBeCloseTo(expected.firstTimeFixRate, 6);
    }
    // The sure repeats: the water shortage back within 30 days, the first across the period's start.
    expect(report.byFailureMode.find((r: { key: string }) => r.key === 'water_shortage').repeats).toBe(2);
    const notFaults = tickets.filter((t) => !FAULT.has(t.source) && inPeriod(t));
    expect(notFaults.length).toBeGreaterThan(0);
    for (const source of ['follow_up', 'plan', 'predictive']) {
      expect(report.notFaults[source] ?? 0).toBe(notFaults.filter((t) => t.source === source).length);
    }
  });

  test('per model, site and customer each over its own pumps; parts, root causes, SLA not available yet', async () => {
    const report = (await rest.call('GET', `/reports/half-year?from=${from}&to=${to}`, 'admin')).body;
    for (const model of ['CR-45', 'CR-64']) {
      const list = faults.filter(
        (t) => PUMPS.find((p) => p.site === t.site && p.pump === t.pump)?.model === model,
      );
      const row = report.byModel.find((r: { key: string }) => r.key === model);
      const hours = pumpHoursIn(PUMPS.filter((p) => p.model === model));
      expect(row.exposureHours).toBeCloseTo(hours, 3);
      expect(row.mtbfHours).toBeCloseTo(hours / list.length, 3);
    }
    const s2 = report.bySite.find((r: { key: string }) => r.key === 's2');
    expect(s2.exposureHours).toBeCloseTo(pumpHoursIn(PUMPS.filter((p) => p.site === 's2')), 3);
    expect(report.byCustomer.find((r: { key: string }) => r.key === 'c2').faults).toBe(
      faults.filter((t) => t.site === 's2').length,
    );
    const bearings = faults.flatMap((t) => t.parts).filter((p) => p.part === 'bearing-6205');
    const bearingRow = report.parts.find((p: { part: string }) => p.part === 'bearing-6205');
    expect(bearingRow.quantity).toBe(bearings.reduce((s, p) => s + p.quantity, 0));
    expect(bearingRow.cost).toBeNull();
    expect(report.partsCost).toBeNull();
    const topCause = report.topRootCauses[0];
    expect(topCause.faults).toBe(faults.filter((t) => t.rootCause === topCause.code).length);
    expect(report.slaCompliance).toEqual({ available: false, reason: 'not_available_yet' });
    expect(report.satisfaction).toEqual({ available: false, reason: 'not_available_yet' });
    expect(report.faults).toHaveLength(faults.length);
  });

  test('one customer only; csv; bad input is a 400', async () => {
    const c1 = (await rest.call('GET', `/reports/half-year?from=${from}&to=${to}&customer=c1`, 'service'))
      .body;
    expect(c1.totals.faults).toBe(faults.filter((t) => t.site === 's1').length);
    expect(c1.totals.exposureHours).toBeCloseTo(pumpHoursIn(PUMPS.filter((p) => p.site === 's1')), 3);
    const csv = await rest.call('GET', `/reports/half-year?from=${from}&to=${to}&format=csv`, 'service');
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'section,key,faults,resolved,exposure_hours,mtbf_hours,mttr_hours,repeats,first_time_fix_rate',
    );
    expect(lines.find((line) => line.startsWith('total,all,'))?.split(',')[2]).toBe(String(faults.length));
    expect(lines).toContain('sla_compliance,all,,,,,,,not_available_yet');
    expect((await rest.call('GET', '/reports/half-year?format=xml', 'service')).status).toBe(400);
    expect((await rest.call('GET', `/reports/half-year?from=${to}&to=${from}`, 'service')).status).toBe(400);
    expect((await rest.call('GET', '/reports/half-year', 'operator')).status).toBe(403);
  });

  test.each(['zh-CN', 'en'] as const)('the PDF (%s) writes the same figures as the JSON', async (lang) => {
    const query = `from=${from}&to=${to}`;
    const report = (await rest.call('GET', `/reports/half-year?${query}`, 'engineer')).body;
    const pdf = await fetchBytes(
      rest.base,
      `/reports/half-year?${query}&format=pdf&lang=${lang}`,
      'engineer',
    );
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expectPdfMatchesReport(pdfText(pdf.bytes), report, lang);
    // The charts are vector paths: the PDF holds no image.
    expect(Buffer.from(pdf.bytes).toString('latin1')).not.toContain('/Subtype /Image');
  });

  test('the reliability report no longer counts follow-up or preventive tickets and uses exposure', async () => {
    const answer = await rest.call(
      'GET',
      `/reports/reliability?by=failure_mode&from=${from}&to=${to}`,
      'service',
    );
    expect(answer.status).toBe(200);
    const keys = answer.body.rows.map((row: { key: string }) => row.key);
    expect(keys).not.toContain('follow_up');
    const total = pumpHoursIn(PUMPS);
    for (const row of answer.body.rows) {
      const count = faults.filter((t) => modeOf(t) === row.key).length;
      expect(row.failures).toBe(count);
      expect(row.mtbfHours).toBeCloseTo(total / count, 3);
    }
  });

  // Last: it replaces one ticket's typed parts with parts fitted from a depot.
  test('parts fitted from a depot with the service record count at the cost they were taken at', async () => {
    const ticket = faults.find((t) => t.parts.length === 0) ?? faults[0]!;
    const db = layer.db;
    await sql`INSERT INTO depots (id, name) VALUES ('d-report', 'Report depot')`.execute(db);
    await sql`INSERT INTO parts (code, name_zh, name_en, unit_cost_cents, warranty_months)
      VALUES ('impeller-r', '叶轮', 'Impeller', 12345, 12)`.execute(db);
    await sql`INSERT INTO ticket_parts (ticket_id, site, station, pump, part_code, depot_id, quantity,
        unit_cost_cents, used_on, used_by, at)
      VALUES (${ticket.id}, ${ticket.site}, ${ticket.station}, ${ticket.pump}, 'impeller-r', 'd-report', 2,
        12345, 'pump', 'tech', ${ticket.createdAt})`.execute(db);
    const report = (await rest.call('GET', `/reports/half-year?from=${from}&to=${to}`, 'admin')).body;
    const row = report.parts.find((p: { part: string }) => p.part === 'impeller-r');
    expect(row).toEqual({ part: 'impeller-r', quantity: 2, cost: 246.9 });
  });
});
