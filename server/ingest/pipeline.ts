import type { Logger } from '../../core/log.ts';
import type { EdgeStatus, StationEvent, Telemetry } from '../../core/telemetry/payloads.ts';
import type { ServerMetrics } from '../http/metrics.ts';
import { pointsFromTelemetry } from '../telemetry/point-mapping.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';
import { BadPayloadLog } from './bad-payload-log.ts';
import { classifyMessage } from './classify.ts';
import type { EdgeRegistry } from './edge-registry.ts';
import type { LatestValues, StationLatest } from './latest-values.ts';

export interface IngestSinks {
  store: TelemetryStore;
  latest: LatestValues;
  edges: EdgeRegistry;
  metrics: ServerMetrics;
  logger: Logger;
  /** Called after a station's latest values changed. */
  onStation?: (station: StationLatest) => void;
  onEvent?: (event: StationEvent) => void;
  /** Called with every valid telemetry message (the alarm engine listens here). */
  onTelemetry?: (telemetry: Telemetry, receivedAt: number) => void;
  onEdgeStatus?: (status: EdgeStatus, receivedAt: number) => void;
  clock?: () => number;
}

/**
 * Routes one MQTT message: validate, count, then update the latest values, queue the points and
 * tell the live stream. Never throws: a bad message is counted and logged, and the next one flows.
 */
export function createIngestPipeline(sinks: IngestSinks): (topic: string, payload: Uint8Array) => void {
  const clock = sinks.clock ?? Date.now;
  const { metrics, logger } = sinks;
  const badLog = new BadPayloadLog(logger, (reason) => metrics.badPayloads.inc({ reason }));
  const droppedLog = new BadPayloadLog(logger, (reason) => metrics.valuesDropped.inc({ reason }));

  return (topic, payload) => {
    const classified = classifyMessage(topic, payload);
    metrics.messagesIn.inc({
      kind: classified.kind === 'bad' && classified.reason === 'unknown_topic' ? 'unknown' : topicKind(topic),
    });
    switch (classified.kind) {
      case 'bad':
        badLog.record(topic, classified.reason, classified.detail);
        return;
      case 'edgeStatus': {
        const now = clock();
        sinks.edges.apply(classified.message, now);
        sinks.onEdgeStatus?.(classified.message, now);
        return;
      }
      case 'edgeStatusCleared':
        sinks.edges.clear(classified.site, classified.edgeId);
        return;
      case 'events':
        sinks.onEvent?.(classified.message);
        return;
      case 'telemetry': {
        const { points, rejected } = pointsFromTelemetry(classified.message);
        for (const { meaning, reason } of rejected) {
          // Counted per value; logged once per meaning and topic.
          droppedLog.record(`${topic} ${meaning}`, 'unknown_meaning', reason);
        }
        const now = clock();
        sinks.onStation?.(sinks.latest.apply(classified.message, now));
        sinks.onTelemetry?.(classified.message, now);
        if (points.length > 0) {
          sinks.store.write(points).catch((error: unknown) => {
            metrics.storeErrors.inc({ operation: 'write' });
            logger.error({ err: error, topic }, 'telemetry store refused points');
          });
        }
        return;
      }
    }
  };
}

function topicKind(topic: string): string {
  if (topic.endsWith('/telemetry')) return 'telemetry';
  if (topic.endsWith('/events')) return 'events';
  return 'edgeStatus';
}
