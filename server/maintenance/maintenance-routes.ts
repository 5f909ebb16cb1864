import express, { Router } from 'express';
import { z } from 'zod';
import type { AssetStore } from '../assets/asset-store.ts';
import { actor, requireRole } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import { FOLLOW_UP_FAULT_CLASS, PREVENTIVE_FAULT_CLASS, scheduleStations } from './maintenance-scheduler.ts';
import type { MaintenanceStore } from './maintenance-store.ts';
import { calendarDueDates, dayOf, followUpVisits, planApplies, runHoursDue } from './schedule.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, _ or -');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const calendarQuery = z.object({ from: day.optional(), to: day.optional(), site: id.optional() });
export const surveyBody = z
  .object({ score: z.number().int().min(1).max(5), remarks: z.string().max(2000).default('') })
  .strict();
export const planBody = z
  .object({
    name: z.string().min(1).max(200),
    model: z.string().min(1).max(100).nullable().default(null),
    contractId: id.nullable().default(null),
    everyMonths: z.number().int().min(1).max(120).nullable().default(null),
    everyRunHours: z.number().int().min(1).max(1_000_000).nullable().default(null),
    leadDays: z.number().int().min(0).max(365).default(14),
    work: z.string().max(2000).default(''),
  })
  .strict()
  .refine(
    (p) => p.everyMonths !== null || p.everyRunHours !== null,
    'a plan needs everyMonths or everyRunHours',
  );

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

  router.get('/maintenance/calendar', requireRole(), async (req, res) => {
    const query = calendarQuery.parse(req.query);
    const now = deps.clock();
    const from = query.from ?? dayOf(now);
    const to = query.to ?? dayOf(now + 400 * 86_400_000);
    const plans = await deps.store.plans();
    const tickets = await deps.store.ticketsOfKinds([PREVENTIVE_FAULT_CLASS, FOLLOW_UP_FAULT_CLASS]);
    const ticketOf = (site: string, station: string, subject: string) => {
      const t = tickets.get(`${site}/${station}/${subject}`);
      return t ? { ticketId: t.id, state: t.state } : { ticketId: null, state: null };
    };
    const stations = (await scheduleStations(deps.assets, deps.runHours)).filter(
      (s) => !query.site || s.site === query.site,
    );
    res.json({
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
    });
  });

  router.get('/maintenance/plans', requireRole(), async (_req, res) => {
    res.json({ plans: await deps.store.plans() });
  });

  router.put('/maintenance/plans/:id', requireRole('service', 'admin'), async (req, res) => {
    const planId = id.parse(req.params.id);
    const body = planBody.parse(req.body);
    if (body.contractId && !(await deps.assets.contract(body.contractId))) {
      throw new RefusedError(`no contract ${body.contractId}`, 404);
    }
    const plan = { id: planId, ...body };
    await deps.store.upsertPlan(plan);
    deps.plansChanged?.();
    res.json({ plan });
  });

  router.post('/tickets/:id/survey', requireRole('service', 'admin'), async (req, res) => {
    const ticketId = z.coerce.number().int().positive().parse(req.params.id);
    const body = surveyBody.parse(req.body);
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
    await deps.tickets.recordOnce(
      ticketId,
      'survey',
      at,
      'survey',
      { text: `satisfaction ${body.score}/5`, code: 'event.survey', params: { score: body.score } },
      { ...body },
    );
    res.status(201).json({ survey });
  });

  router.get('/customers/:id/surveys', requireRole(), async (req, res) => {
    const customerId = id.parse(req.params.id);
    const known = (await deps.assets.customers()).some((customer) => customer.id === customerId);
    if (!known)
      throw new RefusedError(`no customer "${customerId}"`, 404, 'error.noCustomer', { id: customerId });
    res.json({ surveys: await deps.store.surveysOfCustomer(customerId) });
  });

  return router;
}
