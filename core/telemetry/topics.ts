import { isId } from '../ids.ts';

/** MQTT topics (DESIGN.md): the only place topic strings are built or parsed. */
export const TOPIC_ROOT = 'aftercare/v1';

/** Site, station and edge ids become topic segments: no wildcards, separators or empties. */
export function isValidId(id: string): boolean {
  return isId(id);
}

export const topics = {
  telemetry: (site: string, station: string) => `${TOPIC_ROOT}/${site}/${station}/telemetry`,
  events: (site: string, station: string) => `${TOPIC_ROOT}/${site}/${station}/events`,
  edgeStatus: (site: string, edgeId: string) => `${TOPIC_ROOT}/${site}/edge/${edgeId}/status`,
  /** Remote commands down to a station's edge (server publishes), and the edge's answers (edge publishes). */
  commands: (site: string, station: string) => `${TOPIC_ROOT}/${site}/${station}/commands`,
  commandResults: (site: string, station: string) => `${TOPIC_ROOT}/${site}/${station}/command-results`,
  /** Subscription filters for the server. */
  allTelemetry: `${TOPIC_ROOT}/+/+/telemetry`,
  allEvents: `${TOPIC_ROOT}/+/+/events`,
  allEdgeStatus: `${TOPIC_ROOT}/+/edge/+/status`,
  allCommandResults: `${TOPIC_ROOT}/+/+/command-results`,
  /** Everything one site may publish (broker ACL for that site's edges). */
  siteTree: (site: string) => `${TOPIC_ROOT}/${site}/#`,
} as const;

export type ParsedTopic =
  | { kind: 'telemetry'; site: string; station: string }
  | { kind: 'events'; site: string; station: string }
  | { kind: 'edgeStatus'; site: string; edgeId: string };

export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length < 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const [, , site, a, b, c] = parts as [string, string, string, string, string, string | undefined];
  if (!isValidId(site)) return undefined;
  if (parts.length === 5 && isValidId(a)) {
    if (b === 'telemetry') return { kind: 'telemetry', site, station: a };
    if (b === 'events') return { kind: 'events', site, station: a };
  }
  if (parts.length === 6 && a === 'edge' && isValidId(b) && c === 'status')
    return { kind: 'edgeStatus', site, edgeId: b };
  return undefined;
}

/** `aftercare/v1/{site}/{station}/commands` or `.../command-results`: the remote command link. */
export function parseCommandTopic(
  topic: string,
): { kind: 'commands' | 'commandResults'; site: string; station: string } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const [, , site, station, leaf] = parts as [string, string, string, string, string];
  if (!isValidId(site) || !isValidId(station) || station === 'edge') return undefined;
  if (leaf === 'commands') return { kind: 'commands', site, station };
  if (leaf === 'command-results') return { kind: 'commandResults', site, station };
  return undefined;
}
