import { z } from 'zod';
import { idParams, idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/**
 * Edge gateways: an admin creates one for a site and gets, once, its broker credentials and a
 * generated edge config; the broker lets it publish only its own stations' topics. Revoke stops it
 * at once, rotate hands out a new password (the old one stops working at once), retire takes it out
 * of the lists for good. Every signed-in user reads the edges of the sites it may see.
 */

export const EDGE_STATES = ['online', 'offline', 'revoked', 'never_connected'] as const;
export type EdgeState = (typeof EDGE_STATES)[number];

export const edgeViewSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  /** Its MQTT user name (`edge-{id}`). */
  username: z.string(),
  /** Stations it serves (stations.edge_id), sorted. */
  stations: z.array(z.string()),
  state: z.enum(EDGE_STATES),
  /** When the server last heard from it (its status or its stations' telemetry), ms; null: never. */
  lastSeenAt: z.number().nullable(),
  /** The software version it reported in its status; null before it reported one. */
  version: z.string().nullable(),
  createdAt: z.number(),
  /** How many times its password was handed out (1 after creation, +1 per rotation). */
  credentialVersion: z.number(),
  revokedAt: z.number().nullable(),
  retiredAt: z.number().nullable(),
});
export type EdgeView = z.infer<typeof edgeViewSchema>;

/** The generated edge config: the file's text, and how to hand the password to the edge. */
export const edgeConfigFileSchema = z.object({
  /** Suggested file name: `edge-{id}.yaml`. */
  fileName: z.string(),
  /** YAML that `aftercare edge --config` takes as it is. */
  text: z.string(),
  /** Stations left out of the file, and why (no profile or no endpoint yet). */
  skipped: z.array(z.object({ station: z.string(), reason: z.enum(['no_profile', 'no_endpoint']) })),
  /** False while no station can be written: the edge config needs at least one. */
  ready: z.boolean(),
});
export type GeneratedEdgeConfig = z.infer<typeof edgeConfigFileSchema>;

/** Shown once: at creation and at each rotation. The server keeps only the password's hash. */
export const edgeCredentialsSchema = z.object({
  username: z.string(),
  password: z.string(),
  /** How to start the edge with the password outside the file (`MQTT_PASSWORD=... aftercare edge ...`). */
  env: z.record(z.string(), z.string()),
});

export const edgeSecretAnswerSchema = z.object({
  edge: edgeViewSchema,
  credentials: edgeCredentialsSchema,
  config: edgeConfigFileSchema,
});
export type EdgeSecretAnswer = z.infer<typeof edgeSecretAnswerSchema>;

const nameSchema = z.string().trim().max(200);
const stationListSchema = z.array(idSchema).max(500);

export const newEdgeBodySchema = z
  .object({
    id: idSchema,
    siteId: idSchema,
    name: nameSchema.default(''),
    /** Stations of the site to serve from the start (each may have at most one edge). */
    stations: stationListSchema.default([]),
  })
  .strict();

export const listEdges = defineContract({
  method: 'GET',
  path: '/api/edges',
  summary: 'Edges with state, last seen and version (the sites the user may see; retired with ?retired=true)',
  access: 'signed-in',
  query: z
    .object({ site: idSchema.optional(), retired: z.enum(['true', 'false']).default('false') })
    .strict(),
  status: 200,
  response: z.object({ edges: z.array(edgeViewSchema) }),
});
export const getEdge = defineContract({
  method: 'GET',
  path: '/api/edges/:id',
  summary: 'One edge with its stations, state, last seen and version',
  access: 'signed-in',
  params: idParams,
  status: 200,
  response: z.object({ edge: edgeViewSchema }),
});
export const createEdge = defineContract({
  method: 'POST',
  path: '/api/edges',
  summary: 'Create an edge for a site: answers, once, its broker password and its generated config',
  access: ['admin'],
  body: newEdgeBodySchema,
  status: 201,
  response: edgeSecretAnswerSchema,
});
export const renameEdge = defineContract({
  method: 'PUT',
  path: '/api/edges/:id',
  summary: 'Rename an edge',
  access: ['admin'],
  params: idParams,
  body: z.object({ name: nameSchema }).strict(),
  status: 200,
  response: z.object({ edge: edgeViewSchema }),
});
export const assignEdgeStations = defineContract({
  method: 'PUT',
  path: '/api/edges/:id/stations',
  summary: "Set the stations an edge serves (of its site); the broker's ACL follows at once",
  access: ['admin'],
  params: idParams,
  body: z.object({ stations: stationListSchema }).strict(),
  status: 200,
  response: z.object({ edge: edgeViewSchema }),
});
export const edgeConfig = defineContract({
  method: 'GET',
  path: '/api/edges/:id/config',
  summary: "The edge's generated config again (without its password)",
  access: ['admin'],
  params: idParams,
  status: 200,
  response: z.object({ config: edgeConfigFileSchema }),
});
export const revokeEdge = defineContract({
  method: 'POST',
  path: '/api/edges/:id/revoke',
  summary: 'Revoke an edge: the broker refuses it and drops its connection at once',
  access: ['admin'],
  params: idParams,
  status: 200,
  response: z.object({ edge: edgeViewSchema }),
});
export const rotateEdge = defineContract({
  method: 'POST',
  path: '/api/edges/:id/rotate',
  summary: 'A new password for an edge (also after a revoke); the old one stops working at once',
  access: ['admin'],
  params: idParams,
  status: 200,
  response: edgeSecretAnswerSchema,
});
export const retireEdge = defineContract({
  method: 'DELETE',
  path: '/api/edges/:id',
  summary: 'Retire an edge: its credentials stop working and its stations are freed',
  access: ['admin'],
  params: idParams,
  status: 204,
});
