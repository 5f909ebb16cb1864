import express, { Router } from 'express';
import {
  acknowledgeAlarm,
  getAlarm,
  listAlarms,
  listShelves,
  shelveAlarm,
  unshelveAlarm,
} from '../../core/api/alarms.ts';
import { actor } from '../auth/roles.ts';
import { inScope, scopedSiteFilter, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { alarmView } from './alarm-view.ts';

export function alarmRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { alarms } = context;

  contractRoute(router, listAlarms, async ({ query }, req) => {
    const sites = scopedSiteFilter(siteScope(req), query.site);
    if (!sites) return { alarms: [] };
    const rows = await alarms.list({
      ...(query.state ? { statuses: query.state } : {}),
      ...sites,
      ...(query.station ? { station: query.station } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    return { alarms: rows.map(alarmView) };
  });

  // Before /alarms/:id, which would take "shelves" for an id.
  contractRoute(router, listShelves, async (_input, req) => {
    const scope = siteScope(req);
    const shelves = await alarms.shelves(context.clock());
    return { shelves: shelves.filter((shelf) => inScope(scope, shelf.site)) };
  });

  contractRoute(router, shelveAlarm, async ({ body }, req) => {
    if (!inScope(siteScope(req), body.site)) throw new RefusedError(`no site ${body.site}`, 404);
    const now = context.clock();
    const shelf = await alarms.shelve(
      {
        site: body.site,
        station: body.station,
        faultClass: body.faultClass,
        subject: body.subject,
        until: now + body.minutes * 60_000,
        shelvedBy: actor(req).username,
        reason: body.reason,
      },
      now,
    );
    await context.shelvesChanged();
    context.events.emit('alarm', { change: 'shelved', shelf });
    return { shelf };
  });

  contractRoute(router, unshelveAlarm, async ({ params: { id } }) => {
    if (!(await alarms.unshelve(id))) throw new RefusedError(`no shelf ${id}`, 404, 'error.noShelf', { id });
    await context.shelvesChanged();
    return undefined;
  });

  contractRoute(router, getAlarm, async ({ params: { id } }, req) => {
    const alarm = await alarms.get(id);
    if (!alarm || !inScope(siteScope(req), alarm.site))
      throw new RefusedError(`no alarm ${id}`, 404, 'error.noAlarm', { id });
    return { alarm: alarmView(alarm), history: await alarms.history(id) };
  });

  contractRoute(router, acknowledgeAlarm, async ({ params: { id }, body }, req) => {
    const held = await alarms.get(id);
    if (!held || !inScope(siteScope(req), held.site)) throw new RefusedError(`no alarm ${id}`, 404);
    const alarm = await alarms.acknowledge(id, actor(req).username, context.clock(), body.note);
    const view = alarmView(alarm);
    context.events.emit('alarm', { change: 'acknowledged', alarm: view });
    return { alarm: view };
  });

  return router;
}
