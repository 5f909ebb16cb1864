import express, { Router } from 'express';
import { actor, requireRole } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { RouteContext } from '../http/route-context.ts';
import { ackBody, alarmQuery, idParam, shelveBody } from '../http/service-schemas.ts';
import { alarmView } from './alarm-view.ts';

export function alarmRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { alarms } = context;

  router.get('/alarms', requireRole(), async (req, res) => {
    const query = alarmQuery.parse(req.query);
    const rows = await alarms.list({
      ...(query.state ? { statuses: query.state } : {}),
      ...(query.site ? { site: query.site } : {}),
      ...(query.station ? { station: query.station } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    res.json({ alarms: rows.map(alarmView) });
  });

  router.get('/alarms/shelves', requireRole(), async (_req, res) => {
    res.json({ shelves: await alarms.shelves(context.clock()) });
  });

  router.post('/alarms/shelves', requireRole('operator', 'admin'), async (req, res) => {
    const body = shelveBody.parse(req.body);
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
    res.status(201).json({ shelf });
  });

  router.delete('/alarms/shelves/:id', requireRole('operator', 'admin'), async (req, res) => {
    const { id } = idParam.parse(req.params);
    if (!(await alarms.unshelve(id))) throw new RefusedError(`no shelf ${id}`, 404, 'error.noShelf', { id });
    await context.shelvesChanged();
    res.status(204).end();
  });

  router.get('/alarms/:id', requireRole(), async (req, res) => {
    const { id } = idParam.parse(req.params);
    const alarm = await alarms.get(id);
    if (!alarm) throw new RefusedError(`no alarm ${id}`, 404, 'error.noAlarm', { id });
    res.json({ alarm: alarmView(alarm), history: await alarms.history(id) });
  });

  router.post('/alarms/:id/ack', requireRole('operator', 'admin'), async (req, res) => {
    const { id } = idParam.parse(req.params);
    const body = ackBody.parse(req.body ?? {});
    const alarm = await alarms.acknowledge(id, actor(req).username, context.clock(), body.note);
    const view = alarmView(alarm);
    context.events.emit('alarm', { change: 'acknowledged', alarm: view });
    res.json({ alarm: view });
  });

  return router;
}
