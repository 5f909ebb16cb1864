import type { Writable } from 'node:stream';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { type Kysely, sql } from 'kysely';
import type { ExportManifest } from '../../core/api/retention.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { EXPORT_SECTIONS, type ExportSection } from './export-sections.ts';
import { partsAndChargesSection, serviceRecordsSection } from './service-record-sections.ts';

/** Every section of an export, in order. */
const ALL_SECTIONS = [...EXPORT_SECTIONS, serviceRecordsSection, partsAndChargesSection];

export interface CustomerExportOptions {
  db: Kysely<ServiceDatabase>;
  telemetry?: TelemetryStore;
  customer: { id: string; name: string };
  now: number;
  generatedBy: string;
  telemetryDays: number;
  sections?: readonly ExportSection[];
}

// Already compressed: deflating them again costs CPU for nothing.
const STORED = /\.(jpg|png|webp|pdf|zip)$/;

/**
 * Writes one customer's records as a zip into `out`, file by file as each section produces them,
 * manifest.json last. Resolves with the manifest once the archive is complete.
 */
export async function writeCustomerExport(
  out: Writable,
  options: CustomerExportOptions,
): Promise<ExportManifest> {
  let failed: Error | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) {
        failed = error;
        reject(error);
        return;
      }
      out.write(chunk);
      if (final) resolve();
    });
    void run(zip).catch((error: Error) => {
      failed = error;
      zip.terminate();
      reject(error);
    });
  });
  let manifest: ExportManifest | undefined;
  async function run(zip: Zip) {
    const add = (path: string, data: Uint8Array | string) => {
      if (failed) throw failed;
      const file = STORED.test(path) ? new ZipPassThrough(path) : new ZipDeflate(path, { level: 6 });
      zip.add(file);
      file.push(typeof data === 'string' ? strToU8(data) : data, true);
    };
    const sites = (
      await sql<{
        id: string;
      }>`SELECT id FROM sites WHERE customer_id = ${options.customer.id} ORDER BY id`.execute(options.db)
    ).rows.map((row) => row.id);
    const context = {
      db: options.db,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      customer: options.customer.id,
      sites,
      now: options.now,
      telemetryFrom: options.now - options.telemetryDays * 86_400_000,
      add,
    };
    const sections: ExportManifest['sections'] = [];
    for (const section of options.sections ?? ALL_SECTIONS) {
      sections.push({ name: section.name, ...(await section.write(context)) });
    }
    manifest = {
      format: 'aftercare-customer-export/1',
      customer: options.customer,
      sites,
      generatedAt: options.now,
      generatedBy: options.generatedBy,
      sections,
    };
    add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    zip.end();
  }
  await finished;
  if (!manifest) throw new Error('the export ended without its manifest');
  return manifest;
}
