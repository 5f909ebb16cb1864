import type { ImportIssue } from '../api/fleet.ts';
import { type FleetDocument, type FleetEntry, issueAt, placeOf } from './fleet-document.ts';
import {
  type FleetRecord,
  RECORD_KINDS,
  RECORD_SCHEMAS,
  type RecordKind,
  recordKey,
} from './fleet-records.ts';
import {
  contractRefusals,
  type FleetSnapshot,
  pumpRefusals,
  type Refusal,
  type SnapshotRow,
  siteRefusals,
  stationRefusals,
} from './fleet-rules.ts';

/** A row an import writes: created when its key is new, else updated. */
export type FleetOperation = {
  [K in RecordKind]: { kind: K; action: 'create' | 'update'; record: FleetRecord[K] };
}[RecordKind];

export interface ImportPlan {
  operations: FleetOperation[];
  /** Per kind in the plural (`stations`): rows created and updated. */
  created: Record<string, number>;
  updated: Record<string, number>;
  issues: ImportIssue[];
}

const PLURAL: Record<RecordKind, string> = {
  customer: 'customers',
  site: 'sites',
  contract: 'contracts',
  station: 'stations',
  pump: 'pumps',
};

function cloneSnapshot(snapshot: FleetSnapshot): FleetSnapshot {
  return {
    customer: new Map(snapshot.customer),
    site: new Map(snapshot.site),
    contract: new Map(snapshot.contract),
    station: new Map(snapshot.station),
    pump: new Map(snapshot.pump),
    edge: new Map(snapshot.edge),
    policies: new Set(snapshot.policies),
  };
}

function refusalsOf(snapshot: FleetSnapshot, operation: FleetOperation): Refusal[] {
  switch (operation.kind) {
    case 'site':
      return siteRefusals(snapshot, operation.record);
    case 'contract':
      return contractRefusals(snapshot, operation.record);
    case 'station':
      return stationRefusals(snapshot, operation.record.siteId, operation.record);
    case 'pump':
      return pumpRefusals(snapshot, operation.record.siteId, operation.record.stationId);
    default:
      return [];
  }
}

/** The field that holds a row's own key, where a duplicate or a retired target is reported. */
const KEY_FIELD: Record<RecordKind, string> = {
  customer: 'id',
  site: 'id',
  contract: 'id',
  station: 'id',
  pump: 'number',
};

function snapshotRow(operation: FleetOperation): SnapshotRow {
  const record = operation.record as Record<string, unknown>;
  return {
    retired: false,
    ...(typeof record.customerId === 'string' ? { customerId: record.customerId } : {}),
    ...(typeof record.siteId === 'string' ? { siteId: record.siteId } : {}),
    ...(record.contractId !== undefined ? { contractId: record.contractId as string | null } : {}),
    ...(record.edgeId !== undefined ? { edgeId: record.edgeId as string | null } : {}),
  };
}

/**
 * Judges every row of a document against the database's snapshot and the rows before it: the
 * schema, duplicates in the file, references to missing or retired rows, retired targets. Rows
 * are judged kind by kind (customers, sites, contracts, stations, pumps) so a row may refer to
 * any row of an earlier kind in the same file. Pure: the caller writes the operations when there
 * is no issue.
 */
export function planImport(document: FleetDocument, database: FleetSnapshot): ImportPlan {
  const snapshot = cloneSnapshot(database);
  const plan: ImportPlan = { operations: [], created: {}, updated: {}, issues: [...document.issues] };
  const firstRow = new Map<string, number | null>();
  for (const kind of RECORD_KINDS) {
    for (const entry of document.entries.filter((e) => e.kind === kind)) judge(entry);
  }
  return plan;

  function judge(entry: FleetEntry): void {
    const parsed = RECORD_SCHEMAS[entry.kind].safeParse(entry.value);
    if (!parsed.success) {
      for (const issue of precise(parsed.error.issues)) {
        plan.issues.push(
          issueAt(entry, placeOf(entry, issue.path), issue.message, 'error.fleet.invalidValue', {
            detail: issue.message,
          }),
        );
      }
      // Its key still counts, so rows that refer to it are not also reported.
      const key = rawKey(entry);
      if (key && !firstRow.has(`${entry.kind}:${key}`)) firstRow.set(`${entry.kind}:${key}`, entry.row);
      if (key && !snapshot[entry.kind].has(key)) snapshot[entry.kind].set(key, { retired: false });
      return;
    }
    const operation = { kind: entry.kind, record: parsed.data } as FleetOperation;
    const key = recordKey(entry.kind, parsed.data as Record<string, unknown>);
    const keyPlace = placeOf(entry, [KEY_FIELD[entry.kind]]);
    const seen = `${entry.kind}:${key}`;
    if (firstRow.has(seen)) {
      const row = firstRow.get(seen) ?? '?';
      plan.issues.push(
        issueAt(
          entry,
          keyPlace,
          `${entry.kind} ${key} appears twice in the file (first at row ${row})`,
          'error.fleet.duplicate',
          {
            kind: entry.kind,
            id: key,
            row,
          },
        ),
      );
      return;
    }
    firstRow.set(seen, entry.row);
    const existing = snapshot[entry.kind].get(key);
    if (existing?.retired) {
      plan.issues.push(
        issueAt(entry, keyPlace, `${entry.kind} ${key} is retired`, 'error.fleet.retired', {
          kind: entry.kind,
          id: key,
        }),
      );
      return;
    }
    const refusals = refusalsOf(snapshot, operation);
    for (const refusal of refusals) {
      plan.issues.push(
        issueAt(entry, placeOf(entry, [refusal.field]), refusal.message, refusal.code, refusal.params),
      );
    }
    snapshot[entry.kind].set(key, snapshotRow(operation));
    if (refusals.length > 0) return;
    const action = existing ? 'update' : 'create';
    plan.operations.push({ ...operation, action });
    const counts = action === 'create' ? plan.created : plan.updated;
    counts[PLURAL[entry.kind]] = (counts[PLURAL[entry.kind]] ?? 0) + 1;
  }
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * A union's "Invalid input" replaced by the issues of the branch that came closest (fewest
 * issues): `endpoint.tcp.port: expected number` rather than `endpoint: Invalid input`.
 */
export function precise(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    return precise(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

function rawKey(entry: FleetEntry): string | undefined {
  const value = entry.value;
  const parts =
    entry.kind === 'station'
      ? [value.siteId, value.id]
      : entry.kind === 'pump'
        ? [value.siteId, value.stationId, value.number]
        : [value.id];
  return parts.every((part) => typeof part === 'string' || typeof part === 'number')
    ? parts.join('/')
    : undefined;
}
