import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY_ID } from '../../core/sla/policies.ts';
import { customerExportRoutes } from '../../server/export/customer-export-routes.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { openPgliteStore, type PgliteStore } from '../../server/telemetry/pglite-store.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { fetchBytes } from './pdf-text.ts';

const HOUR = 3_600_000;
const now = Date.now();
let layer: ServiceLayer;
let telemetry: PgliteStore;
let rest: RoleApi;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function ticket(site: string, station: string, title: string, source = 'phone'): Promise<number> {
  const row = await sql<{ id: number }>`INSERT INTO tickets (site, station, title, severity, source, state,
      sla_policy_id, created_at, updated_at, last_occurrence_at)
    VALUES (${site}, ${station}, ${title}, 'minor', ${source}, 'new', ${DEFAULT_POLICY_ID}, ${now - 5 * HOUR},
      ${now - 5 * HOUR}, ${now - 5 * HOUR}) RETURNING id`.execute(layer.db);
  const id = row.rows[0]?.id ?? 0;
  await sql`INSERT INTO ticket_events (ticket_id, at, actor, action, note)
    VALUES (${id}, ${now - 4 * HOUR}, 'tech', 'arrive', ${`visit to ${title}`})`.execute(layer.db);
  return id;
}

const ids: Record<string, number> = {};

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now });
  telemetry = await openPgliteStore();
  const db = layer.db;
  await sql`INSERT INTO customers (id, name) VALUES ('c1', '华东水务'), ('c2', 'Other Water')`.execute(db);
  await sql`INSERT INTO sites (id, customer_id, name) VALUES ('s1', 'c1', 'S1'), ('s2', 'c2', 'S2')`.execute(
    db,
  );
  await sql`INSERT INTO stations (site_id, id, name) VALUES ('s1', 'a', 'A'), ('s2', 'b', 'B')`.execute(db);
  ids.mine = await ticket('s1', 'a', 'mine, with "quotes"');
  ids.request = await ticket('s1', 'a', 'portal request', 'web');
  ids.theirs = await ticket('s2', 'b', 'theirs');
  await sql`INSERT INTO ticket_photos (ticket_id, uploaded_by, content_type, size, bytes, at)
    VALUES (${ids.request}, 'cust', 'image/png', ${PNG.length}, ${PNG}, ${now}),
           (${ids.theirs}, 'other', 'image/png', ${PNG.length}, ${PNG}, ${now})`.execute(db);
  await sql`INSERT INTO surveys (ticket_id, customer_id, site, station, score, remarks, surveyed_by, at)
    VALUES (${ids.mine}, 'c1', 's1', 'a', 5, '很满意', 'Li', ${now}),
           (${ids.theirs}, 'c2', 's2', 'b', 2, 'slow', 'Wu', ${now})`.execute(db);
  const PDF = new TextEncoder().encode('%PDF-1.4 service record');
  await sql`INSERT INTO service_records (ticket_id, record, signature, pdf, created_at, created_by)
    VALUES (${ids.mine}, ${JSON.stringify({ workDone: '更换轴承' })}, ${PNG}, ${PDF}, ${now}, 'tech'),
           (${ids.theirs}, ${JSON.stringify({ workDone: 'theirs' })}, ${PNG}, ${PDF}, ${now}, 'tech')`.execute(
    db,
  );
  await sql`INSERT INTO depots (id, name) VALUES ('d1', 'Depot')`.execute(db);
  await sql`INSERT INTO parts (code, name_zh, name_en, unit_cost_cents) VALUES ('brg-6205', '轴承', 'Bearing', 8800)`.execute(
    db,
  );
  await sql`INSERT INTO ticket_parts (ticket_id, site, station, pump, part_code, depot_id, quantity, unit_cost_cents,
      used_on, used_by, at)
    VALUES (${ids.mine}, 's1', 'a', 1, 'brg-6205', 'd1', 2, 8800, 'pump', 'tech', ${now}),
           (${ids.theirs}, 's2', 'b', 1, 'brg-6205', 'd1', 5, 8800, 'pump', 'tech', ${now})`.execute(db);
  const points = [];
  // Each pair of readings sits inside one clock hour whatever minute the test runs at: a pair taken
  // from `now` split across two hours whenever the run fell in an hour's last minute.
  const hourStart = Math.floor(now / HOUR) * HOUR;
  for (let h = 1; h <= 6; h++) {
    for (const [site, station] of [
      ['s1', 'a'],
      ['s2', 'b'],
    ] as const) {
      points.push({
        site,
        station,
        meaning: 'pressure.outlet',
        ts: hourStart - h * HOUR + 10 * 60_000,
        value: h,
        q: 'good' as const,
      });
      points.push({
        site,
        station,
        meaning: 'pressure.outlet',
        ts: hourStart - h * HOUR + 11 * 60_000,
        value: h + 1,
        q: 'good' as const,
      });
    }
  }
  await telemetry.writeDurable(points);
  rest = await serveWithTestRoles([
    ...layer.routers,
    customerExportRoutes({ db, audit: layer.stores.audit, telemetry, clock: () => now }),
  ]);
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await telemetry?.close();
  await layer?.close();
});

