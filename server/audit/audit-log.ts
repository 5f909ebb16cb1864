import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../core/api/audit.ts';
import type { ActingUser } from '../auth/roles.ts';
import { startsWithPattern } from '../db/list-filters.ts';
import type { ServiceDatabase } from '../db/schema.ts';

export interface AuditRecord {
  action: string;
  target: string;
  result: AuditEntry['result'];
  detail?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  target?: string | undefined;
  since?: number | undefined;
  limit: number;
}

/**
 * The audit log: every admin action and remote command, who did it and what came of it. Rows are
 * only ever added. Pass a transaction as `db` to record in the same commit as the change itself.
 */
export class AuditLog {
  constructor(
    private readonly db: Kysely<ServiceDatabase>,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(
    who: Pick<ActingUser, 'username' | 'role'>,
    entry: AuditRecord,
    db: Kysely<ServiceDatabase> = this.db,
  ): Promise<number> {
    const row = await db
      .insertInto('audit_log')
      .values({
        at: this.clock(),
        actor: who.username,
        actor_role: who.role,
        action: entry.action,
        target: entry.target,
        result: entry.result,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.action) query = query.where('action', 'like', startsWithPattern(filter.action));
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.target) query = query.where('target', 'like', startsWithPattern(filter.target));
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      actorRole: row.actor_role,
      action: row.action,
      target: row.target,
      result: row.result,
      detail: row.detail,
    }));
  }
}
