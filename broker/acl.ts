import { isValidId, parseCommandTopic, TOPIC_ROOT } from '../core/telemetry/topics.ts';
import type { ClientIdentity } from './identity.ts';

/**
 * Topic ACL as pure functions over (identity, topic).
 *
 * | role      | publish                                      | subscribe                              |
 * |-----------|----------------------------------------------|----------------------------------------|
 * | edge      | only under `aftercare/v1/{own site}/`        | only under `aftercare/v1/{own site}/`  |
 * | provisioned edge | its stations' topics but their commands, and its own status | its stations' topics (commands) |
 * | server    | only `aftercare/v1/{site}/{station}/commands`| any filter except `$SYS/...`           |
 * | viewer    | nothing                                      | any filter except `$SYS/...`           |
 * | admin     | anything except `$SYS/...`                   | anything                               |
 * | anonymous | as admin (only when allowAnonymous is set)   | as admin                               |
 *
 * Remote commands (commandLinkRule, checked first): only the server publishes on
 * `{site}/{station}/commands`; edges answer on `{site}/{station}/command-results`, which the server
 * reads through its subscribe-anything rule.
 */
export type AclDecision = { allowed: true } | { allowed: false; reason: string };

export type AclSubject = Pick<ClientIdentity, 'role' | 'site' | 'edge'>;

const ALLOW: AclDecision = { allowed: true };
const deny = (reason: string): AclDecision => ({ allowed: false, reason });

/** Broker-internal topics ($SYS/...) are written by the broker only [MQTT-4.7.2-1]. */
const isReserved = (topic: string) => topic.startsWith('$');

function underOwnSite(subject: AclSubject, topic: string): boolean {
  return subject.site !== undefined && topic.startsWith(`${TOPIC_ROOT}/${subject.site}/`);
}

/** `aftercare/v1/{site}/{station}/commands`: the only thing the server may send down to a site. */
export function isCommandTopic(topic: string): boolean {
  const parts = topic.split('/');
  return (
    parts.length === 5 &&
    `${parts[0]}/${parts[1]}` === TOPIC_ROOT &&
    isValidId(parts[2]!) &&
    isValidId(parts[3]!) &&
    parts[4] === 'commands'
  );
}

/**
 * The command link's own rule: an edge never publishes a command (it could drive another edge's
 * station of the same site); its results topic falls through to the edge's site rule. Undefined:
 * this rule has nothing to say.
 */
export function commandLinkRule(subject: AclSubject, topic: string): AclDecision | undefined {
  if (subject.role !== 'edge') return undefined;
  return parseCommandTopic(topic)?.kind === 'commands'
    ? deny('only the server publishes commands')
    : undefined;
}

export function authorizePublishTopic(subject: AclSubject, topic: string): AclDecision {
  // MQTT 3.1.1 §1.5.3: ill-formed UTF-8 (decoded as U+FFFD) or U+0000 in a topic closes the connection.
  if (topic.includes('\uFFFD') || topic.includes('\u0000'))
    return deny('topic is not well-formed UTF-8 or holds U+0000');
  if (isReserved(topic)) return deny('topics starting with "$" are reserved for the broker');
  const commandLink = commandLinkRule(subject, topic);
  if (commandLink) return commandLink;
  switch (subject.role) {
    case 'edge':
      if (subject.edge) return provisionedEdgePublish(subject, subject.edge, topic);
      return underOwnSite(subject, topic)
        ? ALLOW
        : deny(`edge of site "${subject.site}" publishes only under its site`);
    case 'server':
      return isCommandTopic(topic)
        ? ALLOW
        : deny('server publishes only aftercare/v1/{site}/{station}/commands');
    case 'viewer':
      return deny('viewers only subscribe');
    case 'admin':
    case 'anonymous':
      return ALLOW;
  }
}

export function authorizeSubscribeFilter(subject: AclSubject, filter: string): AclDecision {
  switch (subject.role) {
    case 'edge':
      if (subject.edge) return provisionedEdgeSubscribe(subject, subject.edge, filter);
      // A filter that starts with the literal site prefix cannot match another site's topics.
      return underOwnSite(subject, filter)
        ? ALLOW
        : deny(`edge of site "${subject.site}" subscribes only under its site`);
    case 'server':
    case 'viewer':
      return isReserved(filter) ? deny('broker topics ($SYS/...) are for admins') : ALLOW;
    case 'admin':
    case 'anonymous':
      return ALLOW;
  }
}

type ProvisionedEdgeScope = NonNullable<ClientIdentity['edge']>;

/** The station a topic or filter is literally under (`aftercare/v1/{site}/{station}/...`) and the rest. */
function stationPart(
  subject: AclSubject,
  edge: ProvisionedEdgeScope,
  topic: string,
): { station: string; rest: string } | undefined {
  const prefix = `${TOPIC_ROOT}/${subject.site}/`;
  if (subject.site === undefined || !topic.startsWith(prefix)) return undefined;
  const [station = '', ...rest] = topic.slice(prefix.length).split('/');
  // "edge" is the edges' status subtree, never a station's.
  if (station === 'edge' || !edge.stations.has(station) || rest.length === 0) return undefined;
  return { station, rest: rest.join('/') };
}

/**
 * A provisioned edge publishes its own stations' topics (telemetry, events, command replies), never
 * their commands topic (the server's way down), and its own status topic (also its last will).
 */
function provisionedEdgePublish(subject: AclSubject, edge: ProvisionedEdgeScope, topic: string): AclDecision {
  if (topic === `${TOPIC_ROOT}/${subject.site}/edge/${edge.id}/status`) return ALLOW;
  const part = stationPart(subject, edge, topic);
  if (part && part.rest !== 'commands') return ALLOW;
  return deny(`edge "${edge.id}" publishes only its own stations' topics and its status`);
}

/** A provisioned edge subscribes only under its own stations (their commands) and its own edge subtree. */
function provisionedEdgeSubscribe(
  subject: AclSubject,
  edge: ProvisionedEdgeScope,
  filter: string,
): AclDecision {
  if (filter.startsWith(`${TOPIC_ROOT}/${subject.site}/edge/${edge.id}/`)) return ALLOW;
  if (stationPart(subject, edge, filter)) return ALLOW;
  return deny(`edge "${edge.id}" subscribes only under its own stations`);
}
