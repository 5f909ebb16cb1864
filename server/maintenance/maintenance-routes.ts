import express, { Router } from 'express';
import {
  customerSurveys,
  listPlans,
  maintenanceCalendar,
  putPlan,
  recordSurvey,
} from '../../core/api/maintenance.ts';
import type { WorkflowState } from '../../core/tickets/workflow.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import { actor } from '../auth/roles.ts';
import { inScope, type SiteScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import { FOLLOW_UP_FAULT_CLASS, PREVENTIVE_FAULT_CLASS, scheduleStations } from './maintenance-scheduler.ts';
import type { MaintenanceStore } from './maintenance-store.ts';
import { calendarDueDates, dayOf, followUpVisits, planApplies, runHoursDue } from './schedule.ts';

export interface MaintenanceRouteDeps {
  store: MaintenanceStore;
  tickets: TicketStore;
  assets: AssetStore;
  clock: () => number;
  runHours?: (site: string, station: string) => Record<number, number>;
  /** Called after a plan changes (to ticket what is now due). */
  plansChanged?: () => void;
}

/** Maintenance calendar, plans and follow-up surveys (mount at /api: any signed-in user reads; service/admin writes). */
export function maintenanceRoutes(deps: MaintenanceRouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  /**
   * The plans a scoped user may see: those for every contract, and those of the contracts of its
   * sites' stations (a plan of another customer's contract is not theirs to read).
   */
  const plansInScope = async (scope: SiteScope) => {
    const plans = await deps.store.plans();
    if (scope.all) return plans;
    const contracts = new Set(
      (await deps.assets.stations()).filter((s) => inScope(scope, s.site_id)).map((s) => s.contract_id),
    );
    return plans.filter((plan) => plan.contractId === null || contracts.has(plan.contractId));
  };

  contractRoute(router, maintenanceCalendar, async ({ query }, req) => {
    const now = deps.clock();
    const from = query.from ?? dayOf(now);
    const to = query.to ?? dayOf(now + 400 * 86_400_000);
    const scope = siteScope(req);
    const plans = await plansInScope(scope);
    const tickets = await deps.store.ticketsOfKinds([PREVENTIVE_FAULT_CLASS, FOLLOW_UP_FAULT_CLASS]);
    const ticketOf = (site: string, station: string, subject: string) => {
      const t = tickets.get(`${site}/${station}/${subject}`);
      // The tickets table holds only workflow states.
      return t ? { ticketId: t.id, state: t.state as WorkflowState } : { ticketId: null, state: null };
    };
    const stations = (await scheduleStations(deps.assets, deps.runHours)).filter(
      (s) => (!query.site || s.site === query.site) && inScope(scope, s.site),
    );
    return {
      from,
      to,
      plans,
      stations: stations.map((s) => ({
        site: s.site,
        station: s.station,
        acceptanceDate: s.acceptance,
        followUps: s.acceptance
          ? followUpVisits(s.acceptance, from, to).map((v) => ({
              ...v,
              ...ticketOf(s.site, s.station, `follow_up:${v.months}m`),
            }))
          : [],
        preventive: plans.flatMap((plan) => [
          ...(plan.everyMonths !== null && s.acceptance && planApplies(plan, s)
            ? calendarDueDates(s.acceptance, plan.everyMonths, from, to).map((due) => ({
                planId: plan.id,
                pump: null,
                due,
                dueAtRunHours: null,
                ...ticketOf(s.site, s.station, `plan:${plan.id}:${due}`),
              }))
            : []),
          ...(plan.everyRunHours !== null
            ? s.pumps
                .filter((p) => s.runHours[p.pump] !== undefined && planApplies(plan, s, p.model))
                .map((p) => {
                  const { dueAt } = runHoursDue(s.runHours[p.pump]!, plan.everyRunHours!, plan.leadDays);
                  return {
                    planId: plan.id,
                    pump: p.pump,
                    due: null,
                    dueAtRunHours: dueAt,
                    runHours: Math.round(s.runHours[p.pump]!),
                    ...ticketOf(s.site, s.station, `plan:${plan.id}:pump[${p.pump}]:${dueAt}h`),
                  };
                })
            : []),
        ]),
      })),
    };
  });

  contractRoute(router, listPlans, async (_input, req) => ({ plans: await plansInScope(siteScope(req)) }));

  contractRoute(router, putPlan, async ({ params: { id: planId }, body }) => {
    if (body.contractId && !(await deps.assets.contract(body.contractId))) {
      throw new RefusedError(`no contract ${body.contractId}`, 404);
    }
    const plan = { id: planId, ...body };
    await deps.store.upsertPlan(plan);
    deps.plansChanged?.();
    return { plan };
  });

  contractRoute(router, recordSurvey, async ({ params: { id: ticketId }, body }, req) => {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw new RefusedError(`no ticket ${ticketId}`, 404, 'error.noTicket', { id: ticketId });
    if (ticket.fault_class !== FOLLOW_UP_FAULT_CLASS) {
      throw new RefusedError(
        `ticket ${ticketId} is not a follow-up visit: only follow-up visits end with a survey`,
        409,
        'error.notFollowUp',
        { id: ticketId },
      );
    }
    if (!['resolved', 'signed_off', 'closed'].includes(ticket.state)) {
      throw new RefusedError(
        `ticket ${ticketId} is ${ticket.state}: resolve the visit before its survey`,
        409,
        'error.visitNotResolved',
        { id: ticketId, state: ticket.state },
      );
    }
    const at = deps.clock();
    const survey = await deps.store.recordSurvey({
      ticketId,
      site: ticket.site,
      station: ticket.station,
      score: body.score,
      remarks: body.remarks,
      by: actor(req).username,
      at,
    });
    await deps.tickets.recordOnce(ticketId, 'survey', at, 'survey', `satisfaction ${body.score}/5`, {
      ...body,
    });
    return { survey };
  });

  contractRoute(router, customerSurveys, async ({ params: { id: customerId } }, req) => {
    const scope = siteScope(req);
    // A scoped user knows only the customers of its sites; the others answer as if absent.
    const known = scope.all
      ? (await deps.assets.customers()).some((customer) => customer.id === customerId)
      : (await deps.assets.sites()).some(
          (site) => site.customer_id === customerId && inScope(scope, site.id),
        );
    if (!known)
      throw new RefusedError(`no customer "${customerId}"`, 404, 'error.noCustomer', { id: customerId });
    const surveys = await deps.store.surveysOfCustomer(customerId);
    return { surveys: surveys.filter((survey) => inScope(scope, survey.site)) };
  });

  return router;
}
