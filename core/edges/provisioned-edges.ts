import { z } from 'zod';
import { idSchema } from '../ids.ts';

/**
 * The provisioned-edges file: what the server hands the broker about the edges an admin created.
 * The server writes it (atomically, on every change and at start) from its database; the broker
 * watches it and reloads, so a new, revoked or rotated edge takes effect without a restart. Only
 * active edges are in it: an edge that is revoked or retired is absent, and so refused.
 */
export const PROVISIONED_EDGES_VERSION = 1;

export const provisionedEdgeSchema = z
  .object({
    edgeId: idSchema,
    site: idSchema,
    /** The MQTT user name: `edge-{edgeId}` (see edgeUsername). */
    username: z.string().min(1).max(128),
    /** scrypt hash of the password handed out once (core/secrets.ts); never the password. */
    passwordHash: z.string().startsWith('scrypt$'),
    /** Bumped by every rotation: a connected client of an older version is disconnected. */
    credentialVersion: z.number().int().min(0),
    /** The stations whose topics this edge may publish and whose commands it may subscribe to. */
    stations: z.array(idSchema).max(1000),
  })
  .strict();
export type ProvisionedEdge = z.infer<typeof provisionedEdgeSchema>;

export const provisionedEdgesFileSchema = z
  .object({
    v: z.literal(PROVISIONED_EDGES_VERSION),
    edges: z.array(provisionedEdgeSchema),
  })
  .strict();
export type ProvisionedEdgesFile = z.infer<typeof provisionedEdgesFileSchema>;

/** The MQTT user name of a provisioned edge. */
export function edgeUsername(edgeId: string): string {
  return `edge-${edgeId}`;
}

/** File text with a stable order, so an unchanged fleet writes byte-identical files. */
export function provisionedEdgesText(edges: readonly ProvisionedEdge[]): string {
  const sorted = [...edges]
    .map((edge) => ({ ...edge, stations: [...edge.stations].sort() }))
    .sort((a, b) => a.edgeId.localeCompare(b.edgeId));
  const file: ProvisionedEdgesFile = { v: PROVISIONED_EDGES_VERSION, edges: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}
