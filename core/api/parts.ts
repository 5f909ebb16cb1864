import { z } from 'zod';
import { CHARGE_REASONS } from '../service-record/charges.ts';
import { ROOT_CAUSE_CODES } from '../tickets/root-causes.ts';
import { idSchema, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';

/**
 * Parts and charges (issue 19): the parts catalogue (国标件, bought locally), stock per depot, and the
 * quote a technician issues before the work, which the customer confirms in writing (书面形式确认).
 */

/** A part's code: letters, digits, `.`, `_` or `-` (the maker's part number). */
export const partCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'is not 1-64 letters, digits, . _ or -');
const quantity = z.number().int().min(1).max(10_000);
const cents = z.number().int().min(0).max(1_000_000_000);

export const partBodySchema = z
  .object({
    nameZh: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200),
    /** Cost price in cents (分): outside warranty the customer pays parts at cost (成本价). */
    unitCostCents: cents,
    /** The part's own warranty from its fitting, in months; 0: none beyond the equipment's. */
    warrantyMonths: z.number().int().min(0).max(600).default(0),
  })
  .strict();

export const partSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  unitCostCents: z.number(),
  warrantyMonths: z.number(),
  /** Stock per depot id. */
  stock: z.record(z.string(), z.number()),
});

export const depotBodySchema = z.object({ name: z.string().trim().min(1).max(200) }).strict();
export const depotSchema = z.object({ id: z.string(), name: z.string() });

export const stockBodySchema = z
  .object({ part: partCodeSchema, quantity: z.number().int().min(0).max(1_000_000) })
  .strict();

export const chargeLineSchema = z.object({
  part: z.string(),
  quantity: z.number(),
  unitCostCents: z.number(),
  amountCents: z.number(),
  charged: z.boolean(),
  reason: z.enum(CHARGE_REASONS),
});

export const chargeSchema = z.object({
  lines: z.array(chargeLineSchema),
  totalCents: z.number(),
  inWarranty: z.boolean().nullable(),
  equipmentWarrantyEnd: z.string().nullable(),
  rootCause: z.string(),
});

export const QUOTE_CONFIRMATIONS = ['portal', 'paper'] as const;

export const quoteSchema = z.object({
  ticketId: z.number(),
  charge: chargeSchema,
  createdAt: z.number(),
  createdBy: z.string(),
  /** How the customer confirmed the fee in writing: in the portal, or on the technician's paper form. */
  confirmation: z.enum(QUOTE_CONFIRMATIONS).nullable(),
  confirmedAt: z.number().nullable(),
  confirmedBy: z.string().nullable(),
  signerName: z.string().nullable(),
});

export const quoteBodySchema = z
  .object({
    rootCause: z.enum(ROOT_CAUSE_CODES),
    parts: z
      .array(z.object({ part: partCodeSchema, quantity }).strict())
      .max(50)
      .default([]),
  })
  .strict();

/** Who confirms: the name of the customer's responsible person. */
export const quoteConfirmBodySchema = z.object({ signerName: z.string().trim().min(1).max(200) }).strict();

const partParams = z.object({ code: partCodeSchema });
const quoteAnswer = z.object({ quote: quoteSchema });

export const listParts = defineContract({
  method: 'GET',
  path: '/api/parts',
  summary: 'The parts catalogue with the stock in each depot',
  access: ['service', 'engineer', 'admin'],
  status: 200,
  response: z.object({ parts: z.array(partSchema), depots: z.array(depotSchema) }),
});

export const putPart = defineContract({
  method: 'PUT',
  path: '/api/parts/:code',
  summary: 'Add or change a part of the catalogue',
  access: ['admin'],
  params: partParams,
  body: partBodySchema,
  status: 200,
  response: z.object({ part: partSchema }),
});

export const putDepot = defineContract({
  method: 'PUT',
  path: '/api/depots/:id',
  summary: 'Add or rename a depot (a named place holding parts)',
  access: ['admin'],
  params: z.object({ id: idSchema }),
  body: depotBodySchema,
  status: 200,
  response: z.object({ depot: depotSchema }),
});

export const putStock = defineContract({
  method: 'PUT',
  path: '/api/depots/:id/stock',
  summary: "Set a part's stock in a depot (after a count or a delivery)",
  access: ['admin'],
  params: z.object({ id: idSchema }),
  body: stockBodySchema,
  status: 200,
  response: z.object({ part: partSchema }),
});

export const getQuote = defineContract({
  method: 'GET',
  path: '/api/tickets/:id/quote',
  summary: "The ticket's quote (parts, charge and why), or null before one is issued",
  access: ['operator', 'service', 'engineer', 'admin', 'customer'],
  params: rowIdParams,
  status: 200,
  response: z.object({
    quote: quoteSchema.nullable(),
    /** The quoted parts' names by code, for a reader (a customer) who cannot read the catalogue. */
    partNames: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
  }),
});

export const issueQuote = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/quote',
  summary: 'Issue the quote before the work: each line free or charged, with its reason',
  access: ['service', 'admin'],
  params: rowIdParams,
  body: quoteBodySchema,
  status: 201,
  response: quoteAnswer,
});

export const confirmQuoteInPortal = defineContract({
  method: 'POST',
  path: '/api/portal/tickets/:id/quote/confirm',
  summary: "The customer's written fee confirmation in the portal (who and when are recorded)",
  access: ['customer', 'admin'],
  params: rowIdParams,
  body: quoteConfirmBodySchema,
  status: 200,
  response: quoteAnswer,
});

export const confirmQuoteOnPaper = defineContract({
  method: 'POST',
  path: '/api/tickets/:id/quote/paper-confirmation',
  summary: 'Record the fee confirmation the customer signed on paper on site',
  access: ['service', 'admin'],
  params: rowIdParams,
  body: quoteConfirmBodySchema,
  status: 200,
  response: quoteAnswer,
});
