import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations.ts';
import { openPglite } from './open-pglite.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import type { ServiceDatabase } from './schema.ts';

export interface DatabaseOptions {
  /** PostgreSQL connection URL; when set, pg's Pool is used. Default: embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; undefined or ':memory:' keeps the database in memory (tests). */
  pgliteDir?: string;
  /** Pool size for PostgreSQL. Default 10. */
  poolSize?: number;
}

export interface ServiceDb {
  db: Kysely<ServiceDatabase>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Opens the service database and brings its schema up to date. */
export async function openServiceDatabase(options: DatabaseOptions): Promise<ServiceDb> {
  let db: Kysely<ServiceDatabase>;
  let kind: ServiceDb['kind'];
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    db = new Kysely<ServiceDatabase>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    const dir = options.pgliteDir && options.pgliteDir !== ':memory:' ? options.pgliteDir : undefined;
    const lite = await openPglite(dir);
    db = new Kysely<ServiceDatabase>({ dialect: new PgliteDialect(lite) });
    kind = 'pglite';
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`could not migrate the service database (${kind}): ${(error as Error).message}`);
  }
  return { db, kind, close: () => db.destroy() };
}
