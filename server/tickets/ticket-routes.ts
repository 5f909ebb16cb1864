import express, { Router } from 'express';
import {
  createTicket,
  getTicket,
  listRootCauses,
  listTickets,
  transitionTicket,
} from '../../core/api/tickets.ts';
import { actor } from '../auth/roles.ts';
import { inScope, scopedSiteFilter, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketRow } from '../db/schema.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { closeStep } from '../quality/close-step.ts';
import { resolveGuard } from '../sla/resolve-guard.ts';
import { ROOT_CAUSES } from './root-causes.ts';
import { ticketView } from './ticket-view.ts';

export function ticketRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { tickets } = context;

  const detail = async (row: TicketRow) => {
    const { policies, calendar } = await context.sla.clockData();
    const policy = policies.get(row.sla_policy_id);
    return ticketView(row, await tickets.events(row.id), policy, context.clock(), true, calendar);
  };

  contractRoute(router, listTickets, async ({ query }, req) => {
    const sites = scopedSiteFilter(siteScope(req), query.site);
    if (!sites) return { tickets: [] };
    const rows = await tickets.list({
      ...(query.state ? { states: query.state } : {}),
      ...sites,
      ...(query.station ? { station: query.station } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    const { policies: byPolicy, calendar } = await context.sla.clockData();
    const events = await tickets.eventsOf(rows.map((row) => row.id));
    const now = context.clock();
    const views = rows
      .map((row) =>
        ticketView(row, events.get(row.id) ?? [], byPolicy.get(row.sla_policy_id), now, false, calendar),
      )
      .filter((view) => !query.sla || (view.sla !== null && query.sla.includes(view.sla.state)));
    return { tickets: views };
  });

  contractRoute(router, createTicket, async ({ body }, req) => {
    if (!inScope(siteScope(req), body.site)) throw new RefusedError(`no site ${body.site}`, 404);
    const row = await tickets.createManual({ ...body, at: context.clock(), actor: actor(req).username });
    const view = await detail(row);
    context.events.emit('ticket', { change: 'opened', ticket: view });
    return { ticket: view };
  });

  contractRoute(router, getTicket, async ({ params: { id } }, req) => {
    const row = await tickets.get(id);
    if (!row || !inScope(siteScope(req), row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    return { ticket: await detail(row) };
  });

  contractRoute(router, transitionTicket, async ({ params: { id }, body }, req) => {
    const { action, note, ...details } = body;
    const held = await tickets.get(id);
    if (!held || !inScope(siteScope(req), held.site)) throw new RefusedError(`no ticket ${id}`, 404);
    const override = await resolveGuard(context, held, body);
    const record = body.action === 'resolve' || body.action === 'close' ? body : {};
    const { actions, policy } = context.quality;
    const step = closeStep(actions, policy, action, record, actor(req).username, context.clock());
    const row = await tickets.transition(
      id,
      action,
      details,
      actor(req).username,
      context.clock(),
      note,
      step,
    );
    if (override !== null)
      await context.sla.pauses.recordOverride(id, override, actor(req).username, context.clock());
    const view = await detail(row);
    context.events.emit('ticket', { change: action, ticket: view });
    return { ticket: view };
  });

  contractRoute(router, listRootCauses, () => ({ rootCauses: [...ROOT_CAUSES] }));

  return router;
}
