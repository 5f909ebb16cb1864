import express, { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  confirmQuoteInPortal,
  confirmQuoteOnPaper,
  getQuote,
  issueQuote,
  listParts,
  putDepot,
  putPart,
  putStock,
} from '../../core/api/parts.ts';
import { actor } from '../auth/roles.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, TicketRow } from '../db/schema.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { PartsStore } from './parts-store.ts';
import { chargeForTicket } from './ticket-charge.ts';

/** Parts, depots and stock (admin), and the quote a ticket's customer confirms in writing. */
export function partsRoutes(context: RouteContext, db: Kysely<ServiceDatabase>): Router {
  const router = Router();
  for (const path of ['/parts', '/depots', '/tickets/:id/quote', '/portal/tickets/:id/quote'])
    router.use(path, express.json({ limit: '32kb' }));
  const parts = new PartsStore(db);
  const { tickets, assets, clock, audit } = context;

  const visibleTicket = async (id: number, req: Parameters<typeof siteScope>[0]): Promise<TicketRow> => {
    const row = await tickets.get(id);
    if (!row || !inScope(siteScope(req), row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    return row;
  };
  const quoteOf = async (id: number) => {
    const quote = await parts.quote(id);
    if (!quote) throw new RefusedError(`ticket ${id} has no quote yet`, 409, 'error.noQuote', { id });
    return quote;
  };

  contractRoute(router, listParts, async () => ({
    parts: await parts.parts(),
    depots: await parts.depots(),
  }));

  contractRoute(router, putPart, async ({ params: { code }, body }, req) => {
    await parts.upsertPart(code, body);
    await audit.record(actor(req), {
      action: 'part.put',
      target: `part/${code}`,
      result: 'ok',
      detail: body,
    });
    return { part: (await parts.part(code)) as NonNullable<Awaited<ReturnType<PartsStore['part']>>> };
  });

  contractRoute(router, putDepot, async ({ params: { id }, body }, req) => {
    await parts.upsertDepot({ id, name: body.name });
    await audit.record(actor(req), {
      action: 'depot.put',
      target: `depot/${id}`,
      result: 'ok',
      detail: body,
    });
    return { depot: { id, name: body.name } };
  });

  contractRoute(router, putStock, async ({ params: { id }, body }, req) => {
    await parts.setStock(id, body.part, body.quantity);
    await audit.record(actor(req), {
      action: 'stock.set',
      target: `depot/${id}`,
      result: 'ok',
      detail: body,
    });
    return { part: (await parts.part(body.part)) as NonNullable<Awaited<ReturnType<PartsStore['part']>>> };
  });

  contractRoute(router, getQuote, async ({ params: { id } }, req) => {
    await visibleTicket(id, req);
    const quote = await parts.quote(id);
    const codes = [...new Set(quote?.charge.lines.map((line) => line.part) ?? [])];
    const named = codes.length > 0 ? await parts.parts(codes) : [];
    return {
      quote,
      partNames: Object.fromEntries(named.map((p) => [p.code, { zh: p.nameZh, en: p.nameEn }])),
    };
  });

  contractRoute(router, issueQuote, async ({ params: { id }, body }, req) => {
    const ticket = await visibleTicket(id, req);
    if (ticket.state !== 'dispatched' && ticket.state !== 'on_site')
      throw new RefusedError(
        `ticket ${id} is ${ticket.state}: a quote is issued for a dispatched or on-site visit`,
        409,
        'error.quoteState',
        { id, state: ticket.state },
      );
    const at = clock();
    const charge = await chargeForTicket({ parts, assets }, ticket, body.rootCause, body.parts, at);
    await parts.saveQuote(id, charge, actor(req).username, at);
    await tickets.recordOnce(
      id,
      `quote:${at}`,
      at,
      'quote',
      {
        text: `Quote issued: ${(charge.totalCents / 100).toFixed(2)} CNY`,
        code: 'event.quoteIssued',
        params: { total: (charge.totalCents / 100).toFixed(2) },
      },
      { by: actor(req).username },
    );
    return { quote: await quoteOf(id) };
  });

  const confirm = async (id: number, how: 'portal' | 'paper', signerName: string, req: express.Request) => {
    await visibleTicket(id, req);
    const quote = await quoteOf(id);
    if (quote.confirmedAt !== null)
      throw new RefusedError(`ticket ${id}'s quote is already confirmed`, 409, 'error.quoteConfirmed', {
        id,
      });
    const at = clock();
    const by = actor(req).username;
    await parts.confirmQuote(id, how, by, signerName, at);
    await tickets.recordOnce(
      id,
      `quote_confirmed:${quote.createdAt}`,
      at,
      'quote_confirmed',
      {
        text: `Fee confirmed by ${signerName} (${how})`,
        code: how === 'portal' ? 'event.quoteConfirmedPortal' : 'event.quoteConfirmedPaper',
        params: { name: signerName, by },
      },
      { by, how },
    );
    return { quote: await quoteOf(id) };
  };

  contractRoute(router, confirmQuoteInPortal, ({ params: { id }, body }, req) =>
    confirm(id, 'portal', body.signerName, req),
  );
  contractRoute(router, confirmQuoteOnPaper, ({ params: { id }, body }, req) =>
    confirm(id, 'paper', body.signerName, req),
  );

  return router;
}
