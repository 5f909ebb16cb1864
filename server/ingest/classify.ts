import type { z } from 'zod';
import {
  type EdgeStatus,
  edgeStatusSchema,
  type StationEvent,
  stationEventSchema,
  type Telemetry,
  telemetrySchema,
} from '../../core/telemetry/payloads.ts';
import { parseTopic } from '../../core/telemetry/topics.ts';
import { fastTelemetry } from './telemetry-fast-check.ts';

export const BAD_PAYLOAD_REASONS = [
  'unknown_topic',
  'too_large',
  'invalid_json',
  'schema',
  'topic_mismatch',
  // Judged after classifying, by the station hub against the server's clock.
  'future_timestamp',
  // Judged after classifying, against the stations table (station-registry.ts).
  'unknown_station',
  'foreign_station',
  // A sequence number the station's edge already sent with another timestamp (seq-window.ts).
  'duplicate',
  // More values in one message than the server's limit (field-budget.ts).
  'too_many_fields',
] as const;
export type BadPayloadReason = (typeof BAD_PAYLOAD_REASONS)[number];

export type Classified =
  | { kind: 'telemetry'; message: Telemetry }
  | { kind: 'events'; message: StationEvent }
  | { kind: 'edgeStatus'; message: EdgeStatus }
  /** An empty retained payload: the edge's status was cleared from the broker. */
  | { kind: 'edgeStatusCleared'; site: string; edgeId: string }
  | { kind: 'bad'; reason: BadPayloadReason; detail: string };

/** Largest payload accepted (512 values of ~100 bytes fit well within it). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Parses and validates one MQTT message against the topic tree and the shared payload schemas. */
export function classifyMessage(
  topic: string,
  payload: Uint8Array,
  maxBytes = MAX_PAYLOAD_BYTES,
): Classified {
  const parsed = parseTopic(topic);
  if (!parsed)
    return bad(
      'unknown_topic',
      `topic is not one of ${'aftercare/v1/{site}/{station}/telemetry|events'} or .../edge/{id}/status`,
    );
  if (payload.byteLength > maxBytes)
    return bad('too_large', `${payload.byteLength} bytes, more than ${maxBytes}`);
  if (parsed.kind === 'edgeStatus' && payload.byteLength === 0) {
    return { kind: 'edgeStatusCleared', site: parsed.site, edgeId: parsed.edgeId };
  }
  let json: unknown;
  try {
    json = JSON.parse(utf8(payload));
  } catch (error) {
    return bad('invalid_json', (error as Error).message);
  }
  switch (parsed.kind) {
    case 'telemetry': {
      let message = fastTelemetry(json);
      if (!message) {
        const result = telemetrySchema.safeParse(json);
        if (!result.success) return bad('schema', describeIssues(result.error));
        message = result.data;
      }
      const mismatch = stationTopicMismatch(message, parsed);
      if (mismatch) return mismatch;
      return { kind: 'telemetry', message };
    }
    case 'events': {
      const result = stationEventSchema.safeParse(json);
      if (!result.success) return bad('schema', describeIssues(result.error));
      const message = result.data;
      const mismatch = stationTopicMismatch(message, parsed);
      if (mismatch) return mismatch;
      return { kind: 'events', message };
    }
    case 'edgeStatus': {
      const result = edgeStatusSchema.safeParse(json);
      if (!result.success) return bad('schema', describeIssues(result.error));
      const message = result.data;
      if (message.site !== parsed.site || message.edge !== parsed.edgeId) {
        return bad(
          'topic_mismatch',
          `payload says ${message.site}/edge/${message.edge}, topic ${parsed.site}/edge/${parsed.edgeId}`,
        );
      }
      return { kind: 'edgeStatus', message };
    }
  }
}

/** The payload as text, without copying it first (mqtt.js hands over a Buffer already). */
function utf8(payload: Uint8Array): string {
  const bytes = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return bytes.toString('utf8');
}

/** Telemetry and events name their station twice, in the topic and the payload: they must agree. */
function stationTopicMismatch(
  message: { site: string; station: string },
  topic: { site: string; station: string },
): Classified | undefined {
  if (message.site === topic.site && message.station === topic.station) return undefined;
  return bad(
    'topic_mismatch',
    `payload says ${message.site}/${message.station}, topic ${topic.site}/${topic.station}`,
  );
}

function bad(reason: BadPayloadReason, detail: string): Classified {
  return { kind: 'bad', reason, detail };
}

/** The first few issues as `path: message`, short enough for one log line. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const described = error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return described.join('; ') + more;
}
