import express, { type ErrorRequestHandler, type RequestHandler, Router } from 'express';
import type { Kysely } from 'kysely';
import {
  answerSurvey,
  fileServiceRequest,
  giveResultFeedback,
  listResultFeedback,
  PHOTO_LIMITS,
  portalHome,
  satisfactionReport,
  ticketCare,
  ticketPhoto,
  uploadPhoto,
} from '../../core/api/portal.ts';
import { actor } from '../auth/roles.ts';
import { inScope, type SiteScope, scopedSiteFilter, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { RouteContext } from '../http/route-context.ts';
import { ticketView } from '../tickets/ticket-view.ts';
import { feedbackView } from './feedback-state.ts';
import { checkPhoto, tooLarge } from './photo-check.ts';
import { PortalStore } from './portal-store.ts';
import { satisfactionRows } from './satisfaction.ts';

const PHOTO_BODY = 'photoBody';

/** The raw photo, read with the size limit; an oversized one is a 400 with its code, not a 413. */
const readPhoto: RequestHandler[] = [
  express.raw({ type: () => true, limit: PHOTO_LIMITS.maxBytes }),
  ((error, _req, _res, next) => {
    if ((error as { type?: string }).type !== 'entity.too.large') return next(error);
    const verdict = tooLarge();
    next(new HttpError(400, verdict.reason, undefined, verdict.code, verdict.params));
  }) as ErrorRequestHandler as unknown as RequestHandler,
  (req, res, next) => {
    // The contract has no body: the bytes leave req.body, which the contract's parser checks as text.
    res.locals[PHOTO_BODY] = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    req.body = undefined;
    next();
  },
];

/** The customer portal's routes (mount at /api): requests with photos, surveys, result feedback, satisfaction. */
export function portalRoutes(context: RouteContext, db: Kysely<ServiceDatabase>): Router {
  const router = Router();
  router.use('/portal/requests', express.json({ limit: '64kb' }));
  router.use('/portal/tickets', express.json({ limit: '16kb' }));
  router.use('/tickets/:id/result-feedback', express.json({ limit: '16kb' }));
  const store = new PortalStore(db);
  const { tickets, assets, clock } = context;

  /** A ticket the request may see, else 404 as if it did not exist. */
  const visibleTicket = async (id: number, scope: SiteScope): Promise<TicketRow> => {
    const row = await tickets.get(id);
    if (!row || !inScope(scope, row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    return row;
  };
  const detail = async (row: TicketRow) =>
    ticketView(row, await tickets.events(row.id), await assets.policy(row.sla_policy_id), clock(), true);
  const customerOfSite = async (site: string) =>
    (await assets.sites()).find((row) => row.id === site)?.customer_id ?? null;

  contractRoute(router, portalHome, async (_input, req) => {
    const scope = siteScope(req);
    const sites = (await assets.sites()).filter(
      (site) => site.retired_at === null && inScope(scope, site.id),
    );
    const siteName = new Map(sites.map((site) => [site.id, site.name]));
    const stations = (await assets.stations())
      .filter((station) => station.retired_at === null && siteName.has(station.site_id))
      .map((station) => ({
        site: station.site_id,
        siteName: siteName.get(station.site_id) ?? station.site_id,
        id: station.id,
        name: station.name,
        pumps: station.pumps.filter((pump) => pump.retired_at === null).map((pump) => pump.pump_no),
      }));
    const customerId = sites[0]?.customer_id;
    const customer = customerId ? (await assets.customers()).find((row) => row.id === customerId) : undefined;
    return {
      customer: customer ? { id: customer.id, name: customer.name } : null,
      stations,
      awaitingSurvey: await store.closedWithoutSurvey(sites.map((site) => site.id)),
    };
  });

  contractRoute(
    router,
    uploadPhoto,
    async (_input, req, res) => {
      const bytes = res.locals[PHOTO_BODY] as Buffer;
      const verdict = checkPhoto(bytes);
      if ('code' in verdict)
        throw new HttpError(400, verdict.reason, undefined, verdict.code, verdict.params);
      const photo = await store.addPhoto({
        by: actor(req).username,
        contentType: verdict.type,
        bytes: new Uint8Array(bytes),
        at: clock(),
      });
      return { photo: { ...photo, contentType: verdict.type } };
    },
    { beforeParse: readPhoto },
  );

  contractRoute(router, fileServiceRequest, async ({ body }, req) => {
    const who = actor(req).username;
    const station = (await assets.stations(body.site)).find(
      (row) => row.id === body.station && row.retired_at === null,
    );
    if (!station || !inScope(siteScope(req), body.site))
      throw new RefusedError(`no station ${body.station} at site ${body.site}`, 404, 'error.noStationHere', {
        site: body.site,
        station: body.station,
      });
    const photoIds = [...new Set(body.photos)];
    const pending = new Set((await store.pendingPhotos(who, photoIds)).map((photo) => photo.id));
    const unknown = photoIds.find((id) => !pending.has(id));
    if (unknown !== undefined)
      throw new HttpError(
        400,
        `photo ${unknown} is not one of your uploaded photos waiting for a request`,
        undefined,
        'error.photoUnknown',
        { id: unknown },
      );
    const at = clock();
    const firstLine = body.description.split('\n')[0] ?? body.description;
    const row = await tickets.createManual({
      site: body.site,
      station: body.station,
      pump: body.pump,
      title: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine,
      description: body.description,
      severity: 'general',
      source: 'web',
      reportedBy: `${body.contactName}, ${body.contactPhone}`,
      at,
      actor: who,
    });
    await store.attachPhotos(row.id, who, photoIds);
    const params = {
      account: who,
      name: body.contactName,
      phone: body.contactPhone,
      photos: photoIds.length,
    };
    await tickets.recordOnce(
      row.id,
      'web_request',
      at,
      'web_request',
      {
        text: `Filed online by ${who}; contact ${body.contactName}, ${body.contactPhone}; ${photoIds.length} photo(s)`,
        code: 'event.webRequest',
        params,
      },
      { photos: photoIds },
    );
    const view = await detail(row);
    context.events.emit('ticket', { change: 'opened', ticket: view });
    return { ticket: view };
  });

  contractRoute(router, ticketCare, async ({ params: { id } }, req) => {
    const row = await visibleTicket(id, siteScope(req));
    const survey = await store.survey(id);
    const photos = (await store.photosOf(id)).map((photo) => ({
      ...photo,
      contentType: photo.contentType as 'image/jpeg' | 'image/png' | 'image/webp',
    }));
    return {
      photos,
      survey: survey
        ? {
            ticketId: survey.ticketId,
            score: survey.score,
            aspects: survey.aspects,
            comment: survey.comment,
            by: survey.by,
            at: survey.at,
          }
        : null,
      surveyOpen: row.state === 'closed' && !survey,
      resultFeedback: feedbackView(row, await store.feedback(id), clock()),
    };
  });

  contractRoute(router, ticketPhoto, async ({ params }, req, res): Promise<typeof ANSWERED> => {
    await visibleTicket(params.id, siteScope(req));
    const photo = await store.photo(params.id, params.photo);
    if (!photo) throw new RefusedError(`no photo ${params.photo} on ticket ${params.id}`, 404);
    res
      .status(200)
      .set({ 'content-type': photo.contentType, 'cache-control': 'private, max-age=3600' })
      .send(Buffer.from(photo.bytes));
    return ANSWERED;
  });

  contractRoute(router, answerSurvey, async ({ params: { id }, body }, req) => {
    const row = await visibleTicket(id, siteScope(req));
    if (row.state !== 'closed')
      throw new RefusedError(
        `ticket ${id} is not closed yet: the survey opens when it is`,
        409,
        'error.surveyNotClosed',
        {
          id,
        },
      );
    const at = clock();
    const survey = {
      ticketId: id,
      customerId: await customerOfSite(row.site),
      score: body.score,
      aspects: body.aspects,
      comment: body.comment,
      by: actor(req).username,
      at,
    };
    await store.addSurvey({ ...survey, site: row.site, station: row.station });
    await tickets.recordOnce(
      id,
      'survey',
      at,
      'survey',
      { text: `Customer satisfaction ${body.score}/5`, code: 'event.survey', params: { score: body.score } },
      { ...body },
    );
    context.events.emit('ticket', { change: 'survey', ticket: await detail(row) });
    const { customerId: _customer, ...answer } = survey;
    return { survey: answer };
  });

  contractRoute(router, listResultFeedback, async ({ query }, req) => {
    const sites = scopedSiteFilter(siteScope(req), undefined) ?? {};
    const rows = (
      await tickets.list({ states: ['resolved', 'signed_off', 'closed'], ...sites, limit: 1000 })
    ).filter((row) => row.resolved_at !== null);
    const done = await store.feedbackOf(rows.map((row) => row.id));
    const now = clock();
    const tasks = rows
      .map((row) => ({
        ...feedbackView(row, done.get(row.id), now),
        site: row.site,
        station: row.station,
        title: row.title,
        titleCode: row.title_code ?? null,
        titleParams: row.title_params ?? {},
      }))
      .filter((task) =>
        query.state === undefined
          ? true
          : query.state === 'open'
            ? task.state === 'due' || task.state === 'overdue'
            : task.state === query.state,
      )
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
      .slice(0, query.limit ?? 200);
    return { tasks };
  });

  contractRoute(router, giveResultFeedback, async ({ params: { id }, body }, req) => {
    const row = await visibleTicket(id, siteScope(req));
    if (row.resolved_at === null)
      throw new RefusedError(
        `ticket ${id} is not resolved yet: feed the result back after the repair`,
        409,
        'error.feedbackNotResolved',
        { id },
      );
    const record = { ticketId: id, doneAt: clock(), doneBy: actor(req).username, note: body.note };
    await store.addFeedback(record);
    await tickets.recordOnce(
      id,
      'result_feedback',
      record.doneAt,
      'result_feedback',
      {
        text: `Result fed back to the customer: ${body.note}`,
        code: 'event.resultFeedback',
        params: { note: body.note },
      },
      { by: record.doneBy },
    );
    context.events.emit('ticket', { change: 'result_feedback', ticket: await detail(row) });
    return { resultFeedback: feedbackView(row, record, record.doneAt) };
  });

  contractRoute(router, satisfactionReport, async (_input, req) => {
    const scope = siteScope(req);
    return { rows: satisfactionRows(await store.satisfaction(scope.all ? undefined : scope.sites)) };
  });

  return router;
}
