import type { Kysely } from 'kysely';
import type { CustomerView, SiteView } from '../../core/api/fleet.ts';
import type {
  ContractRecord,
  CustomerRecord,
  FleetData,
  PumpRecord,
  SiteRecord,
  StationRecord,
} from '../../core/fleet/fleet-records.ts';
import { emptySnapshot, type FleetKind, type FleetSnapshot } from '../../core/fleet/fleet-rules.ts';
import type { ContractRow, ServiceDatabase, WarrantyTerms } from '../db/schema.ts';

type Db = Kysely<ServiceDatabase>;

/** Stored warranty terms with every field filled in (rows written before migration 6 hold `{}`). */
export function warrantyOf(stored: WarrantyTerms | null | undefined) {
  return {
    equipmentYears: stored?.equipmentYears ?? 1,
    parts: stored?.parts ?? [],
    softwareLifetime: stored?.softwareLifetime ?? false,
  };
}

/** A contract row as GET /api/contracts answers it (snake case, as it always has). */
export function contractRowView(row: ContractRow) {
  return { ...row, warranty: warrantyOf(row.warranty) };
}

/**
 * The master data's reads and writes beside AssetStore: views with retirement, the snapshot the
 * rules of core/fleet/fleet-rules.ts judge, and writes that take a transaction so an import is one.
 */
export class FleetStore {
  constructor(
    readonly db: Db,
    private readonly clock: () => number,
  ) {}

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Every row's id, references and retirement: what the rules need. */
  async snapshot(db: Db = this.db): Promise<FleetSnapshot> {
    const snapshot = emptySnapshot();
    const retired = (at: number | null) => at !== null;
    for (const row of await db.selectFrom('customers').select(['id', 'retired_at']).execute()) {
      snapshot.customer.set(row.id, { retired: retired(row.retired_at) });
    }
    for (const row of await db.selectFrom('sites').select(['id', 'customer_id', 'retired_at']).execute()) {
      snapshot.site.set(row.id, { retired: retired(row.retired_at), customerId: row.customer_id });
    }
    const contracts = await db.selectFrom('contracts').select(['id', 'customer_id', 'retired_at']).execute();
    for (const row of contracts) {
      snapshot.contract.set(row.id, { retired: retired(row.retired_at), customerId: row.customer_id });
    }
    const stations = await db
      .selectFrom('stations')
      .select(['site_id', 'id', 'contract_id', 'edge_id', 'retired_at'])
      .execute();
    for (const row of stations) {
      snapshot.station.set(`${row.site_id}/${row.id}`, {
        retired: retired(row.retired_at),
        siteId: row.site_id,
        contractId: row.contract_id,
        edgeId: row.edge_id,
      });
    }
    const pumps = await db
      .selectFrom('pumps')
      .select(['site_id', 'station_id', 'pump_no', 'retired_at'])
      .execute();
    for (const row of pumps) {
      snapshot.pump.set(`${row.site_id}/${row.station_id}/${row.pump_no}`, {
        retired: retired(row.retired_at),
        siteId: row.site_id,
      });
    }
    for (const row of await db.selectFrom('edges').select(['id', 'site_id', 'retired_at']).execute()) {
      snapshot.edge.set(row.id, { retired: retired(row.retired_at), siteId: row.site_id });
    }
    for (const row of await db.selectFrom('sla_policies').select('id').execute())
      snapshot.policies.add(row.id);
    return snapshot;
  }

