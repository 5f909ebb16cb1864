import type { Kysely } from 'kysely';
import { isUniqueViolation, RefusedError } from '../db/errors.ts';
import type { MaintenancePlanRow, ServiceDatabase, SurveyRow } from '../db/schema.ts';
import type { PlanInput } from './schedule.ts';

export const planFromRow = (row: MaintenancePlanRow): PlanInput => ({
  id: row.id,
  name: row.name,
  model: row.model,
  contractId: row.contract_id,
  everyMonths: row.every_months,
  everyRunHours: row.every_run_hours,
  leadDays: row.lead_days,
  work: row.work,
});

/** Maintenance plans, which pieces of work already have a ticket, and follow-up surveys. */
export class MaintenanceStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async plans(): Promise<PlanInput[]> {
    return (await this.db.selectFrom('maintenance_plans').selectAll().orderBy('id').execute()).map(
      planFromRow,
    );
  }

  async upsertPlan(plan: PlanInput): Promise<void> {
    const row = {
      id: plan.id,
      name: plan.name,
      model: plan.model,
      contract_id: plan.contractId,
      every_months: plan.everyMonths,
      every_run_hours: plan.everyRunHours,
      lead_days: plan.leadDays,
      work: plan.work,
    };
    await this.db
      .insertInto('maintenance_plans')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  /** Tickets of these kinds, any state, keyed `site/station/subject` (a date is ticketed once). */
  async ticketsOfKinds(
    kinds: string[],
  ): Promise<Map<string, { id: number; state: string; subject: string }>> {
    const rows = await this.db
      .selectFrom('tickets')
      .select(['id', 'site', 'station', 'subject', 'state'])
      .where('fault_class', 'in', kinds)
      .orderBy('id')
      .execute();
    return new Map(
      rows.map((r) => [
        `${r.site}/${r.station}/${r.subject}`,
        { id: r.id, state: r.state, subject: r.subject },
      ]),
    );
  }

  /** Records a follow-up ticket's survey with the customer of the station's contract (once per ticket). */
  async recordSurvey(input: {
    ticketId: number;
    site: string;
    station: string;
    score: number;
    remarks: string;
    by: string;
    at: number;
  }): Promise<SurveyRow> {
    const customer = await this.db
      .selectFrom('stations')
      .leftJoin('contracts', 'contracts.id', 'stations.contract_id')
      .select('contracts.customer_id')
      .where('stations.site_id', '=', input.site)
      .where('stations.id', '=', input.station)
      .executeTakeFirst();
    try {
      return await this.db
        .insertInto('surveys')
        .values({
          ticket_id: input.ticketId,
          customer_id: customer?.customer_id ?? null,
          site: input.site,
          station: input.station,
          score: input.score,
          remarks: input.remarks,
          surveyed_by: input.by,
          at: input.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new RefusedError(`ticket ${input.ticketId} already has its survey`, 409, 'error.surveyDone', {
          id: input.ticketId,
        });
      throw error;
    }
  }

  async surveysOfCustomer(customerId: string): Promise<SurveyRow[]> {
    return await this.db
      .selectFrom('surveys')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('at')
      .execute();
  }
}
