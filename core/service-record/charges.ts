/**
 * Who pays for a repair (DOMAIN.md "Warranty"; seeds: 保修期内免费维修和更换属质量原因造成的零部件损坏,
 * 保修期外零部件的损坏，提供的配件只收成本费，由需方人为因素造成的设备损坏…均按成本价计). Pure.
 */

/** Why a line is free or charged: a code the dashboards and the PDF render in the reader's language. */
export const CHARGE_REASONS = [
  /** The root cause is the customer's (damage, operating error, supply, dry run): charged even in warranty. */
  'customerCaused',
  /** The same part was fitted here before and its own warranty still runs. */
  'partWarranty',
  /** The equipment is inside its warranty and the fault is not the customer's. */
  'inWarranty',
  /** The equipment's warranty has ended: parts at cost. */
  'outOfWarranty',
  /** No warranty end is known for the equipment: charged at cost until someone records one. */
  'warrantyUnknown',
] as const;
export type ChargeReason = (typeof CHARGE_REASONS)[number];

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

export interface ChargeLineInput {
  part: string;
  quantity: number;
  /** The catalogue's unit cost, in cents (分). */
  unitCostCents: number;
  /** The last day of this part's own warranty from an earlier fitting at this equipment; null: none. */
  partWarrantyEnd: Day | null;
}

export interface ChargeInput {
  /** The day of the service. */
  day: Day;
  /** The equipment's (pump's or station's) last day in warranty; null when unknown. */
  equipmentWarrantyEnd: Day | null;
  /** Whether the root cause is the customer's responsibility (root cause `chargeable`). */
  customerCaused: boolean;
  lines: readonly ChargeLineInput[];
  /** Labour as the contract prices it, in cents; null when the contract has no labour term. */
  labourCents: number | null;
}

export interface ChargeLine {
  /** A part's code, or `labour`. */
  part: string;
  quantity: number;
  unitCostCents: number;
  /** What the customer pays for this line (0 when free). */
  amountCents: number;
  charged: boolean;
  reason: ChargeReason;
}

export interface Charge {
  lines: ChargeLine[];
  totalCents: number;
  /** The equipment's own warranty on the day: true, false or unknown (null). */
  inWarranty: boolean | null;
}

/** The equipment-level decision for anything that is not a part under its own warranty. */
function equipmentReason(input: ChargeInput): { charged: boolean; reason: ChargeReason } {
  if (input.customerCaused) return { charged: true, reason: 'customerCaused' };
  if (input.equipmentWarrantyEnd === null) return { charged: true, reason: 'warrantyUnknown' };
  if (input.day <= input.equipmentWarrantyEnd) return { charged: false, reason: 'inWarranty' };
  return { charged: true, reason: 'outOfWarranty' };
}

/** The charge of a repair: a line per part (and labour when the contract prices it), with its reason. */
export function decideCharge(input: ChargeInput): Charge {
  const base = equipmentReason(input);
  const lines: ChargeLine[] = input.lines.map((line) => {
    const ownWarranty =
      !input.customerCaused && line.partWarrantyEnd !== null && input.day <= line.partWarrantyEnd;
    const decision = ownWarranty ? { charged: false, reason: 'partWarranty' as const } : base;
    return {
      part: line.part,
      quantity: line.quantity,
      unitCostCents: line.unitCostCents,
      amountCents: decision.charged ? line.quantity * line.unitCostCents : 0,
      ...decision,
    };
  });
  if (input.labourCents !== null && input.labourCents > 0)
    lines.push({
      part: 'labour',
      quantity: 1,
      unitCostCents: input.labourCents,
      amountCents: base.charged ? input.labourCents : 0,
      ...base,
    });
  return {
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
    inWarranty: input.equipmentWarrantyEnd === null ? null : input.day <= input.equipmentWarrantyEnd,
  };
}

/** `day` plus `months` calendar months, clamped to the month's last day (2026-01-31 + 1 = 2026-02-28). */
export function addMonthsToDay(day: Day, months: number): Day {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * The last day of a part's own warranty at an equipment: the latest earlier fitting of the same part
 * plus the part's warranty months; null when never fitted there or the part has no warranty of its own.
 */
export function partWarrantyEnd(fittedOn: readonly Day[], warrantyMonths: number): Day | null {
  if (warrantyMonths <= 0 || fittedOn.length === 0) return null;
  const latest = [...fittedOn].sort().at(-1) as Day;
  return addMonthsToDay(latest, warrantyMonths);
}