  async customers(withRetired: boolean): Promise<CustomerView[]> {
    let query = this.db.selectFrom('customers').selectAll();
    if (!withRetired) query = query.where('retired_at', 'is', null);
    const rows = await query.orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      address: row.address,
      phone: row.phone,
      contacts: row.contacts,
      retiredAt: row.retired_at,
    }));
  }

  async sites(withRetired: boolean, customer?: string): Promise<SiteView[]> {
    let query = this.db.selectFrom('sites').selectAll();
    if (!withRetired) query = query.where('retired_at', 'is', null);
    if (customer) query = query.where('customer_id', '=', customer);
    const rows = await query.orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      name: row.name,
      address: row.address,
      timeZone: row.time_zone,
      latitude: row.latitude,
      longitude: row.longitude,
      retiredAt: row.retired_at,
    }));
  }

  async saveCustomer(record: CustomerRecord, db: Db = this.db): Promise<void> {
    const values = {
      id: record.id,
      name: record.name,
      address: record.address,
      phone: record.phone,
      contacts: JSON.stringify(record.contacts),
    };
    await db
      .insertInto('customers')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** A new site starts with the default thresholds; a changed one keeps its own. */
  async saveSite(record: SiteRecord, db: Db = this.db): Promise<void> {
    const values = {
      id: record.id,
      customer_id: record.customerId,
      name: record.name,
      address: record.address,
      time_zone: record.timeZone,
      latitude: record.latitude,
      longitude: record.longitude,
    };
    await db
      .insertInto('sites')
      .values({ ...values, thresholds: '{}' })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  async saveContract(record: ContractRecord, db: Db = this.db): Promise<void> {
    const values = {
      id: record.id,
      customer_id: record.customerId,
      name: record.name,
      sla_policy_id: record.slaPolicyId,
      starts_on: record.startsOn,
      ends_on: record.endsOn,
      warranty_terms: record.warrantyTerms,
      warranty: JSON.stringify(record.warranty),
    };
    await db
      .insertInto('contracts')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  async saveStation(record: StationRecord, db: Db = this.db): Promise<void> {
    const values = {
      site_id: record.siteId,
      id: record.id,
      name: record.name,
      model: record.model,
      serial_number: record.serialNumber,
      acceptance_date: record.acceptanceDate,
      warranty_end: record.warrantyEnd,
      contract_id: record.contractId,
      profile: record.profile,
      endpoint: record.endpoint === null ? null : JSON.stringify(record.endpoint),
      edge_id: record.edgeId,
    };
    await db
      .insertInto('stations')
      .values(values)
      .onConflict((oc) => oc.columns(['site_id', 'id']).doUpdateSet(values))
      .execute();
  }

  async savePump(record: PumpRecord, db: Db = this.db): Promise<void> {
    const values = {
      site_id: record.siteId,
      station_id: record.stationId,
      pump_no: record.number,
      model: record.model,
      serial_number: record.serialNumber,
      acceptance_date: record.acceptanceDate,
      warranty_end: record.warrantyEnd,
      sale_date: record.saleDate,
      install_date: record.installDate,
    };
    await db
      .insertInto('pumps')
      .values(values)
      .onConflict((oc) => oc.columns(['site_id', 'station_id', 'pump_no']).doUpdateSet(values))
      .execute();
  }

  /** Marks a row retired (a station with its pumps); a retired row keeps its first date. */
  async retire(kind: Exclude<FleetKind, 'pump' | 'edge'>, key: string, db: Db = this.db): Promise<void> {
    const at = this.clock();
    if (kind === 'station') {
      const [site, station] = key.split('/') as [string, string];
      await db
        .updateTable('stations')
        .set({ retired_at: at })
        .where('site_id', '=', site)
        .where('id', '=', station)
        .where('retired_at', 'is', null)
        .execute();
      await db
        .updateTable('pumps')
        .set({ retired_at: at })
        .where('site_id', '=', site)
        .where('station_id', '=', station)
        .where('retired_at', 'is', null)
        .execute();
      return;
    }
    const table = ({ customer: 'customers', site: 'sites', contract: 'contracts' } as const)[kind];
    await db
      .updateTable(table)
      .set({ retired_at: at })
      .where('id', '=', key)
      .where('retired_at', 'is', null)
      .execute();
  }

  /** Every row that is not retired, as import takes it back. */
  async exportData(): Promise<FleetData> {
    const customers = (await this.customers(false)).map(({ retiredAt: _, ...customer }) => customer);
    const sites = (await this.sites(false)).map(({ retiredAt: _, ...site }) => site);
    const contractRows = await this.db
      .selectFrom('contracts')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('id')
      .execute();
    const contracts = contractRows.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      name: row.name,
      slaPolicyId: row.sla_policy_id,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      warranty: warrantyOf(row.warranty),
      warrantyTerms: row.warranty_terms,
    }));
    const stationRows = await this.db
      .selectFrom('stations')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('site_id')
      .orderBy('id')
      .execute();
    const pumpRows = await this.db
      .selectFrom('pumps')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('pump_no')
      .execute();
    const stations = stationRows.map((row) => ({
      siteId: row.site_id,
      id: row.id,
      name: row.name,
      profile: row.profile,
      endpoint: row.endpoint,
      contractId: row.contract_id,
      edgeId: row.edge_id,
      model: row.model,
      serialNumber: row.serial_number,
      acceptanceDate: row.acceptance_date,
      warrantyEnd: row.warranty_end,
      pumps: pumpRows
        .filter((pump) => pump.site_id === row.site_id && pump.station_id === row.id)
        .map((pump) => ({
          number: pump.pump_no,
          model: pump.model,
          serialNumber: pump.serial_number,
          acceptanceDate: pump.acceptance_date,
          warrantyEnd: pump.warranty_end,
          saleDate: pump.sale_date,
          installDate: pump.install_date,
        })),
    }));
    return { customers, sites, contracts, stations } as FleetData;
  }
}
