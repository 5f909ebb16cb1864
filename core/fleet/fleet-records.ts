import type { z } from 'zod';
import { pumpBodySchema, stationBodySchema } from '../api/assets.ts';
import { idSchema, pumpNumber } from '../api/common.ts';
import {
  FLEET_FILE_KINDS,
  newContractBodySchema,
  newCustomerBodySchema,
  newSiteBodySchema,
} from '../api/fleet.ts';

/**
 * The rows of a fleet file: the API's bodies plus their ids, so a file says what the routes say.
 * A station names its site (`siteId`); a pump its station (`siteId`, `stationId`) and `number`.
 */
export const stationRecordSchema = stationBodySchema.extend({ siteId: idSchema, id: idSchema }).strict();
export const pumpRecordSchema = pumpBodySchema
  .extend({ siteId: idSchema, stationId: idSchema, number: pumpNumber })
  .strict();

export const RECORD_SCHEMAS = {
  customer: newCustomerBodySchema,
  site: newSiteBodySchema,
  contract: newContractBodySchema,
  station: stationRecordSchema,
  pump: pumpRecordSchema,
} as const;

export type RecordKind = keyof typeof RECORD_SCHEMAS;
/** In the order an import applies them: each refers only to kinds before it. */
export const RECORD_KINDS = [
  'customer',
  'site',
  'contract',
  'station',
  'pump',
] as const satisfies RecordKind[];

export type CustomerRecord = z.output<typeof newCustomerBodySchema>;
export type SiteRecord = z.output<typeof newSiteBodySchema>;
export type ContractRecord = z.output<typeof newContractBodySchema>;
export type StationRecord = z.output<typeof stationRecordSchema>;
export type PumpRecord = z.output<typeof pumpRecordSchema>;
export type FleetRecord = {
  customer: CustomerRecord;
  site: SiteRecord;
  contract: ContractRecord;
  station: StationRecord;
  pump: PumpRecord;
};

/** The whole fleet as export writes it: stations carry their pumps. */
export interface FleetData {
  customers: CustomerRecord[];
  sites: SiteRecord[];
  contracts: ContractRecord[];
  stations: (StationRecord & { pumps: Omit<PumpRecord, 'siteId' | 'stationId'>[] })[];
}

/** The key a record is known by: its id, `site/station` for a station, `site/station/n` for a pump. */
export function recordKey(kind: RecordKind, record: Record<string, unknown>): string {
  if (kind === 'station') return `${String(record.siteId)}/${String(record.id)}`;
  if (kind === 'pump') return `${String(record.siteId)}/${String(record.stationId)}/${String(record.number)}`;
  return String(record.id);
}

export const FILE_KINDS = FLEET_FILE_KINDS;
export type FileKind = (typeof FLEET_FILE_KINDS)[number];

export const FILE_KIND_OF: Record<FileKind, RecordKind> = {
  customers: 'customer',
  sites: 'site',
  contracts: 'contract',
  stations: 'station',
};
