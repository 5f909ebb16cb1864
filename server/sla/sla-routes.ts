import express, { Router } from 'express';
import {
  getCalendarYear,
  listCalendarYears,
  pauseTicket,
  putCalendarYear,
  resumeTicket,
  slaReport,
} from '../../core/api/service-levels.ts';
import { complianceCsv, monthRange, tallyCompliance } from '../../core/sla/compliance.ts';
import { actor } from '../auth/roles.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketRow } from '../db/schema.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { ticketView } from '../tickets/ticket-view.ts';

/** Pause and resume, the business calendar, the SLA compliance report. */
export function slaRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { tickets, sla } = context;

  const detail = async (row: TicketRow) => {
    const { policies, calendar } = await sla.clockData();
    const view = ticketView(
      row,
      await tickets.events(row.id),
      policies.get(row.sla_policy_id),
      context.clock(),
      true,
      calendar,
    );
    context.events.emit('ticket', { change: 'sla', ticket: view });
    return { ticket: view };
  };
  const held = async (id: number, req: express.Request) => {
    const row = await tickets.get(id);
    if (!row || !inScope(siteScope(req), row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
  };

  contractRoute(router, pauseTicket, async ({ params: { id }, body }, req) => {
    await held(id, req);
    await sla.pauses.pause(id, body.reason, body.note, actor(req).username, context.clock());
    return await detail((await tickets.get(id)) as TicketRow);
  });

  contractRoute(router, resumeTicket, async ({ params: { id }, body }, req) => {
    await held(id, req);
    await sla.pauses.resume(id, body.note, actor(req).username, context.clock());
    return await detail((await tickets.get(id)) as TicketRow);
  });

  contractRoute(router, listCalendarYears, async () => ({ years: await sla.calendar.years() }));

  contractRoute(router, getCalendarYear, async ({ params: { year } }) => ({
    year,
    days: await sla.calendar.year(year),
  }));

  contractRoute(router, putCalendarYear, async ({ params: { year }, body }, req) => {
    const seen = new Set<string>();
    for (const day of body.days) {
      if (!day.day.startsWith(`${year}-`))
        throw new RefusedError(`${day.day} is not in ${year}`, 400, 'error.calendarDayOutsideYear', {
          day: day.day,
          year,
        });
      if (seen.has(day.day))
        throw new RefusedError(`${day.day} is listed twice`, 400, 'error.calendarDayTwice', { day: day.day });
      seen.add(day.day);
    }
    await sla.calendar.putYear(year, body.days);
    await context.audit.record(actor(req), {
      action: 'sla.calendar.put',
      target: String(year),
      result: 'ok',
      detail: { days: body.days.length },
    });
    return { year, days: await sla.calendar.year(year) };
  });

  contractRoute(router, slaReport, async ({ query }, req, res) => {
    if (!(await sla.customerExists(query.customer)))
      throw new RefusedError(`no customer ${query.customer}`, 404, 'error.noCustomer', {
        id: query.customer,
      });
    const scope = siteScope(req);
    const { from, to } = monthRange(query.month);
    const { rows, events } = await sla.customerTickets(
      query.customer,
      from,
      to,
      scope.all ? null : scope.sites,
    );
    const { policies, calendar } = await sla.clockData();
    const now = context.clock();
    const reported = rows.map((row) => {
      const timeline = events.get(row.id) ?? [];
      const view = ticketView(row, timeline, policies.get(row.sla_policy_id), now, false, calendar);
      return {
        id: row.id,
        station: row.station,
        sla: view.sla,
        pauses: timeline.filter((e) => e.action === 'sla_pause').length,
      };
    });
    const report = { ...tallyCompliance(query.customer, query.month, reported), from, to };
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`sla-${query.customer}-${query.month}.csv`)
        .send(complianceCsv(report));
      return ANSWERED;
    }
    return report;
  });

  return router;
}
