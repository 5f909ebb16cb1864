import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Postgres's shared buffers in the embedded database. PGlite's default is 128 MB of WebAssembly
 * memory per database, and the server opens two (service records and telemetry); the embedded
 * store's tables fit a few months of a small fleet, and the OS caches the files beneath.
 */
const SHARED_BUFFERS = '16MB';

/**
 * Opens an embedded PostgreSQL (PGlite) in `dir`, or in memory without one. A database created now
 * is closed and opened again: creating it runs initdb in the same WebAssembly memory, which never
 * shrinks (~430 MB kept for the life of the process otherwise).
 */
export async function openPglite(dir: string | undefined): Promise<PGlite> {
  // Loaded here, not at start: a server on PostgreSQL never needs PGlite's ~0.5 MB of source.
  const { PGlite } = await import('@electric-sql/pglite');
  const options = { postgresqlconf: [`shared_buffers=${SHARED_BUFFERS}`] };
  if (!dir) return PGlite.create(options);
  await mkdir(dir, { recursive: true });
  if (existsSync(join(dir, 'PG_VERSION'))) return PGlite.create(dir, options);
  const created = await PGlite.create(dir, options);
  await created.close();
  return PGlite.create(dir, options);
}
