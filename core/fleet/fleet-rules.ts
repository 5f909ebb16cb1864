import type { MessageCode, MessageParams } from '../i18n/render.ts';

/**
 * The rules of the fleet's master data, over plain data: which id is taken, which reference names
 * a row that is missing or retired, what still uses a row that is to be retired. The routes and the
 * import both ask these, so a row the API refuses is refused by the import in the same words.
 */

export const FLEET_KINDS = ['customer', 'site', 'contract', 'station', 'pump', 'edge'] as const;
export type FleetKind = (typeof FLEET_KINDS)[number];

/** A row of the snapshot: whether it is retired and the ids it refers to. */
export interface SnapshotRow {
  retired: boolean;
  customerId?: string;
  siteId?: string;
  contractId?: string | null;
  edgeId?: string | null;
}

/**
 * What the rules need to know of the database. Stations are keyed `site/station`, pumps
 * `site/station/number`.
 */
export interface FleetSnapshot {
  customer: Map<string, SnapshotRow>;
  site: Map<string, SnapshotRow>;
  contract: Map<string, SnapshotRow>;
  station: Map<string, SnapshotRow>;
  pump: Map<string, SnapshotRow>;
  edge: Map<string, SnapshotRow>;
  /** SLA policy ids. */
  policies: Set<string>;
}

export function emptySnapshot(): FleetSnapshot {
  return {
    customer: new Map(),
    site: new Map(),
    contract: new Map(),
    station: new Map(),
    pump: new Map(),
    edge: new Map(),
    policies: new Set(),
  };
}

/** Why a row is refused: the HTTP status a route answers, the field at fault and the sentence. */
export interface Refusal {
  status: 400 | 404 | 409;
  field: string;
  message: string;
  code: MessageCode;
  params: MessageParams;
}

const NO_ROW: Record<FleetKind, MessageCode> = {
  customer: 'error.noCustomer',
  site: 'error.noSite',
  contract: 'error.noContract',
  station: 'error.noStation',
  pump: 'error.fleet.noPump',
  edge: 'error.fleet.noEdge',
};

/** A refusal for a `kind` row `id` that does not exist. */
export function missing(kind: FleetKind, id: string, field: string, status: 400 | 404): Refusal {
  return { status, field, message: `no ${kind} ${id}`, code: NO_ROW[kind], params: { id } };
}

function retired(kind: FleetKind, id: string, field: string, status: 400 | 409): Refusal {
  return {
    status,
    field,
    message: `${kind} ${id} is retired`,
    code: 'error.fleet.retired',
    params: { kind, id },
  };
}

/** Creating `kind` `id`: refused when any row, retired or not, has the id. */
export function createRefusal(snapshot: FleetSnapshot, kind: FleetKind, id: string): Refusal | undefined {
  if (!snapshot[kind].has(id)) return undefined;
  return {
    status: 409,
    field: 'id',
    message: `${kind} ${id} exists already`,
    code: 'error.fleet.idTaken',
    params: { kind, id },
  };
}

/** Changing `kind` `id`: refused when it does not exist (404) or is retired (409). */
export function updateRefusal(snapshot: FleetSnapshot, kind: FleetKind, id: string): Refusal | undefined {
  const row = snapshot[kind].get(id);
  if (!row) return missing(kind, id, 'id', 404);
  if (row.retired) return retired(kind, id, 'id', 409);
  return undefined;
}

/** A reference in a body: refused (400, naming the field) when the row is missing or retired. */
export function referenceRefusal(
  snapshot: FleetSnapshot,
  kind: FleetKind,
  id: string,
  field: string,
): Refusal | undefined {
  const row = snapshot[kind].get(id);
  if (!row) return missing(kind, id, field, 400);
  if (row.retired) return retired(kind, id, field, 400);
  return undefined;
}

export function siteRefusals(snapshot: FleetSnapshot, site: { customerId: string }): Refusal[] {
  return present([referenceRefusal(snapshot, 'customer', site.customerId, 'customerId')]);
}

