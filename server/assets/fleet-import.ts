import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { FleetImportResult, fleetImportBodySchema } from '../../core/api/fleet.ts';
import { parseFleetCsv } from '../../core/fleet/fleet-csv.ts';
import { type FleetOperation, planImport } from '../../core/fleet/fleet-plan.ts';
import { parseFleetYaml } from '../../core/fleet/fleet-yaml.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import type { FleetStore } from './fleet-store.ts';

type ImportBody = z.output<typeof fleetImportBodySchema>;

async function write(
  fleet: FleetStore,
  operation: FleetOperation,
  tx: Kysely<ServiceDatabase>,
): Promise<void> {
  switch (operation.kind) {
    case 'customer':
      return fleet.saveCustomer(operation.record, tx);
    case 'site':
      return fleet.saveSite(operation.record, tx);
    case 'contract':
      return fleet.saveContract(operation.record, tx);
    case 'station':
      return fleet.saveStation(operation.record, tx);
    case 'pump':
      return fleet.savePump(operation.record, tx);
  }
}

/**
 * Reads a fleet file, judges every row against the database in one transaction, and writes all
 * of it there, or nothing: any issue, or a dry run, writes nothing. `afterWrite` runs inside the
 * same transaction (the audit record commits with the rows).
 */
export async function importFleetFile(
  fleet: FleetStore,
  body: ImportBody,
  afterWrite: (result: FleetImportResult, tx: Kysely<ServiceDatabase>) => Promise<void>,
): Promise<FleetImportResult> {
  const document =
    body.format === 'yaml'
      ? parseFleetYaml(body.file, body.text)
      : parseFleetCsv(body.file, body.text, body.kind);
  return await fleet.transaction(async (tx) => {
    const plan = planImport(document, await fleet.snapshot(tx));
    const apply = plan.issues.length === 0 && !body.dryRun;
    const result: FleetImportResult = {
      applied: apply,
      dryRun: body.dryRun,
      created: plan.created,
      updated: plan.updated,
      issues: plan.issues,
    };
    if (apply) for (const operation of plan.operations) await write(fleet, operation, tx);
    await afterWrite(result, tx);
    return result;
  });
}
