import { warrantyTermsSchema } from '../../core/api/fleet.ts';
import type { WarrantyTerms } from '../db/schema.ts';
import { addMonths, type Day } from '../maintenance/schedule.ts';

/** Calendar day (UTC) of a time, as stored in asset dates: `YYYY-MM-DD`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Whether equipment is in warranty on the day of `at`; null when its warranty end is unknown. */
export function inWarranty(warrantyEnd: string | null, at: number): boolean | null {
  if (!warrantyEnd) return null;
  return dayOf(at) <= warrantyEnd;
}

/** A pump is the part a contract names `pump`, `水泵` or `泵`, or by its own model. */
const PUMP_PARTS = new Set(['pump', 'pumps', '水泵', '泵']);

export interface WarrantyDates {
  /** The whole equipment's last day in warranty (the anniversary, inclusive, as the demo's data). */
  equipmentEnd: Day;
  parts: { part: string; ends: Day }[];
  softwareLifetime: boolean;
  pumps: { pump: number; warrantyEnd: Day }[];
}

/**
 * The warranty a station accepted on `acceptedOn` gets from its contract's terms (jsonb as stored;
 * missing fields take the schema's defaults). A pump named by a part's terms gets that part's period,
 * else the equipment's. Pure.
 */
export function warrantyFromAcceptance(
  stored: WarrantyTerms,
  acceptedOn: Day,
  pumps: readonly { pump: number; model: string }[],
): WarrantyDates {
  // Terms the schema refuses (hand-edited rows) count as the defaults: one year, no parts.
  const parsed = warrantyTermsSchema.safeParse(stored);
  const terms = parsed.success ? parsed.data : warrantyTermsSchema.parse({});
  const equipmentEnd = addMonths(acceptedOn, terms.equipmentYears * 12);
  const parts = terms.parts.map((p) => ({ part: p.part, ends: addMonths(acceptedOn, p.months) }));
  const partOf = (model: string) =>
    parts.find((p) => {
      const name = p.part.trim().toLowerCase();
      return PUMP_PARTS.has(name) || (model !== '' && name === model.trim().toLowerCase());
    });
  return {
    equipmentEnd,
    parts,
    softwareLifetime: terms.softwareLifetime,
    pumps: pumps.map((p) => ({ pump: p.pump, warrantyEnd: partOf(p.model)?.ends ?? equipmentEnd })),
  };
}
