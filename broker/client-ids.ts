import type { ClientIdentity } from './identity.ts';
import type { ProvisionedEdges } from './provisioned-edges.ts';

/**
 * Which MQTT client ids a user may connect with. A client id names a session (its queued QoS 1
 * messages, subscriptions and last will) and MQTT hands the session to whoever connects with the
 * id next, so an id must belong to one user:
 *
 * | who                 | may use                                                            |
 * |---------------------|--------------------------------------------------------------------|
 * | provisioned edge    | `{edgeId}`, `{edgeId}-*`, `aftercare-edge-{edgeId}[-*]`, `{username}[-*]` |
 * | edge (users file)   | `{username}[-*]`, `aftercare-edge-*`                               |
 * | server              | `{username}[-*]`, `aftercare-server-*`                             |
 * | viewer              | `{username}[-*]`                                                   |
 * | admin, anonymous    | anything                                                           |
 *
 * `aftercare-server-` is reserved for servers and `aftercare-edge-` for edges, and an id a
 * provisioned edge owns (by the rules above; the longest matching edge id wins) is that edge's
 * alone. Ids aedes makes up for an empty CONNECT client id (`aedes_<uuid>`) are random and allowed.
 */
export type ClientIdDecision = { allowed: true } | { allowed: false; reason: string };

export const SERVER_ID_PREFIX = 'aftercare-server-';
export const EDGE_ID_PREFIX = 'aftercare-edge-';
const GENERATED_PREFIX = 'aedes_';

const ALLOW: ClientIdDecision = { allowed: true };

/** `id` is `base` or starts with `base-`. */
export function isOwnForm(id: string, base: string): boolean {
  return id === base || (id.startsWith(base) && id.charCodeAt(base.length) === 45) /* - */;
}

function edgeIdForms(id: string, edgeId: string): boolean {
  return isOwnForm(id, edgeId) || isOwnForm(id, `${EDGE_ID_PREFIX}${edgeId}`);
}

/** The provisioned edge (by edge id) owning a client id, if any: the longest matching edge id. */
export function provisionedOwner(id: string, provisioned: ProvisionedEdges): string | undefined {
  let owner: string | undefined;
  for (const edge of provisioned.values()) {
    const owns = edgeIdForms(id, edge.edgeId) || isOwnForm(id, edge.username);
    if (owns && (owner === undefined || edge.edgeId.length > owner.length)) owner = edge.edgeId;
  }
  return owner;
}

export function checkClientId(
  identity: Pick<ClientIdentity, 'role' | 'username' | 'edge'>,
  id: string,
  provisioned: ProvisionedEdges,
): ClientIdDecision {
  if (identity.role === 'admin' || identity.role === 'anonymous') return ALLOW;
  if (id.startsWith(GENERATED_PREFIX)) return ALLOW;
  const owner = provisionedOwner(id, provisioned);
  if (owner !== undefined && owner !== identity.edge?.id)
    return { allowed: false, reason: `client id belongs to provisioned edge "${owner}"` };
  if (identity.edge && owner === identity.edge.id) return ALLOW;
  const username = identity.username ?? '';
  const own = username !== '' && isOwnForm(id, username);
  if (id.startsWith(SERVER_ID_PREFIX))
    return identity.role === 'server' ? ALLOW : { allowed: false, reason: 'client id reserved for servers' };
  if (id.startsWith(EDGE_ID_PREFIX)) {
    if (identity.role !== 'edge') return { allowed: false, reason: 'client id reserved for edges' };
    // A provisioned edge uses only its own edge id's forms (checked above); a users-file edge any.
    return identity.edge ? refuseNotOwn(identity) : ALLOW;
  }
  return own ? ALLOW : refuseNotOwn(identity);
}

function refuseNotOwn(identity: Pick<ClientIdentity, 'role' | 'username' | 'edge'>): ClientIdDecision {
  const forms = identity.edge
    ? `"${identity.edge.id}", "${identity.edge.id}-…" or "${EDGE_ID_PREFIX}${identity.edge.id}"`
    : identity.role === 'server'
      ? `"${identity.username}-…" or "${SERVER_ID_PREFIX}…"`
      : identity.role === 'edge'
        ? `"${identity.username}-…" or "${EDGE_ID_PREFIX}…"`
        : `"${identity.username}" or "${identity.username}-…"`;
  return { allowed: false, reason: `a ${identity.role} connects only as ${forms}` };
}
