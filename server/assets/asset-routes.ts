import express, { Router } from 'express';
import { z } from 'zod';
import { resolveThresholds } from '../alarms/thresholds.ts';
import { requireRole } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { RouteContext } from '../http/route-context.ts';
import {
  coerceTimes,
  contractBody,
  policyBody,
  pumpBody,
  reliabilityQuery,
  stationBody,
  thresholdsBody,
} from '../http/service-schemas.ts';
import { reliability } from '../tickets/reliability.ts';

const idText = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, _ or -');
const DAY = 86_400_000;

export function assetRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const { assets } = context;

  router.get('/assets/customers', requireRole(), async (_req, res) => {
    res.json({ customers: await assets.customers() });
  });
  router.get('/assets/sites', requireRole(), async (_req, res) => {
    const sites = await assets.sites();
    res.json({ sites: sites.map((site) => ({ ...site, thresholds: resolveThresholds(site.thresholds) })) });
  });
  router.get('/assets/stations', requireRole(), async (req, res) => {
    const site = idText.optional().parse(req.query.site);
    const now = context.clock();
    const today = new Date(now).toISOString().slice(0, 10);
    const stations = await assets.stations(site);
    res.json({
      stations: stations.map((station) => ({
        ...station,
        inWarranty: station.warranty_end ? today <= station.warranty_end : null,
        pumps: station.pumps.map((pump) => ({
          ...pump,
          inWarranty: pump.warranty_end ? today <= pump.warranty_end : null,
        })),
      })),
    });
  });
  router.get('/contracts', requireRole(), async (_req, res) => {
    res.json({ contracts: await assets.contracts() });
  });
  router.get('/sla-policies', requireRole(), async (_req, res) => {
    res.json({ policies: await assets.policies() });
  });

  router.put('/contracts/:id', requireRole('admin'), async (req, res) => {
    const id = idText.parse(req.params.id);
    const body = contractBody.parse(req.body);
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
    res.json({ contract: await assets.contract(id) });
  });

  router.put('/sla-policies/:id', requireRole('admin'), async (req, res) => {
    const body = policyBody.parse({ ...req.body, id: req.params.id });
    await assets.upsertPolicy(body);
    res.json({ policy: await assets.policy(body.id) });
  });

  router.put('/assets/sites/:site/thresholds', requireRole('admin'), async (req, res) => {
    const site = idText.parse(req.params.site);
    const existing = (await assets.sites()).find((row) => row.id === site);
    if (!existing) throw new RefusedError(`no site ${site}`, 404, 'error.noSite', { id: site });
    const thresholds = resolveThresholds({ ...existing.thresholds, ...thresholdsBody.parse(req.body) });
    await assets.upsertSite({ ...existing, thresholds });
    context.thresholdsChanged(site);
    res.json({ thresholds });
  });

  router.put('/assets/stations/:site/:station', requireRole('admin'), async (req, res) => {
    const site = idText.parse(req.params.site);
    const station = idText.parse(req.params.station);
    const body = stationBody.parse(req.body);
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
    res.json({ station: (await assets.stations(site)).find((row) => row.id === station) });
  });

  router.put('/assets/stations/:site/:station/pumps/:pump', requireRole('admin'), async (req, res) => {
    const site = idText.parse(req.params.site);
    const station = idText.parse(req.params.station);
    const pump = z.coerce.number().int().min(1).max(9).parse(req.params.pump);
    const body = pumpBody.parse(req.body);
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
    res.json({
      pump: (await assets.stations(site))
        .find((row) => row.id === station)
        ?.pumps.find((p) => p.pump_no === pump),
    });
  });

  router.get('/reports/reliability', requireRole(), async (req, res) => {
    const query = reliabilityQuery.parse(coerceTimes(req.query as Record<string, unknown>));
    const to = query.to ?? context.clock();
    const from = query.from ?? to - 365 * DAY;
    if (from >= to) throw new RefusedError('from must be before to', 400, 'error.fromBeforeTo');
    const failures = await context.tickets.failureRecords(from, to);
    const units: Record<string, number> = {};
    if (query.by === 'pump_model') {
      for (const station of await assets.stations()) {
        for (const pump of station.pumps) units[pump.model] = (units[pump.model] ?? 0) + 1;
      }
    }
    res.json({ by: query.by, from, to, rows: reliability(failures, query.by, { from, to }, units) });
  });

  router.get('/service/stats', requireRole(), (_req, res) => {
    res.json(context.stats());
  });

  return router;
}
