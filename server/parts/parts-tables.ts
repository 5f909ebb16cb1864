import type { Generated, Kysely } from 'kysely';
import type { ChargeLine } from '../../core/service-record/charges.ts';
import type { ServiceDatabase } from '../db/schema.ts';

/** Tables of migration 17 (parts, depots, stock, parts used, quotes, service records). */
export interface DepotTable {
  id: string;
  name: string;
}
export interface PartTable {
  code: string;
  name_zh: string;
  name_en: string;
  unit_cost_cents: number;
  warranty_months: number;
}
export interface PartStockTable {
  depot_id: string;
  part_code: string;
  quantity: number;
}
export interface TicketPartTable {
  id: Generated<number>;
  ticket_id: number;
  site: string;
  station: string;
  pump: number | null;
  part_code: string;
  depot_id: string;
  quantity: number;
  unit_cost_cents: number;
  used_on: string;
  used_by: string;
  at: number;
}
/** A charge as stored: the decision and what it was decided on. */
export interface StoredCharge {
  lines: ChargeLine[];
  totalCents: number;
  inWarranty: boolean | null;
  equipmentWarrantyEnd: string | null;
  rootCause: string;
}
export interface TicketQuoteTable {
  ticket_id: number;
  charge: StoredCharge | string;
  created_at: number;
  created_by: string;
  confirmation: 'portal' | 'paper' | null;
  confirmed_at: number | null;
  confirmed_by: string | null;
  signer_name: string | null;
}
export interface ServiceRecordTable {
  ticket_id: number;
  record: Record<string, unknown> | string;
  signature: Uint8Array;
  pdf: Uint8Array;
  created_at: number;
  created_by: string;
}

export interface PartsDatabase extends ServiceDatabase {
  depots: DepotTable;
  parts: PartTable;
  part_stock: PartStockTable;
  ticket_parts: TicketPartTable;
  ticket_quotes: TicketQuoteTable;
  service_records: ServiceRecordTable;
}

/** The service database with migration 17's tables. */
export function partsDb(db: Kysely<ServiceDatabase>): Kysely<PartsDatabase> {
  return db as unknown as Kysely<PartsDatabase>;
}

/** jsonb as pg (parsed) or PGlite (parsed too, but text when written as text) hands it back. */
export function jsonOf<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
