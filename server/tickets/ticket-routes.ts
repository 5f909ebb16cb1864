import express, { Router } from 'express';
import { actor, requireRole } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketRow } from '../db/schema.ts';
import type { RouteContext } from '../http/route-context.ts';
import { idParam, manualTicketBody, ticketQuery, transitionBody } from '../http/service-schemas.ts';
import type { SlaPolicy } from '../sla/policies.ts';
import { ROOT_CAUSES } from './root-causes.ts';
import { ticketView } from './ticket-view.ts';

export function ticketRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { tickets, assets } = context;

  const policies = async () => new Map<string, SlaPolicy>((await assets.policies()).map((p) => [p.id, p]));
  const detail = async (row: TicketRow) => {
    const policy = await assets.policy(row.sla_policy_id);
    return ticketView(row, await tickets.events(row.id), policy, context.clock(), true);
  };

  router.get('/tickets', requireRole(), async (req, res) => {
    const query = ticketQuery.parse(req.query);
    const rows = await tickets.list({
      ...(query.state ? { states: query.state } : {}),
      ...(query.site ? { site: query.site } : {}),
      ...(query.station ? { station: query.station } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    const byPolicy = await policies();
    const events = await tickets.eventsOf(rows.map((row) => row.id));
    const now = context.clock();
    const views = rows
      .map((row) => ticketView(row, events.get(row.id) ?? [], byPolicy.get(row.sla_policy_id), now))
      .filter((view) => !query.sla || (view.sla !== null && query.sla.includes(view.sla.state)));
    res.json({ tickets: views });
  });

  router.post('/tickets', requireRole('service', 'admin'), async (req, res) => {
    const body = manualTicketBody.parse(req.body);
    const row = await tickets.createManual({ ...body, at: context.clock(), actor: actor(req).username });
    const view = await detail(row);
    context.events.emit('ticket', { change: 'opened', ticket: view });
    res.status(201).json({ ticket: view });
  });

  router.get('/tickets/:id', requireRole(), async (req, res) => {
    const { id } = idParam.parse(req.params);
    const row = await tickets.get(id);
    if (!row) throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    res.json({ ticket: await detail(row) });
  });

  router.post('/tickets/:id/transitions', requireRole('service', 'admin'), async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { action, note, ...details } = transitionBody.parse(req.body);
    const row = await tickets.transition(id, action, details, actor(req).username, context.clock(), note);
    const view = await detail(row);
    context.events.emit('ticket', { change: action, ticket: view });
    res.json({ ticket: view });
  });

  router.get('/root-causes', requireRole(), (_req, res) => {
    res.json({ rootCauses: ROOT_CAUSES });
  });

  return router;
}
