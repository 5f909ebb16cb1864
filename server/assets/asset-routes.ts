import express, { Router } from 'express';
import {
  listAssetStations,
  listContracts,
  listCustomers,
  listSites,
  listSlaPolicies,
  putAssetPump,
  putAssetStation,
  putContract,
  putSiteThresholds,
  putSlaPolicy,
  reliabilityReport,
  serviceStats,
} from '../../core/api/assets.ts';
import { resolveThresholds } from '../alarms/thresholds.ts';
import { actor } from '../auth/roles.ts';
import { inScope, type SiteScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { slaPolicySchema } from '../sla/policies.ts';
import { reliability } from '../tickets/reliability.ts';

const DAY = 86_400_000;

export function assetRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { assets, audit } = context;

  /** The customers owning a site in scope (a scoped user sees only its own customers and contracts). */
  const customersInScope = async (scope: SiteScope): Promise<Set<string> | undefined> =>
    scope.all
      ? undefined
      : new Set(
          (await assets.sites()).filter((site) => inScope(scope, site.id)).map((site) => site.customer_id),
        );

  contractRoute(router, listCustomers, async (_input, req) => {
    const mine = await customersInScope(siteScope(req));
    return { customers: (await assets.customers()).filter((customer) => !mine || mine.has(customer.id)) };
  });
  contractRoute(router, listSites, async (_input, req) => {
    const scope = siteScope(req);
    const sites = (await assets.sites()).filter((site) => inScope(scope, site.id));
    return { sites: sites.map((site) => ({ ...site, thresholds: resolveThresholds(site.thresholds) })) };
  });
  contractRoute(router, listAssetStations, async ({ query: { site } }, req) => {
    const now = context.clock();
    const today = new Date(now).toISOString().slice(0, 10);
    const scope = siteScope(req);
    const stations = (await assets.stations(site)).filter((station) => inScope(scope, station.site_id));
    return {
      stations: stations.map((station) => ({
        ...station,
        inWarranty: station.warranty_end ? today <= station.warranty_end : null,
        pumps: station.pumps.map((pump) => ({
          ...pump,
          inWarranty: pump.warranty_end ? today <= pump.warranty_end : null,
        })),
      })),
    };
  });
  contractRoute(router, listContracts, async (_input, req) => {
    const mine = await customersInScope(siteScope(req));
    return {
      contracts: (await assets.contracts()).filter((contract) => !mine || mine.has(contract.customer_id)),
    };
  });
  contractRoute(router, listSlaPolicies, async () => ({ policies: await assets.policies() }));

  contractRoute(router, putContract, async ({ params: { id }, body }, req) => {
    if (!(await assets.policy(body.slaPolicyId)))
      throw new RefusedError(`no SLA policy ${body.slaPolicyId}`, 400, 'error.noSlaPolicy', {
        id: body.slaPolicyId,
      });
    if (!(await assets.customers()).some((customer) => customer.id === body.customerId)) {
      throw new RefusedError(`no customer ${body.customerId}`, 400, 'error.noCustomer', {
        id: body.customerId,
      });
    }
    await assets.upsertContract({
      id,
      customer_id: body.customerId,
      name: body.name,
      sla_policy_id: body.slaPolicyId,
      starts_on: body.startsOn,
      ends_on: body.endsOn,
      warranty_terms: body.warrantyTerms,
    });
    await audit.record(actor(req), {
      action: 'contract.put',
      target: `contract/${id}`,
      result: 'ok',
      detail: body,
    });
    return { contract: await assets.contract(id) };
  });

  contractRoute(router, putSlaPolicy, async ({ params, body }, req) => {
    const policy = slaPolicySchema.parse({ ...body, id: params.id });
    await assets.upsertPolicy(policy);
    await audit.record(actor(req), {
      action: 'sla_policy.put',
      target: `sla_policy/${policy.id}`,
      result: 'ok',
      detail: body,
    });
    return { policy: await assets.policy(policy.id) };
  });

  contractRoute(router, putSiteThresholds, async ({ params: { site }, body }, req) => {
    const existing = (await assets.sites()).find((row) => row.id === site);
    if (!existing) throw new RefusedError(`no site ${site}`, 404, 'error.noSite', { id: site });
    const thresholds = resolveThresholds({ ...existing.thresholds, ...body });
    await assets.upsertSite({ ...existing, thresholds });
    await audit.record(actor(req), {
      action: 'site.thresholds',
      target: `site/${site}`,
      result: 'ok',
      detail: body,
    });
    context.thresholdsChanged(site);
    return { thresholds };
  });

  contractRoute(router, putAssetStation, async ({ params: { site, station }, body }, req) => {
    if (!(await assets.sites()).some((row) => row.id === site))
      throw new RefusedError(`no site ${site}`, 404, 'error.noSite', { id: site });
    if (body.contractId && !(await assets.contract(body.contractId))) {
      throw new RefusedError(`no contract ${body.contractId}`, 400, 'error.noContract', {
        id: body.contractId,
      });
    }
    await assets.upsertStation({
      site_id: site,
      id: station,
      name: body.name,
      model: body.model,
      serial_number: body.serialNumber,
      acceptance_date: body.acceptanceDate,
      warranty_end: body.warrantyEnd,
      contract_id: body.contractId,
    });
    await audit.record(actor(req), {
      action: 'station.put',
      target: `station/${site}/${station}`,
      result: 'ok',
      detail: body,
    });
    return { station: (await assets.stations(site)).find((row) => row.id === station) };
  });

  contractRoute(router, putAssetPump, async ({ params: { site, station, pump }, body }, req) => {
    const existing = (await assets.stations(site)).find((row) => row.id === station);
    if (!existing)
      throw new RefusedError(`no station ${site}/${station}: create it first`, 404, 'error.noStation', {
        id: `${site}/${station}`,
      });
    await assets.upsertPump({
      site_id: site,
      station_id: station,
      pump_no: pump,
      model: body.model,
      serial_number: body.serialNumber,
      acceptance_date: body.acceptanceDate,
      warranty_end: body.warrantyEnd,
    });
    await audit.record(actor(req), {
      action: 'pump.put',
      target: `station/${site}/${station}/pump/${pump}`,
      result: 'ok',
      detail: body,
    });
    return {
      pump: (await assets.stations(site))
        .find((row) => row.id === station)
        ?.pumps.find((p) => p.pump_no === pump),
    };
  });

  contractRoute(router, reliabilityReport, async ({ query }, req) => {
    const to = query.to ?? context.clock();
    const from = query.from ?? to - 365 * DAY;
    if (from >= to) throw new RefusedError('from must be before to', 400, 'error.fromBeforeTo');
    const scope = siteScope(req);
    // A failure record names its station as `site/station`.
    const failures = (await context.tickets.failureRecords(from, to)).filter((failure) =>
      inScope(scope, failure.station.split('/')[0] ?? ''),
    );
    const units: Record<string, number> = {};
    if (query.by === 'pump_model') {
      for (const station of (await assets.stations()).filter((s) => inScope(scope, s.site_id))) {
        for (const pump of station.pumps) units[pump.model] = (units[pump.model] ?? 0) + 1;
      }
    }
    return { by: query.by, from, to, rows: reliability(failures, query.by, { from, to }, units) };
  });

  contractRoute(router, serviceStats, () => context.stats());

  return router;
}
