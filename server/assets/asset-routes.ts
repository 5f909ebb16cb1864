import express, { Router } from 'express';
import {
  listAssetStations,
  listCustomers,
  listSites,
  listSlaPolicies,
  putAssetPump,
  putAssetStation,
  putSiteThresholds,
  putSlaPolicy,
  reliabilityReport,
  retireAssetStation,
  serviceStats,
} from '../../core/api/assets.ts';
import { pumpRefusals, stationRefusals, updateRefusal } from '../../core/fleet/fleet-rules.ts';
import { resolveThresholds } from '../alarms/thresholds.ts';
import { actor } from '../auth/roles.ts';
import { inScope, type SiteScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { exposedPumps } from '../reports/exposed-pumps.ts';
import { exposureBy } from '../reports/exposure.ts';
import { slaPolicySchema } from '../sla/policies.ts';
import { reliability } from '../tickets/reliability.ts';
import { refuseFirst } from './fleet-refusal.ts';

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
  contractRoute(router, listAssetStations, async ({ query: { site, retired } }, req) => {
    const now = context.clock();
    const today = new Date(now).toISOString().slice(0, 10);
    const scope = siteScope(req);
    const stations = (await assets.stations(site)).filter(
      (station) => inScope(scope, station.site_id) && (retired === 'true' || station.retired_at === null),
    );
    return {
      stations: stations.map((station) => ({
        ...station,
        inWarranty: station.warranty_end ? today <= station.warranty_end : null,
        pumps: station.pumps
          .filter((pump) => retired === 'true' || pump.retired_at === null)
          .map((pump) => ({
            ...pump,
            inWarranty: pump.warranty_end ? today <= pump.warranty_end : null,
          })),
      })),
    };
  });
  contractRoute(router, listSlaPolicies, async () => ({ policies: await assets.policies() }));

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
    const snapshot = await context.fleet.snapshot();
    const key = `${site}/${station}`;
    refuseFirst([
      ...stationRefusals(snapshot, site, body),
      snapshot.station.has(key) ? updateRefusal(snapshot, 'station', key) : undefined,
    ]);
    await context.fleet.saveStation({ ...body, siteId: site, id: station });
    await audit.record(actor(req), {
      action: 'station.put',
      target: `station/${site}/${station}`,
      result: 'ok',
      detail: body,
    });
    return { station: (await assets.stations(site)).find((row) => row.id === station) };
  });

  contractRoute(router, putAssetPump, async ({ params: { site, station, pump }, body }, req) => {
    refuseFirst(pumpRefusals(await context.fleet.snapshot(), site, station));
    await context.fleet.savePump({ ...body, siteId: site, stationId: station, number: pump });
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

  contractRoute(router, retireAssetStation, async ({ params: { site, station } }, req) => {
    const key = `${site}/${station}`;
    if (!(await context.fleet.snapshot()).station.has(key)) {
      throw new RefusedError(`no station ${key}`, 404, 'error.noStation', { id: key });
    }
    await context.fleet.retire('station', key);
    await audit.record(actor(req), { action: 'station.retire', target: `station/${key}`, result: 'ok' });
    return undefined;
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
    // MTBF over the pumps exposed: pump-hours in service inside the period, per grouping key.
    const stations = (await assets.stations()).filter((s) => inScope(scope, s.site_id));
    const pumps = exposedPumps(stations, await assets.sites());
    const exposure = exposureBy(pumps, from, to, (pump) =>
      query.by === 'station'
        ? `${pump.site}/${pump.station}`
        : query.by === 'pump_model'
          ? pump.model
          : 'all',
    );
    const hoursOf = (key: string) => exposure.get(query.by === 'failure_mode' ? 'all' : key);
    return { by: query.by, from, to, rows: reliability(failures, query.by, { from, to }, {}, hoursOf) };
  });

  contractRoute(router, serviceStats, () => context.stats());

  return router;
}
