import { type Kysely, sql } from 'kysely';
import type { AssetStore } from '../assets/asset-store.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { exposedPumps } from './exposed-pumps.ts';
import type { ExposedPump } from './exposure.ts';
import { REPEAT_WINDOW_MS, type TicketFact } from './half-year.ts';
import type { ReportScope } from './service-quality.ts';

/** Tickets opened in [from - 30 days, to) and the pumps in scope, as the half-year report reads them. */
export async function loadReportFacts(
  db: Kysely<ServiceDatabase>,
  assets: AssetStore,
  scope: ReportScope,
): Promise<{ tickets: TicketFact[]; pumps: ExposedPump[] }> {
  const sites = await assets.sites();
  const wanted = (site: string, customer: string) =>
    (!scope.sites || scope.sites.has(site)) && (!scope.customer || scope.customer === customer);
  const pumps = exposedPumps(await assets.stations(), sites).filter(
    (pump) => wanted(pump.site, pump.customer) && (!scope.model || pump.model === scope.model),
  );
  const customerOf = new Map(sites.map((site) => [site.id, site.customer_id]));
  const modelOf = new Map(pumps.map((pump) => [`${pump.site}/${pump.station}`, pump.model]));
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('pumps', (join) =>
      join
        .onRef('pumps.site_id', '=', 'tickets.site')
        .onRef('pumps.station_id', '=', 'tickets.station')
        .onRef('pumps.pump_no', '=', 'tickets.pump'),
    )
    .select([
      'tickets.id',
      'tickets.site',
      'tickets.station',
      'tickets.pump',
      'tickets.source',
      'tickets.severity',
      'tickets.fault_class',
      'tickets.root_cause',
      'tickets.created_at',
      'tickets.resolved_at',
      'tickets.reopen_count',
      'tickets.parts_used',
      'tickets.work_done',
      'tickets.equipment_model',
      'pumps.model',
    ])
    .select((eb) =>
      eb
        .selectFrom('ticket_events')
        .whereRef('ticket_events.ticket_id', '=', 'tickets.id')
        .where('ticket_events.action', '=', 'arrive')
        .select(eb.fn.countAll<number>().as('n'))
        .as('visits'),
    )
    .where('tickets.created_at', '>=', scope.from - REPEAT_WINDOW_MS)
    .where('tickets.created_at', '<', scope.to)
    .execute();
  const fitted = await partsFitted(
    db,
    rows.map((row) => row.id),
  );
  const tickets = rows
    .map((row) => ({ row, customer: customerOf.get(row.site) ?? '' }))
    .filter(({ row, customer }) => wanted(row.site, customer))
    .map(
      ({ row, customer }): TicketFact => ({
        id: row.id,
        site: row.site,
        station: row.station,
        customer,
        pump: row.pump,
        model: row.model || row.equipment_model || modelOf.get(`${row.site}/${row.station}`) || 'unknown',
        source: row.source,
        severity: row.severity,
        faultClass: row.fault_class,
        rootCause: row.root_cause,
        createdAt: row.created_at,
        resolvedAt: row.resolved_at,
        reopenCount: row.reopen_count,
        visits: Number(row.visits ?? 0),
        parts: fitted.get(row.id) ?? (row.parts_used ?? []).map(partUsed),
        workDone: row.work_done,
      }),
    );
  return { tickets: scope.model ? tickets.filter((t) => t.model === scope.model) : tickets, pumps };
}

/**
 * Parts fitted on these tickets from the parts catalogue's depots (ticket_parts, written with the
 * service record), with the unit cost they were taken at, in yuan. A ticket without such rows keeps
 * the parts typed on its resolution (tickets.parts_used).
 */
async function partsFitted(
  db: Kysely<ServiceDatabase>,
  ids: readonly number[],
): Promise<Map<number, TicketFact['parts']>> {
  const fitted = new Map<number, TicketFact['parts']>();
  if (ids.length === 0) return fitted;
  const rows = await sql<{ ticket_id: number; part_code: string; quantity: number; unit_cost_cents: number }>`
    SELECT ticket_id, part_code, quantity, unit_cost_cents FROM ticket_parts
    WHERE ticket_id IN (${sql.join(ids)}) ORDER BY id`.execute(db);
  for (const row of rows.rows) {
    const list = fitted.get(row.ticket_id) ?? [];
    list.push({ part: row.part_code, quantity: row.quantity, unitCost: row.unit_cost_cents / 100 });
    fitted.set(row.ticket_id, list);
  }
  return fitted;
}

/** A part as stored; a unit cost is read when the parts catalogue (issue 19 part 3) wrote one. */
function partUsed(used: { part: string; quantity: number }): TicketFact['parts'][number] {
  const unitCost: unknown = (used as Record<string, unknown>).unitCost;
  return typeof unitCost === 'number' ? { ...used, unitCost } : { part: used.part, quantity: used.quantity };
}
