import type { Kysely, Selectable, Transaction } from 'kysely';
import type { z } from 'zod';
import type { qualityActionSchema } from '../../core/api/quality.ts';
import { isOverdue, mayMoveQualityAction } from '../../core/quality/quality-status.ts';
import type { QualityActionReason, QualityActionStatus } from '../../core/quality/vocabulary.ts';
import { RefusedError } from '../db/errors.ts';
import type { QualityActionTable, QualityDatabase } from './quality-schema.ts';

type QualityAction = z.input<typeof qualityActionSchema>;
type Db = Kysely<QualityDatabase> | Transaction<QualityDatabase>;

export interface NewQualityAction {
  ticketId: number;
  site: string;
  station: string;
  pump: number | null;
  failureMode: string | null;
  severity: string;
  reasons: QualityActionReason[];
  title: string;
  owner: string;
  dueAt: number;
  at: number;
}

export interface QualityActionFilter {
  statuses?: QualityActionStatus[];
  overdue?: boolean;
  site?: string;
  ticketId?: number;
}

/** Quality actions (纠正预防) and their timelines. */
export class QualityActionStore {
  constructor(private readonly db: Kysely<QualityDatabase>) {}

  /** Opens the action of a ticket once: a ticket resolved again after a reopen opens no second one. */
  async openOnce(tx: Db, input: NewQualityAction): Promise<number | null> {
    const row = await tx
      .insertInto('quality_actions')
      .values({
        ticket_id: input.ticketId,
        site: input.site,
        station: input.station,
        pump: input.pump,
        failure_mode: input.failureMode,
        severity: input.severity,
        reasons: JSON.stringify(input.reasons),
        title: input.title,
        owner: input.owner,
        due_at: input.dueAt,
        status: 'open',
        opened_at: input.at,
        updated_at: input.at,
        closed_at: null,
      })
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return null;
    await addEvent(tx, row.id, input.at, 'system', 'opened', null, 'open', input.reasons.join(','));
    return row.id;
  }

  async list(filter: QualityActionFilter, now: number): Promise<QualityAction[]> {
    let query = this.db.selectFrom('quality_actions').selectAll();
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    if (filter.site) query = query.where('site', '=', filter.site);
    if (filter.ticketId !== undefined) query = query.where('ticket_id', '=', filter.ticketId);
    const rows = await query.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(500).execute();
    const views = rows.map((row) => view(row, now));
    return filter.overdue === undefined ? views : views.filter((v) => v.overdue === filter.overdue);
  }

  async get(id: number, now: number): Promise<QualityAction> {
    const row = await this.db
      .selectFrom('quality_actions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new RefusedError(`no quality action ${id}`, 404, 'error.noQualityAction', { id });
    const events = await this.db
      .selectFrom('quality_action_events')
      .selectAll()
      .where('action_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      ...view(row, now),
      timeline: events.map((e) => ({
        at: e.at,
        actor: e.actor,
        kind: e.kind,
        from: e.from_status,
        to: e.to_status,
        note: e.note,
      })),
    };
  }

  /** Moves the status one step (or back one); refuses a skip with 409. */
  async move(id: number, to: QualityActionStatus, actor: string, at: number, note: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('quality_actions')
        .select(['status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new RefusedError(`no quality action ${id}`, 404, 'error.noQualityAction', { id });
      const from = row.status as QualityActionStatus;
      if (!mayMoveQualityAction(from, to))
        throw new RefusedError(
          `cannot move quality action ${id} from ${from} to ${to}: open -> in progress -> verified closed`,
          409,
          'error.qualityMove',
          { from, to },
        );
      await tx
        .updateTable('quality_actions')
        .set({ status: to, updated_at: at, closed_at: to === 'verified_closed' ? at : null })
        .where('id', '=', id)
        .execute();
      await addEvent(tx, id, at, actor, 'status', from, to, note);
    });
  }

  async update(
    id: number,
    change: { owner?: string; dueAt?: number; note: string },
    actor: string,
    at: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('quality_actions')
        .select(['owner', 'due_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new RefusedError(`no quality action ${id}`, 404, 'error.noQualityAction', { id });
      await tx
        .updateTable('quality_actions')
        .set({ owner: change.owner ?? row.owner, due_at: change.dueAt ?? row.due_at, updated_at: at })
        .where('id', '=', id)
        .execute();
      if (change.owner !== undefined && change.owner !== row.owner)
        await addEvent(tx, id, at, actor, 'assigned', row.owner, change.owner, change.note);
      if (change.dueAt !== undefined && change.dueAt !== row.due_at)
        await addEvent(tx, id, at, actor, 'due', String(row.due_at), String(change.dueAt), change.note);
      if (change.owner === undefined && change.dueAt === undefined && change.note)
        await addEvent(tx, id, at, actor, 'note', null, null, change.note);
    });
  }
}

async function addEvent(
  db: Db,
  actionId: number,
  at: number,
  actor: string,
  kind: string,
  from: string | null,
  to: string | null,
  note: string,
): Promise<void> {
  await db
    .insertInto('quality_action_events')
    .values({ action_id: actionId, at, actor, kind, from_status: from, to_status: to, note })
    .execute();
}

type ActionRow = Selectable<QualityActionTable>;

function view(row: ActionRow, now: number): QualityAction {
  const status = row.status as QualityActionStatus;
  return {
    id: row.id,
    ticketId: row.ticket_id,
    site: row.site,
    station: row.station,
    pump: row.pump,
    failureMode: row.failure_mode,
    severity: row.severity as QualityAction['severity'],
    reasons: row.reasons,
    title: row.title,
    owner: row.owner,
    dueAt: row.due_at,
    status,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    overdue: isOverdue({ status, dueAt: row.due_at }, now),
  };
}