export function contractRefusals(
  snapshot: FleetSnapshot,
  contract: { customerId: string; slaPolicyId: string },
): Refusal[] {
  const refusals = [referenceRefusal(snapshot, 'customer', contract.customerId, 'customerId')];
  if (!snapshot.policies.has(contract.slaPolicyId)) {
    refusals.push({
      status: 400,
      field: 'slaPolicyId',
      message: `no SLA policy ${contract.slaPolicyId}`,
      code: 'error.noSlaPolicy',
      params: { id: contract.slaPolicyId },
    });
  }
  return present(refusals);
}

/** A station's site must be usable; its contract must be the site's customer's; its edge the site's. */
export function stationRefusals(
  snapshot: FleetSnapshot,
  siteId: string,
  station: { contractId: string | null; edgeId: string | null },
): Refusal[] {
  const site = snapshot.site.get(siteId);
  if (!site) return [missing('site', siteId, 'siteId', 404)];
  if (site.retired) return [retired('site', siteId, 'siteId', 409)];
  const refusals: (Refusal | undefined)[] = [];
  if (station.contractId !== null) {
    const refusal = referenceRefusal(snapshot, 'contract', station.contractId, 'contractId');
    const contract = snapshot.contract.get(station.contractId);
    if (!refusal && contract && contract.customerId !== site.customerId) {
      refusals.push({
        status: 400,
        field: 'contractId',
        message: `contract ${station.contractId} is not a contract of customer ${site.customerId}, whose site ${siteId} is`,
        code: 'error.fleet.contractOtherCustomer',
        params: { id: station.contractId, customer: site.customerId ?? '', site: siteId },
      });
    } else refusals.push(refusal);
  }
  if (station.edgeId !== null) {
    const refusal = referenceRefusal(snapshot, 'edge', station.edgeId, 'edgeId');
    const edge = snapshot.edge.get(station.edgeId);
    if (!refusal && edge && edge.siteId !== siteId) {
      refusals.push({
        status: 400,
        field: 'edgeId',
        message: `edge ${station.edgeId} belongs to site ${edge.siteId}, not ${siteId}`,
        code: 'error.fleet.edgeOtherSite',
        params: { id: station.edgeId, site: edge.siteId ?? siteId },
      });
    } else refusals.push(refusal);
  }
  return present(refusals);
}

/** A pump's station must exist and not be retired. */
export function pumpRefusals(snapshot: FleetSnapshot, siteId: string, stationId: string): Refusal[] {
  const key = `${siteId}/${stationId}`;
  const station = snapshot.station.get(key);
  if (!station) return [missing('station', key, 'stationId', 404)];
  if (station.retired) return [retired('station', key, 'stationId', 409)];
  return [];
}

/** What must be retired first: which kinds refer to a kind, and by which field. */
const USERS: Partial<Record<FleetKind, { kind: FleetKind; by: keyof SnapshotRow }[]>> = {
  customer: [
    { kind: 'site', by: 'customerId' },
    { kind: 'contract', by: 'customerId' },
  ],
  site: [
    { kind: 'station', by: 'siteId' },
    { kind: 'edge', by: 'siteId' },
  ],
  contract: [{ kind: 'station', by: 'contractId' }],
};

/**
 * Retiring `kind` `id`: 404 when it does not exist, 409 while a row that is not retired uses it
 * (the message names the first). Retiring a retired row again is no refusal.
 */
export function retireRefusal(snapshot: FleetSnapshot, kind: FleetKind, id: string): Refusal | undefined {
  if (!snapshot[kind].has(id)) return missing(kind, id, 'id', 404);
  for (const user of USERS[kind] ?? []) {
    for (const [key, row] of snapshot[user.kind]) {
      if (!row.retired && row[user.by] === id) {
        return {
          status: 409,
          field: 'id',
          message: `${kind} ${id} is still used by ${user.kind} ${key}: retire that first`,
          code: 'error.fleet.inUse',
          params: { kind, id, user: user.kind, by: key },
        };
      }
    }
  }
  return undefined;
}

function present(refusals: (Refusal | undefined)[]): Refusal[] {
  return refusals.filter((refusal): refusal is Refusal => refusal !== undefined);
}
