import { z } from 'zod';
import { thresholdsPatchSchema } from '../alarms/thresholds.ts';
import { ROLES } from '../auth/roles.ts';
import { slaPolicySchema } from '../sla/policies.ts';
import { daySchema, idParams, idSchema, pumpNumber, queryTimeSchema } from './common.ts';
import { defineContract } from './contract.ts';
import {
  contractInputSchema,
  profileNameSchema,
  stationEndpointSchema,
  warrantyViewSchema,
} from './fleet.ts';

/** Customers, sites, stations and pumps, contracts and SLA policies; reports over them. */

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
});

/** A site's alarm thresholds with the defaults filled in (core/alarms/thresholds.ts). */
export const siteThresholdsSchema = z.record(z.string(), z.union([z.number(), z.string()]));

export const siteSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  name: z.string(),
  address: z.string(),
  /** IANA time zone: the site's local time, in which its pages show times. */
  time_zone: z.string().default('Asia/Shanghai'),
  thresholds: siteThresholdsSchema,
});

const pumpRow = z.object({
  site_id: z.string(),
  station_id: z.string(),
  pump_no: z.number(),
  model: z.string(),
  serial_number: z.string(),
  acceptance_date: z.string().nullable(),
  warranty_end: z.string().nullable(),
  sale_date: z.string().nullable(),
  install_date: z.string().nullable(),
  retired_at: z.number().nullable(),
});
const stationRow = z.object({
  site_id: z.string(),
  id: z.string(),
  name: z.string(),
  model: z.string(),
  serial_number: z.string(),
  acceptance_date: z.string().nullable(),
  warranty_end: z.string().nullable(),
  contract_id: z.string().nullable(),
  profile: z.string(),
  endpoint: stationEndpointSchema.nullable(),
  edge_id: z.string().nullable(),
  retired_at: z.number().nullable(),
});

export const assetPumpSchema = pumpRow.extend({ inWarranty: z.boolean().nullable() });
/** GET /api/assets/stations: a registered station, its pumps and whether each is in warranty today. */
export const assetStationSchema = stationRow.extend({
  inWarranty: z.boolean().nullable(),
  pumps: z.array(assetPumpSchema),
});

export const contractSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  name: z.string(),
  sla_policy_id: z.string(),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  warranty_terms: z.string(),
  warranty: warrantyViewSchema,
  retired_at: z.number().nullable(),
});

/** An SLA policy as the API answers it (the request is `slaPolicySchema`). */
export const slaPolicyViewSchema = slaPolicySchema.loose();

export const reliabilityRowSchema = z.object({
  key: z.string(),
  failures: z.number(),
  mtbfHours: z.number().nullable(),
  mttrHours: z.number().nullable(),
  resolved: z.number(),
});

export const RELIABILITY_GROUPINGS = ['station', 'pump_model', 'failure_mode'] as const;

export const serviceStatsSchema = z.object({
  telemetry: z.number(),
  outOfOrder: z.number(),
  failures: z.number(),
  alarmsRaised: z.number(),
  alarmsCleared: z.number(),
  ticketsOpened: z.number(),
  occurrences: z.number(),
  escalations: z.number(),
  /** Stations the rules judged on the clock (a delay ran out, a station fell silent), not on a message. */
  timedEvaluations: z.number(),
});

/** PUT /api/contracts/:id: the same body as POST /api/contracts without the id (warranty optional). */
export const contractBodySchema = contractInputSchema;

const equipment = {
  model: z.string().max(128).default(''),
  serialNumber: z.string().max(128).default(''),
  acceptanceDate: daySchema.nullable().default(null),
  warrantyEnd: daySchema.nullable().default(null),
};
export const stationBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    ...equipment,
    contractId: idSchema.nullable().default(null),
    /** The profile's name; '' while not chosen. */
    profile: z.union([profileNameSchema, z.literal('')]).default(''),
    endpoint: stationEndpointSchema.nullable().default(null),
    /** The edge that reads it: an edge of the same site that is not retired. */
    edgeId: idSchema.nullable().default(null),
  })
  .strict();
export const pumpBodySchema = z
  .object({
    ...equipment,
    saleDate: daySchema.nullable().default(null),
    installDate: daySchema.nullable().default(null),
  })
  .strict();

export const reliabilityQuerySchema = z.object({
  by: z.enum(RELIABILITY_GROUPINGS).default('station'),
  from: queryTimeSchema.optional().describe('ms since the epoch or ISO 8601; default: a year before to'),
  to: queryTimeSchema.optional().describe('ms since the epoch or ISO 8601; default: now'),
});

