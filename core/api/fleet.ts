import { z } from 'zod';
import { daySchema, idParams, idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/**
 * Master data of a real fleet, created from an empty database: customers and their contacts, sites,
 * contracts with warranty terms, and the bulk import and export of all of them (stations and pumps
 * keep their routes under /api/assets/stations). Retiring keeps a row (tickets and history refer to
 * it) but takes it out of lists, imports and new tickets.
 */

/** A mainland mobile or landline, or an international number: digits with + - ( ) and spaces. */
const phoneSchema = z
  .string()
  .max(32)
  .regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'is not a phone number (digits, + - ( ) and spaces)');
/** WeChat ids: 6-20 letters, digits, _ or -, starting with a letter. */
const wechatSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{5,19}$/,
    'is not a WeChat id (6-20 letters, digits, _ or -, starting with a letter)',
  );

export const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** What the person does for the customer: 物业经理, 值班电工. */
    role: z.string().max(100).optional(),
    phone: phoneSchema.optional(),
    email: z.email().max(200).optional(),
    wechat: wechatSchema.optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactSchema>;

export const customerBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    address: z.string().max(500).default(''),
    phone: z.union([phoneSchema, z.literal('')]).default(''),
    contacts: z.array(contactSchema).max(20).default([]),
  })
  .strict();
export const newCustomerBodySchema = customerBodySchema.extend({ id: idSchema }).strict();

export const customerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  contacts: z.array(contactSchema),
  retiredAt: z.number().nullable(),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

/** An IANA time zone the runtime knows (`Asia/Shanghai`). */
export const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return /\//.test(zone) || zone === 'UTC';
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone such as Asia/Shanghai' },
);

export const siteBodySchema = z
  .object({
    customerId: idSchema,
    name: z.string().trim().min(1).max(200),
    address: z.string().max(500).default(''),
    timeZone: timeZoneSchema.default('Asia/Shanghai'),
    latitude: z.number().min(-90).max(90).nullable().default(null),
    longitude: z.number().min(-180).max(180).nullable().default(null),
  })
  .strict();
export const newSiteBodySchema = siteBodySchema.extend({ id: idSchema }).strict();

export const siteViewSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string(),
  address: z.string(),
  timeZone: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  retiredAt: z.number().nullable(),
});
export type SiteView = z.infer<typeof siteViewSchema>;

/**
 * Warranty terms as the source documents write them: the whole equipment for N years from
 * acceptance, some parts for their own months, the control software for life.
 */
export const warrantyTermsSchema = z
  .object({
    equipmentYears: z.number().int().min(0).max(30).default(1),
    parts: z
      .array(
        z
          .object({ part: z.string().trim().min(1).max(100), months: z.number().int().min(1).max(360) })
          .strict(),
      )
      .max(50)
      .default([]),
    softwareLifetime: z.boolean().default(false),
  })
  .strict();
export type WarrantyTermsInput = z.input<typeof warrantyTermsSchema>;

export const contractInputSchema = z
  .object({
    customerId: idSchema,
    name: z.string().trim().min(1).max(200),
    slaPolicyId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'is not an SLA policy id'),
    startsOn: daySchema,
    endsOn: daySchema.nullable().default(null),
    warranty: warrantyTermsSchema.default({ equipmentYears: 1, parts: [], softwareLifetime: false }),
    /** Free text beside the structured terms (clauses, exclusions). */
    warrantyTerms: z.string().max(2000).default(''),
  })
  .strict()
  .refine((c) => c.endsOn === null || c.endsOn >= c.startsOn, {
    path: ['endsOn'],
    message: 'ends before it starts',
  });
export const newContractBodySchema = z.object({ id: idSchema }).and(contractInputSchema);

/** The warranty terms as stored: every field filled in (rows from before migration 6 get the defaults). */
export const warrantyViewSchema = z.object({
  equipmentYears: z.number(),
  parts: z.array(z.object({ part: z.string(), months: z.number() })),
  softwareLifetime: z.boolean(),
});

export const contractViewSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string(),
  slaPolicyId: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  warranty: warrantyViewSchema,
  warrantyTerms: z.string(),
  retiredAt: z.number().nullable(),
});
export type ContractView = z.infer<typeof contractViewSchema>;

