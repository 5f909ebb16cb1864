import type { Kysely, Selectable } from 'kysely';
import type { CommandStatus, CommandView, RefusalCode } from '../../core/commands/payloads.ts';
import type { CommandTable, ServiceDatabase } from '../db/schema.ts';

/** A command row as written when the command is decided (sent or refused at once). */
export type NewCommand = Omit<CommandView, 'settledAt'> & { settledAt: number | null; edge: string | null };

/** The commands table (migration 11): one row per command, settled once. */
export class CommandStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async insert(command: NewCommand, db: Kysely<ServiceDatabase> = this.db): Promise<void> {
    await db
      .insertInto('commands')
      .values({
        id: command.id,
        site_id: command.site,
        station_id: command.station,
        kind: command.kind,
        pump: command.pump,
        value: command.value,
        status: command.status,
        code: command.code,
        detail: command.detail,
        read_back: JSON.stringify(command.readBack),
        actor: command.by,
        actor_role: command.role,
        issued_at: command.issuedAt,
        expires_at: command.expiresAt,
        settled_at: command.settledAt,
        edge_id: command.edge,
      })
      .execute();
  }

  /**
   * Settles a pending command; returns it settled, or undefined when it was no longer pending (an
   * edge's late answer to a command already expired changes nothing).
   */
  async settle(
    id: string,
    outcome: {
      status: Exclude<CommandStatus, 'pending'>;
      code: RefusalCode | null;
      detail: string;
      readBack: number | boolean | null;
      edge?: string;
      at: number;
    },
    db: Kysely<ServiceDatabase> = this.db,
  ): Promise<CommandView | undefined> {
    const row = await db
      .updateTable('commands')
      .set({
        status: outcome.status,
        code: outcome.code,
        detail: outcome.detail,
        read_back: JSON.stringify(outcome.readBack),
        settled_at: outcome.at,
        ...(outcome.edge ? { edge_id: outcome.edge } : {}),
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  /** Pending commands whose time to live ran out before `before`. */
  async pendingExpiredBefore(before: number): Promise<CommandView[]> {
    const rows = await this.db
      .selectFrom('commands')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expires_at', '<', before)
      .execute();
    return rows.map(toView);
  }

  async get(id: string): Promise<CommandView | undefined> {
    const row = await this.db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  /** A station's newest commands first. */
  async recent(site: string, station: string, limit: number): Promise<CommandView[]> {
    const rows = await this.db
      .selectFrom('commands')
      .selectAll()
      .where('site_id', '=', site)
      .where('station_id', '=', station)
      .orderBy('issued_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toView);
  }
}

function toView(row: Selectable<CommandTable>): CommandView {
  return {
    id: row.id,
    site: row.site_id,
    station: row.station_id,
    kind: row.kind as CommandView['kind'],
    pump: row.pump,
    value: row.value,
    status: row.status,
    code: row.code as RefusalCode | null,
    detail: row.detail,
    readBack: row.read_back ?? null,
    by: row.actor,
    role: row.actor_role,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    settledAt: row.settled_at,
  };
}
