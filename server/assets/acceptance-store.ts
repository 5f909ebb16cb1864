import type { Kysely } from 'kysely';
import type { AcceptanceBody, AcceptanceRecord } from '../../core/api/acceptance.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActingUser } from '../auth/roles.ts';
import type { ServiceDatabase, StationAcceptanceRow, WarrantyTerms } from '../db/schema.ts';

export function recordFromRow(row: StationAcceptanceRow): AcceptanceRecord {
  return {
    site: row.site_id,
    station: row.station_id,
    acceptedOn: row.accepted_on,
    acceptedBy: row.accepted_by,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    nominalVoltage: row.nominal_voltage,
    dielectric: {
      testVoltage: row.dielectric_test_voltage,
      seconds: row.dielectric_seconds,
      passed: row.dielectric_passed,
    },
    earth: { resistanceOhms: row.earth_resistance_ohms, passed: row.earth_passed },
    notes: row.notes,
    passed: row.passed,
  };
}

/** The station as acceptance needs it: its pumps and its contract's warranty terms. */
export interface AcceptanceStation {
  site: string;
  station: string;
  acceptanceDate: string | null;
  warrantyEnd: string | null;
  /** null: the station names no contract. */
  terms: WarrantyTerms | null;
  pumps: { pump: number; model: string; warrantyEnd: string | null }[];
}

/** What a new record changes on the station and its pumps; undefined leaves their dates alone. */
export interface AcceptanceDates {
  acceptanceDate: string | null;
  warrantyEnd: string | null;
  pumps: { pump: number; warrantyEnd: string | null }[];
}

/** Acceptance records, one per station, written with the dates they start in one transaction. */
export class AcceptanceStore {
  constructor(
    private readonly db: Kysely<ServiceDatabase>,
    private readonly audit: AuditLog,
  ) {}

  async get(site: string, station: string): Promise<AcceptanceRecord | null> {
    const row = await this.db
      .selectFrom('station_acceptances')
      .selectAll()
      .where('site_id', '=', site)
      .where('station_id', '=', station)
      .executeTakeFirst();
    return row ? recordFromRow(row) : null;
  }

  async station(site: string, station: string): Promise<AcceptanceStation | undefined> {
    const row = await this.db
      .selectFrom('stations')
      .leftJoin('contracts', 'contracts.id', 'stations.contract_id')
      .select([
        'stations.acceptance_date',
        'stations.warranty_end',
        'stations.retired_at',
        'contracts.warranty',
      ])
      .where('stations.site_id', '=', site)
      .where('stations.id', '=', station)
      .executeTakeFirst();
    if (!row || row.retired_at !== null) return undefined;
    const pumps = await this.db
      .selectFrom('pumps')
      .select(['pump_no', 'model', 'warranty_end'])
      .where('site_id', '=', site)
      .where('station_id', '=', station)
      .where('retired_at', 'is', null)
      .orderBy('pump_no')
      .execute();
    return {
      site,
      station,
      acceptanceDate: row.acceptance_date,
      warrantyEnd: row.warranty_end,
      terms: row.warranty ?? null,
      pumps: pumps.map((p) => ({ pump: p.pump_no, model: p.model, warrantyEnd: p.warranty_end })),
    };
  }

  /** Replaces the station's record, sets the dates it starts (if any) and audits it, in one commit. */
  async record(input: {
    site: string;
    station: string;
    body: AcceptanceBody;
    passed: boolean;
    by: Pick<ActingUser, 'username' | 'role'>;
    at: number;
    dates: AcceptanceDates | undefined;
  }): Promise<void> {
    const { site, station, body } = input;
    const row = {
      site_id: site,
      station_id: station,
      accepted_on: body.acceptedOn,
      accepted_by: body.acceptedBy,
      recorded_by: input.by.username,
      recorded_at: input.at,
      nominal_voltage: body.nominalVoltage,
      dielectric_test_voltage: body.dielectric.testVoltage,
      dielectric_seconds: body.dielectric.seconds,
      dielectric_passed: body.dielectric.passed,
      earth_resistance_ohms: body.earth.resistanceOhms,
      earth_passed: body.earth.passed,
      passed: input.passed,
      notes: body.notes,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('station_acceptances')
        .values(row)
        .onConflict((oc) => oc.columns(['site_id', 'station_id']).doUpdateSet(row))
        .execute();
      const dates = input.dates;
      if (dates) {
        await tx
          .updateTable('stations')
          .set({ acceptance_date: dates.acceptanceDate, warranty_end: dates.warrantyEnd })
          .where('site_id', '=', site)
          .where('id', '=', station)
          .execute();
        for (const pump of dates.pumps) {
          await tx
            .updateTable('pumps')
            .set({ acceptance_date: dates.acceptanceDate, warranty_end: pump.warrantyEnd })
            .where('site_id', '=', site)
            .where('station_id', '=', station)
            .where('pump_no', '=', pump.pump)
            .execute();
        }
      }
      await this.audit.record(
        input.by,
        {
          action: 'station.acceptance',
          target: `station/${site}/${station}`,
          result: 'ok',
          detail: { ...body, passed: input.passed },
        },
        tx,
      );
    });
  }
}
