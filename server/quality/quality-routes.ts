import express, { Router } from 'express';
import {
  createNcr,
  deleteNcr,
  getNcr,
  getQualityAction,
  getTicketQuality,
  listNcrs,
  listQualityActions,
  moveQualityAction,
  searchCases,
  similarCases,
  updateNcr,
  updateQualityAction,
} from '../../core/api/quality.ts';
import type { Responsibility } from '../../core/quality/vocabulary.ts';
import { actor } from '../auth/roles.ts';
import { inScope, type SiteScope, scopedSiteFilter, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';

/** Quality actions, the case library and non-conforming product records. */
export function qualityRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  const { quality, tickets } = context;
  const scopeSites = (scope: SiteScope) => (scope.all ? undefined : scope.sites);

  const ticketInScope = async (id: number, scope: SiteScope) => {
    const row = await tickets.get(id);
    if (!row || !inScope(scope, row.site))
      throw new RefusedError(`no ticket ${id}`, 404, 'error.noTicket', { id });
    return row;
  };

  contractRoute(router, listQualityActions, async ({ query }, req) => {
    const sites = scopedSiteFilter(siteScope(req), query.site);
    if (!sites) return { actions: [] };
    const actions = await quality.actions.list(
      {
        ...(query.status ? { statuses: query.status } : {}),
        ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
        ...(sites.site ? { site: sites.site } : {}),
      },
      context.clock(),
    );
    const scope = siteScope(req);
    return { actions: actions.filter((a) => inScope(scope, a.site)) };
  });

  const actionInScope = async (id: number, scope: SiteScope) => {
    const action = await quality.actions.get(id, context.clock());
    if (!inScope(scope, action.site))
      throw new RefusedError(`no quality action ${id}`, 404, 'error.noQualityAction', { id });
    return action;
  };

  contractRoute(router, getQualityAction, async ({ params: { id } }, req) => ({
    action: await actionInScope(id, siteScope(req)),
  }));

  contractRoute(router, updateQualityAction, async ({ params: { id }, body }, req) => {
    await actionInScope(id, siteScope(req));
    await quality.actions.update(id, body, actor(req).username, context.clock());
    return { action: await quality.actions.get(id, context.clock()) };
  });

  contractRoute(router, moveQualityAction, async ({ params: { id }, body }, req) => {
    await actionInScope(id, siteScope(req));
    await quality.actions.move(id, body.status, actor(req).username, context.clock(), body.note);
    return { action: await quality.actions.get(id, context.clock()) };
  });

  contractRoute(router, getTicketQuality, async ({ params: { id } }, req) => {
    await ticketInScope(id, siteScope(req));
    const record = await quality.record(id);
    return {
      record: record ? { ...record, responsibility: record.responsibility as Responsibility } : null,
      actions: await quality.actions.list({ ticketId: id }, context.clock()),
    };
  });

  contractRoute(router, similarCases, async ({ params: { id }, query }, req) => {
    const scope = siteScope(req);
    const ticket = await ticketInScope(id, scope);
    return { cases: await quality.cases.similarTo(ticket, scopeSites(scope), query.limit ?? 10) };
  });

  contractRoute(router, searchCases, async ({ query }, req) => {
    const cases = await quality.cases.search(query.q, {
      ...(query.faultClass ? { faultClass: query.faultClass } : {}),
      ...(query.model ? { model: query.model } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(scopeSites(siteScope(req)) ? { sites: scopeSites(siteScope(req)) } : {}),
    });
    return { cases };
  });

  // An NCR is of its ticket's or quality action's site; one linked to neither only unscoped staff see.
  contractRoute(router, listNcrs, async ({ query }, req) => ({
    ncrs: await quality.ncrs.list({
      sites: scopeSites(siteScope(req)),
      ...(query.ticketId ? { ticketId: query.ticketId } : {}),
    }),
  }));
  contractRoute(router, getNcr, async ({ params: { id } }, req) => ({
    ncr: await quality.ncrs.get(id, scopeSites(siteScope(req))),
  }));
  contractRoute(router, createNcr, async ({ body }, req) => ({
    ncr: await quality.ncrs.create(body, actor(req).username, context.clock(), scopeSites(siteScope(req))),
  }));
  contractRoute(router, updateNcr, async ({ params: { id }, body }, req) => ({
    ncr: await quality.ncrs.update(id, body, context.clock(), scopeSites(siteScope(req))),
  }));
  contractRoute(router, deleteNcr, async ({ params: { id } }, req) => {
    await quality.ncrs.remove(id, scopeSites(siteScope(req)));
    return undefined;
  });

  return router;
}