/** How an edge reaches a station's controller: Modbus TCP, or a unit on an RTU line. */
export const stationEndpointSchema = z.union([
  z
    .object({
      tcp: z
        .object({
          host: z
            .string()
            .min(1)
            .max(253)
            .regex(/^[A-Za-z0-9.:_-]+$/, 'is not a host name or address'),
          port: z.number().int().min(1).max(65_535).default(502),
          unitId: z.number().int().min(0).max(255).default(1),
          /** Requests on the wire at once (the edge's tcp.maxConcurrentRequests); the edge's default when absent. */
          maxConcurrentRequests: z.number().int().min(1).max(16).optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      rtu: z
        .object({
          path: z.string().min(1).max(200),
          baudRate: z.union([
            z.literal(2400),
            z.literal(4800),
            z.literal(9600),
            z.literal(19_200),
            z.literal(38_400),
            z.literal(57_600),
            z.literal(115_200),
          ]),
          parity: z.enum(['none', 'even', 'odd']).default('none'),
          dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
          stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
          unitId: z.number().int().min(1).max(247),
        })
        .strict(),
    })
    .strict(),
]);
export type StationEndpointInput = z.input<typeof stationEndpointSchema>;

/** A profile's name: its file under the profiles directory without `.yaml`. */
export const profileNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'is not a profile name');

export const RETIRE_KINDS = ['customer', 'site', 'contract'] as const;

export const listFleetCustomers = defineContract({
  method: 'GET',
  path: '/api/customers',
  summary: 'Customers with their contacts (retired ones with ?retired=true)',
  access: 'signed-in',
  query: z.object({ retired: z.enum(['true', 'false']).default('false') }).strict(),
  status: 200,
  response: z.object({ customers: z.array(customerViewSchema) }),
});
export const createCustomer = defineContract({
  method: 'POST',
  path: '/api/customers',
  summary: 'Create a customer (409 when the id is taken)',
  access: ['admin'],
  body: newCustomerBodySchema,
  status: 201,
  response: z.object({ customer: customerViewSchema }),
});
export const updateCustomer = defineContract({
  method: 'PUT',
  path: '/api/customers/:id',
  summary: "Change a customer's name, address, phone and contacts",
  access: ['admin'],
  params: idParams,
  body: customerBodySchema,
  status: 200,
  response: z.object({ customer: customerViewSchema }),
});
export const retireCustomer = defineContract({
  method: 'DELETE',
  path: '/api/customers/:id',
  summary: 'Retire a customer (409 while it has sites or contracts that are not retired)',
  access: ['admin'],
  params: idParams,
  status: 204,
});

export const listFleetSites = defineContract({
  method: 'GET',
  path: '/api/sites',
  summary: 'Sites with customer, address, time zone and location',
  access: 'signed-in',
  query: z
    .object({ customer: idSchema.optional(), retired: z.enum(['true', 'false']).default('false') })
    .strict(),
  status: 200,
  response: z.object({ sites: z.array(siteViewSchema) }),
});
export const createSite = defineContract({
  method: 'POST',
  path: '/api/sites',
  summary: 'Create a site of a customer',
  access: ['admin'],
  body: newSiteBodySchema,
  status: 201,
  response: z.object({ site: siteViewSchema }),
});
export const updateSite = defineContract({
  method: 'PUT',
  path: '/api/sites/:id',
  summary: 'Change a site',
  access: ['admin'],
  params: idParams,
  body: siteBodySchema,
  status: 200,
  response: z.object({ site: siteViewSchema }),
});
export const retireSite = defineContract({
  method: 'DELETE',
  path: '/api/sites/:id',
  summary: 'Retire a site (409 while it has stations or edges that are not retired)',
  access: ['admin'],
  params: idParams,
  status: 204,
});

export const createContract = defineContract({
  method: 'POST',
  path: '/api/contracts',
  summary: 'Create a contract with its SLA policy and warranty terms',
  access: ['admin'],
  body: newContractBodySchema,
  status: 201,
  response: z.object({ contract: contractViewSchema }),
});
export const retireContract = defineContract({
  method: 'DELETE',
  path: '/api/contracts/:id',
  summary: 'Retire a contract (409 while stations that are not retired name it)',
  access: ['admin'],
  params: idParams,
  status: 204,
});

/** Where an import's mistake is: the file, its row (1-based, CSV) or line (YAML), and the field. */
export const importIssueSchema = z.object({
  file: z.string(),
  row: z.number().int().nullable(),
  field: z.string(),
  message: z.string(),
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const FLEET_FORMATS = ['yaml', 'csv'] as const;
/** What a CSV file holds (one kind a file); a YAML file has a section of each. */
export const FLEET_FILE_KINDS = ['customers', 'sites', 'contracts', 'stations'] as const;

export const fleetImportBodySchema = z
  .object({
    /** The file's name as the user knows it, for the errors. */
    file: z.string().min(1).max(255),
    format: z.enum(FLEET_FORMATS),
    /** The file's text (UTF-8; a BOM is ignored). */
    text: z.string().max(8 * 1024 * 1024),
    /** What a CSV file holds; without it the header tells (core/fleet/fleet-csv.ts). Ignored for YAML. */
    kind: z.enum(FLEET_FILE_KINDS).optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();

export const fleetImportResultSchema = z.object({
  /** False on a dry run and whenever there was any issue: the import is all or nothing. */
  applied: z.boolean(),
  dryRun: z.boolean(),
  /** Rows that would be or were created and changed, per kind. */
  created: z.record(z.string(), z.number()),
  updated: z.record(z.string(), z.number()),
  issues: z.array(importIssueSchema),
});
export type FleetImportResult = z.infer<typeof fleetImportResultSchema>;

export const importFleet = defineContract({
  method: 'POST',
  path: '/api/fleet/import',
  summary:
    'Import customers, sites, contracts, stations and pumps from YAML or CSV: all or nothing, or a dry run',
  access: ['admin'],
  body: fleetImportBodySchema,
  status: 200,
  response: fleetImportResultSchema,
});
export const exportFleet = defineContract({
  method: 'GET',
  path: '/api/fleet/export',
  summary: 'The whole fleet as a file that import takes back (YAML, or CSV of one kind)',
  access: ['admin'],
  query: z
    .object({
      format: z.enum(FLEET_FORMATS).default('yaml'),
      /** CSV: which kind (default stations); YAML: only that section (default all). */
      kind: z.enum(FLEET_FILE_KINDS).optional(),
    })
    .strict(),
  status: 200,
  response: z.string(),
  contentType: 'text/plain; charset=utf-8',
});