describe("one customer's records as one archive", () => {
  test('the zip holds the manifest and every section, for this customer only', async () => {
    const answer = await fetchBytes(rest.base, '/customers/c1/export.zip?telemetryDays=2', 'engineer');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/zip');
    const files = unzipSync(answer.bytes);
    const text = (path: string) => strFromU8(files[path] ?? new Uint8Array());
    const manifest = JSON.parse(text('manifest.json'));
    expect(manifest.customer).toEqual({ id: 'c1', name: '华东水务' });
    expect(manifest.sites).toEqual(['s1']);
    expect(manifest.sections.map((s: { name: string }) => s.name)).toEqual([
      'tickets',
      'timelines',
      'portal-requests',
      'photos',
      'surveys',
      'telemetry-hourly',
      'service-records',
      'parts-and-charges',
    ]);
    for (const section of manifest.sections)
      for (const file of section.files) expect(Object.keys(files), file).toContain(file);

    const tickets = JSON.parse(text('tickets/tickets.json'));
    expect(tickets.map((t: { id: number }) => t.id).sort()).toEqual([ids.mine, ids.request].sort());
    expect(text('tickets/tickets.csv')).toContain('"mine, with ""quotes"""');
    expect(text('tickets/tickets.csv')).not.toContain('theirs');
    const timelines = JSON.parse(text('tickets/timelines.json'));
    expect(timelines.map((e: { ticket_id: number }) => e.ticket_id).sort()).toEqual(
      [ids.mine, ids.request].sort(),
    );
    expect(JSON.parse(text('portal/requests.json')).map((r: { id: number }) => r.id)).toEqual([ids.request]);
    const photos = Object.keys(files).filter((path) => path.startsWith('photos/'));
    expect(photos).toHaveLength(1);
    expect(photos[0]).toContain(`ticket-${ids.request}-`);
    expect([...(files[photos[0] ?? ''] ?? [])]).toEqual([...PNG]);
    const surveys = JSON.parse(text('surveys/surveys.json'));
    expect(surveys.map((s: { remarks: string }) => s.remarks)).toEqual(['很满意']);
    expect(text('surveys/surveys.csv')).not.toContain('slow');
    expect(Object.keys(files).filter((path) => path.startsWith('telemetry/'))).toEqual([
      'telemetry/s1-a-hourly.csv',
    ]);
    const hourly = text('telemetry/s1-a-hourly.csv').trim().split('\r\n');
    expect(hourly[0]).toBe('meaning,hour,mean,min,max');
    // Six hours, two readings each: the mean between them, min and max the readings.
    expect(hourly.length - 1).toBeGreaterThanOrEqual(6);
    const row = hourly.find((line) => line.endsWith(',3,4')) ?? '';
    expect(row.split(',')[2]).toBe('3.5');
    expect(
      Object.keys(files)
        .filter((path) => path.startsWith('service-records/'))
        .sort(),
    ).toEqual([
      'service-records/records.json',
      `service-records/ticket-${ids.mine}-signature.png`,
      `service-records/ticket-${ids.mine}.pdf`,
    ]);
    expect(strFromU8(files[`service-records/ticket-${ids.mine}.pdf`] ?? new Uint8Array())).toBe(
      '%PDF-1.4 service record',
    );
    expect(JSON.parse(text('service-records/records.json'))[0].record.workDone).toBe('更换轴承');
    const used = text('parts/parts-used.csv').trim().split('\r\n');
    expect(used).toHaveLength(2);
    expect(used[1]).toContain(`${ids.mine},s1,a,1,brg-6205,d1,2,8800`);
    const audit = await rest.call('GET', '/audit?action=customer.export', 'admin');
    expect(audit.body.entries[0].detail.sections.tickets).toBe(2);
  }, 60_000);

  test('another customer, an unknown one, and roles', async () => {
    const other = unzipSync((await fetchBytes(rest.base, '/customers/c2/export.zip', 'admin')).bytes);
    const tickets = JSON.parse(strFromU8(other['tickets/tickets.json'] ?? new Uint8Array()));
    expect(tickets.map((t: { id: number }) => t.id)).toEqual([ids.theirs]);
    const missing = await rest.call('GET', '/customers/nobody/export.zip', 'admin');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('error.noCustomer');
    expect((await rest.call('GET', '/customers/c1/export.zip', 'service')).status).toBe(403);
    expect((await rest.call('GET', '/customers/c1/export.zip?telemetryDays=0', 'admin')).status).toBe(400);
  });
});
