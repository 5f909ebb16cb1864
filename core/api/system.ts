import { z } from 'zod';
import { edgeSpoolSchema, STATION_STATES } from '../telemetry/payloads.ts';
import { defineContract } from './contract.ts';

/** The server's own state: health, counters, Prometheus metrics and this API's description. */

/** An edge's retained status payload and when the server received it. */
export const edgeStateSchema = z.object({
  site: z.string(),
  edge: z.string(),
  online: z.boolean(),
  ts: z.number(),
  stations: z.record(z.string(), z.enum(STATION_STATES)),
  receivedAt: z.number(),
  /** Set while the edge's clock runs ahead: its messages dated further ahead than allowed are quarantined. */
  clockAheadMs: z.number().optional(),
  /** The edge's spool (issue 17): ok, or full / read_only / unavailable while readings go out live without it. */
  spool: edgeSpoolSchema.optional(),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  broker: z.object({ url: z.string(), connected: z.boolean() }),
  store: z.object({
    kind: z.enum(['influxdb', 'pglite']),
    ok: z.boolean(),
    version: z.string().optional(),
    writePath: z.string().optional(),
    queued: z.number(),
    lastError: z.string().optional(),
  }),
  edges: z.array(edgeStateSchema),
});

export const counterSchema = z.object({
  name: z.string(),
  help: z.string(),
  values: z.array(
    z.object({ labels: z.record(z.string(), z.union([z.string(), z.number()])), value: z.number() }),
  ),
});

export const systemSchema = z.object({
  at: z.number(),
  counters: z.array(counterSchema),
  broker: z.record(z.string(), z.unknown()).nullable().describe("The embedded broker's counters (the demo)"),
  edge: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The embedded edge agent's counters (the demo)"),
});

export const openApiDocumentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const health = defineContract({
  method: 'GET',
  path: '/api/health',
  summary: 'Broker connection, telemetry store and each edge state (from its retained status topic)',
  access: 'open',
  status: 200,
  response: healthSchema,
});
export const system = defineContract({
  method: 'GET',
  path: '/api/system',
  summary: "The server's own counters as JSON, with the broker's and edge's when known",
  access: 'signed-in',
  status: 200,
  response: systemSchema,
});
export const openApi = defineContract({
  method: 'GET',
  path: '/api/openapi.json',
  summary: 'This document',
  access: 'signed-in',
  status: 200,
  response: openApiDocumentSchema,
});
export const metrics = defineContract({
  method: 'GET',
  path: '/metrics',
  summary: 'Prometheus metrics (text exposition format); a static scrape token is accepted too',
  access: ['engineer', 'admin'],
  status: 200,
  response: z.string(),
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
});
