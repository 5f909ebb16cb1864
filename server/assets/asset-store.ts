import type { Insertable, Kysely } from 'kysely';
import { resolveThresholds, type SiteThresholds } from '../alarms/thresholds.ts';
import type {
  ContractRow,
  ContractTable,
  CustomerRow,
  CustomerTable,
  PumpRow,
  PumpTable,
  ServiceDatabase,
  SiteRow,
  SiteTable,
  SlaPolicyRow,
  StationRow,
  StationTable,
} from '../db/schema.ts';
import { DEFAULT_POLICY_ID, SEED_POLICIES, type SlaPolicy } from '../sla/policies.ts';

/** The equipment and contract a ticket is about, resolved when it opens. */
export interface Equipment {
  contractId: string | null;
  slaPolicyId: string;
  model: string | null;
  serial: string | null;
  warrantyEnd: string | null;
}

export function policyFromRow(row: SlaPolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    respondMinutes: row.respond_minutes,
    onSiteMinutes: row.on_site_minutes,
    fixMinutes: row.fix_minutes,
    atRiskFraction: row.at_risk_fraction,
    fixFrom: row.fix_from === 'report' ? 'report' : 'arrival',
    hours: row.hours,
  };
}

/** Customers, sites, stations, pumps, contracts and SLA policies. */
export class AssetStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async seedPolicies(): Promise<void> {
    for (const policy of SEED_POLICIES) await this.upsertPolicy(policy, false);
  }

  async upsertPolicy(policy: SlaPolicy, overwrite = true): Promise<void> {
    const row = {
      id: policy.id,
      name: policy.name,
      source: policy.source,
      respond_minutes: policy.respondMinutes,
      on_site_minutes: policy.onSiteMinutes,
      fix_minutes: JSON.stringify(policy.fixMinutes),
      at_risk_fraction: policy.atRiskFraction,
      fix_from: policy.fixFrom,
      hours: JSON.stringify(policy.hours),
    };
    await this.db
      .insertInto('sla_policies')
      .values(row)
      .onConflict((oc) => (overwrite ? oc.column('id').doUpdateSet(row) : oc.column('id').doNothing()))
      .execute();
  }

  async policies(): Promise<SlaPolicy[]> {
    const rows = await this.db.selectFrom('sla_policies').selectAll().orderBy('id').execute();
    return rows.map(policyFromRow);
  }

  async policy(id: string): Promise<SlaPolicy | undefined> {
    const row = await this.db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? policyFromRow(row) : undefined;
  }

  async customers(): Promise<CustomerRow[]> {
    return await this.db.selectFrom('customers').selectAll().orderBy('id').execute();
  }

  async contracts(): Promise<ContractRow[]> {
    return await this.db.selectFrom('contracts').selectAll().orderBy('id').execute();
  }

  async contract(id: string): Promise<ContractRow | undefined> {
    return await this.db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async sites(): Promise<SiteRow[]> {
    return await this.db.selectFrom('sites').selectAll().orderBy('id').execute();
  }

  async stations(site?: string): Promise<(StationRow & { pumps: PumpRow[] })[]> {
    let query = this.db.selectFrom('stations').selectAll();
    if (site) query = query.where('site_id', '=', site);
    const stations = await query.orderBy('site_id').orderBy('id').execute();
    let pumpQuery = this.db.selectFrom('pumps').selectAll();
    if (site) pumpQuery = pumpQuery.where('site_id', '=', site);
    const pumps = await pumpQuery.orderBy('pump_no').execute();
    return stations.map((station) => ({
      ...station,
      pumps: pumps.filter((pump) => pump.site_id === station.site_id && pump.station_id === station.id),
    }));
  }

  async upsertCustomer(row: Insertable<CustomerTable>): Promise<void> {
    await this.db
      .insertInto('customers')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async upsertContract(row: Insertable<ContractTable>): Promise<void> {
    await this.db
      .insertInto('contracts')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async upsertSite(
    row: Omit<Insertable<SiteTable>, 'thresholds'> & { thresholds: Record<string, unknown> },
  ): Promise<void> {
    resolveThresholds(row.thresholds);
    const values = { ...row, thresholds: JSON.stringify(row.thresholds) };
    await this.db
      .insertInto('sites')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  async upsertStation(row: Insertable<StationTable>): Promise<void> {
    await this.db
      .insertInto('stations')
      .values(row)
      .onConflict((oc) => oc.columns(['site_id', 'id']).doUpdateSet(row))
      .execute();
  }

  async upsertPump(row: Insertable<PumpTable>): Promise<void> {
    await this.db
      .insertInto('pumps')
      .values(row)
      .onConflict((oc) => oc.columns(['site_id', 'station_id', 'pump_no']).doUpdateSet(row))
      .execute();
  }

  /** The site's thresholds merged over the defaults (defaults for an unknown site). */
  async thresholds(site: string): Promise<SiteThresholds> {
    const row = await this.db
      .selectFrom('sites')
      .select('thresholds')
      .where('id', '=', site)
      .executeTakeFirst();
    return resolveThresholds(row?.thresholds);
  }

  /** Contract, policy, model, serial and warranty of a station or one of its pumps. */
  async equipment(
    site: string,
    station: string,
    pump: number | null,
    db: Kysely<ServiceDatabase> = this.db,
  ): Promise<Equipment> {
    const stationRow = await db
      .selectFrom('stations')
      .leftJoin('contracts', 'contracts.id', 'stations.contract_id')
      .select([
        'stations.model',
        'stations.serial_number',
        'stations.warranty_end',
        'stations.contract_id',
        'contracts.sla_policy_id',
      ])
      .where('stations.site_id', '=', site)
      .where('stations.id', '=', station)
      .executeTakeFirst();
    const pumpRow =
      pump === null
        ? undefined
        : await db
            .selectFrom('pumps')
            .selectAll()
            .where('site_id', '=', site)
            .where('station_id', '=', station)
            .where('pump_no', '=', pump)
            .executeTakeFirst();
    const source = pumpRow ?? stationRow;
    return {
      contractId: stationRow?.contract_id ?? null,
      slaPolicyId: stationRow?.sla_policy_id ?? DEFAULT_POLICY_ID,
      model: source?.model ?? null,
      serial: source?.serial_number ?? null,
      warrantyEnd: source?.warranty_end ?? null,
    };
  }
}
