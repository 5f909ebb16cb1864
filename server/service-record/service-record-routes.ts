import type express from 'express';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  getServiceRecord,
  SERVICE_RECORD_BODY_LIMIT,
  SIGNATURE_MAX_PX,
  serviceRecordPdf,
  submitServiceRecord,
} from '../../core/api/service-record.ts';
import { pngSize } from '../../core/service-record/png-size.ts';
import { yuan } from '../../core/service-record/record-labels.ts';
import { actor } from '../auth/roles.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { jsonBody } from '../http/json-bodies.ts';
import type { RouteContext } from '../http/route-context.ts';
import type { NotifyService } from '../notify/notify-service.ts';
import { stationName } from '../notify/recipients.ts';
import { PartsStore } from '../parts/parts-store.ts';
import { chargeForTicket } from '../parts/ticket-charge.ts';
import { checkPhoto } from '../portal/photo-check.ts';
import { PortalStore } from '../portal/portal-store.ts';
import { resolveGuard } from '../sla/resolve-guard.ts';
import { ticketView } from '../tickets/ticket-view.ts';
import { arrivedAt, recordDocument } from './record-document.ts';
import { buildRecordPdf, requireCjkFont } from './record-pdf.ts';
import { ServiceRecordStore, type StoredRecord } from './service-record-store.ts';

