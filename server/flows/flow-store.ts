import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

/** Node-RED's documents, one row each (migration 16). */
export type FlowDocumentName = 'flows' | 'credentials' | 'settings' | 'sessions';

/** Who deployed the flows: the flows' owner, whose role bounds what their nodes may do. */
export interface FlowOwner {
  username: string;
  role: string;
}

type FlowTables = {
  flow_documents: {
    name: FlowDocumentName;
    body: unknown;
    saved_at: number;
    saved_by: string | null;
    saved_role: string | null;
  };
  flow_library: { type: string; path: string; meta: unknown; body: string; saved_at: number };
};

/** A library folder's listing as Node-RED expects it: sub-folder names, then `{fn, ...meta}` per entry. */
export type LibraryListing = Array<string | Record<string, unknown>>;

/** Flows, credentials, settings, sessions and the editor's library in the service database. */
export class FlowStore {
  private readonly db: Kysely<FlowTables>;

  constructor(
    db: Kysely<ServiceDatabase>,
    private readonly clock: () => number = Date.now,
  ) {
    this.db = db.withTables<FlowTables>() as unknown as Kysely<FlowTables>;
  }

  async read(name: FlowDocumentName): Promise<unknown> {
    const row = await this.db
      .selectFrom('flow_documents')
      .select('body')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.body;
  }

  /** The deployed flow list (Node-RED's `getFlows`): empty before the first deploy. */
  async readFlows(): Promise<unknown[]> {
    return ((await this.read('flows')) as unknown[] | undefined) ?? [];
  }

  async write(name: FlowDocumentName, body: unknown, owner?: FlowOwner): Promise<void> {
    const row = {
      name,
      body: JSON.stringify(body),
      saved_at: this.clock(),
      saved_by: owner?.username ?? null,
      saved_role: owner?.role ?? null,
    };
    await this.db
      .insertInto('flow_documents')
      .values(row)
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({
          body: row.body,
          saved_at: row.saved_at,
          // Credentials and settings saved without a user keep the flows' owner as it was.
          ...(owner ? { saved_by: row.saved_by, saved_role: row.saved_role } : {}),
        }),
      )
      .execute();
  }

  /** Who last deployed the flows; undefined before the first deploy. */
  async owner(): Promise<FlowOwner | undefined> {
    const row = await this.db
      .selectFrom('flow_documents')
      .select(['saved_by', 'saved_role'])
      .where('name', '=', 'flows')
      .executeTakeFirst();
    return row?.saved_by && row.saved_role ? { username: row.saved_by, role: row.saved_role } : undefined;
  }

  /** An entry's body, or a folder's listing (an unknown folder lists empty). */
  async libraryEntry(type: string, path: string): Promise<string | LibraryListing | undefined> {
    const exact = await this.db
      .selectFrom('flow_library')
      .select('body')
      .where('type', '=', type)
      .where('path', 'in', type === 'flows' && !path.endsWith('.json') ? [path, `${path}.json`] : [path])
      .executeTakeFirst();
    if (exact) return exact.body;
    const folder = path === '' || path.endsWith('/') ? path : `${path}/`;
    const rows = await this.db
      .selectFrom('flow_library')
      .select(['path', 'meta'])
      .where('type', '=', type)
      .where('path', 'like', `${folder.replace(/[\\%_]/g, '\\$&')}%`)
      .orderBy('path')
      .execute();
    if (rows.length === 0) return path === '' || path.endsWith('/') ? [] : undefined;
    const dirs = new Set<string>();
    const files: Record<string, unknown>[] = [];
    for (const row of rows) {
      const rest = row.path.slice(folder.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) dirs.add(rest.slice(0, slash));
      else files.push({ ...(row.meta as object), fn: rest });
    }
    return [...[...dirs].sort(), ...files];
  }

  async saveLibraryEntry(type: string, path: string, meta: unknown, body: string): Promise<void> {
    const stored = type === 'flows' && !path.endsWith('.json') ? `${path}.json` : path;
    const row = { type, path: stored, meta: JSON.stringify(meta ?? {}), body, saved_at: this.clock() };
    await this.db
      .insertInto('flow_library')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['type', 'path']).doUpdateSet({ meta: row.meta, body: row.body, saved_at: row.saved_at }),
      )
      .execute();
  }
}
