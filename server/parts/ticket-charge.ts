import { type Charge, decideCharge, partWarrantyEnd } from '../../core/service-record/charges.ts';
import { ROOT_CAUSES } from '../../core/tickets/root-causes.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import { dayOf, warrantyFromAcceptance } from '../assets/warranty.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketRow } from '../db/schema.ts';
import type { PartsStore } from './parts-store.ts';
import type { StoredCharge } from './parts-tables.ts';

/**
 * The equipment's last warranty day: the ticket's (copied from the pump or station when it opened),
 * else from the station's acceptance date and its contract's warranty terms; null when neither is known.
 */
export async function equipmentWarrantyEnd(assets: AssetStore, ticket: TicketRow): Promise<string | null> {
  if (ticket.warranty_end) return ticket.warranty_end;
  const station = (await assets.stations(ticket.site)).find((row) => row.id === ticket.station);
  if (!station?.acceptance_date) return null;
  const contract = (await assets.contracts()).find((row) => row.id === station.contract_id);
  if (!contract) return null;
  const dates = warrantyFromAcceptance(
    contract.warranty,
    station.acceptance_date,
    station.pumps.map((pump) => ({ pump: pump.pump_no, model: pump.model })),
  );
  if (ticket.pump === null) return dates.equipmentEnd;
  return dates.pumps.find((pump) => pump.pump === ticket.pump)?.warrantyEnd ?? dates.equipmentEnd;
}

/** What the parts (and labour, when a contract prices it) cost the customer on this ticket, and why. */
export async function chargeForTicket(
  deps: { parts: PartsStore; assets: AssetStore },
  ticket: TicketRow,
  rootCause: string,
  used: readonly { part: string; quantity: number }[],
  at: number,
): Promise<StoredCharge> {
  const codes = [...new Set(used.map((line) => line.part))];
  const catalogue = new Map((await deps.parts.parts(codes)).map((part) => [part.code, part]));
  const missing = codes.find((code) => !catalogue.has(code));
  if (missing !== undefined)
    throw new RefusedError(`no part ${missing} in the catalogue`, 404, 'error.noPart', { part: missing });
  const fittings = await deps.parts.fittings(ticket, codes);
  const warrantyEnd = await equipmentWarrantyEnd(deps.assets, ticket);
  const charge: Charge = decideCharge({
    day: dayOf(at),
    equipmentWarrantyEnd: warrantyEnd,
    customerCaused: ROOT_CAUSES.find((cause) => cause.code === rootCause)?.chargeable ?? false,
    lines: used.map((line) => {
      const part = catalogue.get(line.part);
      return {
        part: line.part,
        quantity: line.quantity,
        unitCostCents: part?.unitCostCents ?? 0,
        partWarrantyEnd: partWarrantyEnd(fittings.get(line.part) ?? [], part?.warrantyMonths ?? 0),
      };
    }),
    // No contract field prices labour yet: a visit's labour is not charged (DOMAIN.md: parts at cost).
    labourCents: null,
  });
  return { ...charge, equipmentWarrantyEnd: warrantyEnd, rootCause };
}