const siteParams = z.object({ site: idSchema });
const stationParams = siteParams.extend({ station: idSchema });

export const listCustomers = defineContract({
  method: 'GET',
  path: '/api/assets/customers',
  summary: 'Customers',
  access: 'signed-in',
  status: 200,
  response: z.object({ customers: z.array(customerSchema) }),
});
export const listSites = defineContract({
  method: 'GET',
  path: '/api/assets/sites',
  summary: 'Sites with their alarm thresholds',
  access: ROLES,
  status: 200,
  response: z.object({ sites: z.array(siteSchema) }),
});
export const listAssetStations = defineContract({
  method: 'GET',
  path: '/api/assets/stations',
  summary: 'Registered stations and their pumps, with warranty (retired ones with ?retired=true)',
  access: 'signed-in',
  query: z.object({ site: idSchema.optional(), retired: z.enum(['true', 'false']).default('false') }),
  status: 200,
  response: z.object({ stations: z.array(assetStationSchema) }),
});
export const listContracts = defineContract({
  method: 'GET',
  path: '/api/contracts',
  summary: 'Service contracts (retired ones with ?retired=true)',
  access: 'signed-in',
  query: z.object({ retired: z.enum(['true', 'false']).default('false') }),
  status: 200,
  response: z.object({ contracts: z.array(contractSchema) }),
});
export const listSlaPolicies = defineContract({
  method: 'GET',
  path: '/api/sla-policies',
  summary: 'SLA policies contracts pick from',
  access: 'signed-in',
  status: 200,
  response: z.object({ policies: z.array(slaPolicyViewSchema) }),
});
export const putContract = defineContract({
  method: 'PUT',
  path: '/api/contracts/:id',
  summary: 'Create or replace a contract',
  access: ['admin'],
  params: idParams,
  body: contractBodySchema,
  status: 200,
  response: z.object({ contract: contractSchema.optional() }),
});
export const putSlaPolicy = defineContract({
  method: 'PUT',
  path: '/api/sla-policies/:id',
  summary: 'Create or replace an SLA policy (the id comes from the path)',
  access: ['admin'],
  params: z.object({ id: slaPolicySchema.shape.id }),
  // An id in the body is ignored: the path names the policy.
  body: slaPolicySchema.omit({ id: true }).extend({ id: z.unknown().optional() }),
  status: 200,
  response: z.object({ policy: slaPolicyViewSchema.optional() }),
});
export const putSiteThresholds = defineContract({
  method: 'PUT',
  path: '/api/assets/sites/:site/thresholds',
  summary: "Change some of a site's alarm thresholds",
  access: ['admin'],
  params: siteParams,
  body: thresholdsPatchSchema,
  status: 200,
  response: z.object({ thresholds: siteThresholdsSchema }),
});
export const putAssetStation = defineContract({
  method: 'PUT',
  path: '/api/assets/stations/:site/:station',
  summary: 'Register or change a station',
  access: ['admin'],
  params: stationParams,
  body: stationBodySchema,
  status: 200,
  response: z.object({ station: stationRow.extend({ pumps: z.array(pumpRow) }).optional() }),
});
export const putAssetPump = defineContract({
  method: 'PUT',
  path: '/api/assets/stations/:site/:station/pumps/:pump',
  summary: 'Register or change a pump of a station',
  access: ['admin'],
  params: stationParams.extend({ pump: z.coerce.number().pipe(pumpNumber) }),
  body: pumpBodySchema,
  status: 200,
  response: z.object({ pump: pumpRow.optional() }),
});
export const retireAssetStation = defineContract({
  method: 'DELETE',
  path: '/api/assets/stations/:site/:station',
  summary: 'Retire a station and its pumps (they leave the lists; tickets and history keep them)',
  access: ['admin'],
  params: stationParams,
  status: 204,
});
export const reliabilityReport = defineContract({
  method: 'GET',
  path: '/api/reports/reliability',
  summary: 'MTBF and MTTR by station, pump model or failure mode',
  access: 'signed-in',
  query: reliabilityQuerySchema,
  status: 200,
  response: z.object({
    by: z.enum(RELIABILITY_GROUPINGS),
    from: z.number(),
    to: z.number(),
    rows: z.array(reliabilityRowSchema),
  }),
});
export const serviceStats = defineContract({
  method: 'GET',
  path: '/api/service/stats',
  summary: "The alarm and ticket engine's counters",
  access: 'signed-in',
  status: 200,
  response: serviceStatsSchema,
});