/** The on-site service record: submit (resolve, sign off, PDF, archive, e-mail), read, download. */
export function serviceRecordRoutes(
  context: RouteContext,
  db: Kysely<ServiceDatabase>,
  notify: Pick<NotifyService, 'mailDocument'>,
): Router {
  const router = Router();
  router.use('/tickets/:id/service-record', jsonBody(SERVICE_RECORD_BODY_LIMIT));
  const parts = new PartsStore(db);
  const records = new ServiceRecordStore(db);
  const photos = new PortalStore(db);
  const { tickets, assets, clock } = context;

  const visibleTicket = async (id: number, req: express.Request): Promise<TicketRow> => {
    const row = await tickets.get(id);
    if (!row || !inScope(siteScope(req), row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    return row;
  };

  contractRoute(router, submitServiceRecord, async ({ params: { id }, body }, req) => {
    const ticket = await visibleTicket(id, req);
    if (ticket.state !== 'on_site')
      throw new RefusedError(
        `ticket ${id} is ${ticket.state}: the service record is filled in on site`,
        409,
        'error.serviceRecordState',
        { id, state: ticket.state },
      );
    if (await records.exists(id))
      throw new RefusedError(`ticket ${id} already has its service record`, 409, 'error.serviceRecordDone', {
        id,
      });
    const signature = Buffer.from(body.signature.slice(body.signature.indexOf(',') + 1), 'base64');
    const verdict = checkPhoto(signature);
    if (!('type' in verdict) || verdict.type !== 'image/png')
      throw new HttpError(
        400,
        "the customer's signature must be a PNG image",
        undefined,
        'error.signatureNotPng',
      );
    const size = pngSize(signature);
    if (!size)
      throw new HttpError(
        400,
        "the customer's signature is no readable PNG",
        undefined,
        'error.signatureNotPng',
      );
    if (size.width > SIGNATURE_MAX_PX.width || size.height > SIGNATURE_MAX_PX.height)
      throw new HttpError(
        400,
        `the signature is ${size.width}x${size.height} px; at most ${SIGNATURE_MAX_PX.width}x${SIGNATURE_MAX_PX.height}`,
        undefined,
        'error.signatureTooLarge',
        {
          width: size.width,
          height: size.height,
          maxWidth: SIGNATURE_MAX_PX.width,
          maxHeight: SIGNATURE_MAX_PX.height,
        },
      );
    const who = actor(req).username;
    const photoIds = [...new Set(body.photos)];
    const pending = new Set((await photos.pendingPhotos(who, photoIds)).map((photo) => photo.id));
    const unknown = photoIds.find((photo) => !pending.has(photo));
    if (unknown !== undefined)
      throw new HttpError(
        400,
        `photo ${unknown} is not one of your uploaded photos`,
        undefined,
        'error.photoUnknown',
        {
          id: unknown,
        },
      );
    requireCjkFont();
    const override = await resolveGuard(context, ticket, {
      action: 'resolve',
      workDone: body.workDone,
      partsUsed: [],
      rootCause: body.rootCause,
      note: '',
      ...(body.overrideActiveAlarm ? { overrideActiveAlarm: body.overrideActiveAlarm } : {}),
    });
    const at = clock();
    const finishedAt = body.finishedAt ?? at;
    const charge = await chargeForTicket({ parts, assets }, ticket, body.rootCause, body.parts, finishedAt);
    const events = await tickets.events(id);
    const quote = await parts.quote(id);
    const document = await recordDocument(
      { assets, parts },
      { ticket, events, body, charge, quote, finishedAt, signature },
    );
    const pdf = await buildRecordPdf(document);
    const record: StoredRecord = {
      ticketId: id,
      language: body.language,
      technician: ticket.technician ?? who,
      arrivedAt: arrivedAt(events),
      finishedAt,
      workDone: body.workDone,
      rootCause: body.rootCause,
      parts: body.parts,
      readings: body.readings,
      photos: photoIds,
      signerName: body.signerName,
      signedAt: finishedAt,
      charge,
      mailedTo: [],
    };
    await parts.db.transaction().execute(async (tx) => {
      await parts.useParts(tx, ticket, body.parts, who, finishedAt);
      await records.add(tx, record, signature, pdf, who, at);
    });
    await photos.attachPhotos(id, who, photoIds);
    const partsUsed = body.parts.map((line) => ({ part: line.part, quantity: line.quantity }));
    await tickets.transition(
      id,
      'resolve',
      { workDone: body.workDone, partsUsed, rootCause: body.rootCause },
      who,
      at,
    );
    if (override !== null) await context.sla.pauses.recordOverride(id, override, who, at);
    const signed = await tickets.transition(
      id,
      'sign_off',
      { signerName: body.signerName, signedAt: finishedAt },
      who,
      at,
    );
    const total = yuan(charge.totalCents);
    await tickets.recordOnce(
      id,
      'service_record',
      at,
      'service_record',
      {
        text: `Service record signed by ${body.signerName}; charge ${total} CNY`,
        code: 'event.serviceRecord',
        params: { name: body.signerName, total },
      },
      { by: who, totalCents: charge.totalCents },
    );
    const { policies, calendar } = await context.sla.clockData();
    const view = ticketView(
      signed,
      await tickets.events(id),
      policies.get(signed.sla_policy_id),
      clock(),
      true,
      calendar,
    );
    context.events.emit('ticket', { change: 'sign_off', ticket: view });
    const mailedTo = await notify.mailDocument(
      {
        dedupeKey: `ticket:${id}:service-record`,
        kind: 'ticket.serviceRecord',
        params: {
          ticket: id,
          station: await stationName(assets, ticket.site, ticket.station),
          signer: body.signerName,
          total,
        },
        site: ticket.site,
        station: ticket.station,
        attachments: [{ filename: `service-record-${id}.pdf`, contentType: 'application/pdf', content: pdf }],
      },
      ticket.site,
    );
    await records.setMailedTo(id, record, mailedTo);
    return { record: { ...record, mailedTo, pdfBytes: pdf.byteLength } };
  });

  contractRoute(router, getServiceRecord, async ({ params: { id } }, req) => {
    await visibleTicket(id, req);
    return { record: await records.record(id) };
  });

  contractRoute(router, serviceRecordPdf, async ({ params: { id } }, req, res): Promise<typeof ANSWERED> => {
    await visibleTicket(id, req);
    const pdf = await records.pdf(id);
    if (!pdf)
      throw new RefusedError(`ticket ${id} has no service record yet`, 404, 'error.noServiceRecord', { id });
    res
      .status(200)
      .set({
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="service-record-${id}.pdf"`,
        'cache-control': 'private, no-store',
      })
      .send(Buffer.from(pdf));
    return ANSWERED;
  });

  return router;
}
