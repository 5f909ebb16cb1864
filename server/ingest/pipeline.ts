import type { Logger } from '../../core/log.ts';
import type { StationEvent } from '../../core/telemetry/payloads.ts';
import type { ServerMetrics } from '../http/metrics.ts';
import { InfluxWriteError } from '../telemetry/influx-direct-write.ts';
import { pointsFromTelemetry } from '../telemetry/point-mapping.ts';
import type { TelemetryPoint, TelemetryStore } from '../telemetry/telemetry-store.ts';
import { BadPayloadLog } from './bad-payload-log.ts';
import { classifyMessage } from './classify.ts';
import { DEFAULT_FIELD_LIMITS, FieldBudget, type FieldLimits } from './field-budget.ts';
import { createGroupCommit } from './group-commit.ts';
import type { StationLatest } from './latest-values.ts';
import { OutageLog } from './outage-log.ts';
import { SeqWindows } from './seq-window.ts';
import type { StationHub } from './station-hub.ts';
import type { StationJudgement, StationRegistry } from './station-registry.ts';

export interface IngestSinks {
  store: TelemetryStore;
  /** Holds and orders the stations' state; hands live messages and edge statuses to the rules and models. */
  hub: StationHub;
  metrics: ServerMetrics;
  logger: Logger;
  /** Only registered stations (of the message's site and edge) are accepted. Default: any. */
  stations?: StationRegistry;
  /** Called after a station's latest values changed. */
  onStation?: (station: StationLatest) => void;
  onEvent?: (event: StationEvent) => void;
  clock?: () => number;
  /** First wait before retrying a failed store write; it doubles up to maxRetryDelayMs. Default 250 ms. */
  retryDelayMs?: number;
  /** Values per message and new custom readings per station per hour. Default 512 and 100. */
  fieldLimits?: Partial<FieldLimits>;
  /** How long a durable write waits for other messages to share it, ms. Default DEFAULT_WRITE_LINGER_MS. */
  writeLingerMs?: number;
  /** Longest wait between store write retries. Default 5000 ms. */
  maxRetryDelayMs?: number;
  /**
   * Live messages the rules and models may be behind by before an acknowledgement also waits for
   * its message's evaluation. Default DEFAULT_MAX_EVALUATION_BACKLOG.
   */
  maxEvaluationBacklog?: number;
}

/**
 * Acknowledging waits for the durable write, not for the rules and models, unless they fall this
 * far behind: then the acknowledgement waits for the message's evaluation too, the subscriber's
 * window of unacknowledged messages fills, and the broker holds the rest (and the edges their
 * spools). Without it, at 2,000 stations on this machine the evaluations fell behind the writes and
 * their queues grew the server's heap to 700 MB in a minute.
 */
export const DEFAULT_MAX_EVALUATION_BACKLOG = 1000;

/**
 * Durable writes: at most 25,000 points a request (520 messages of the reference profile, about
 * 2,600 InfluxDB lines), up to 4 requests under way, as the bench's direct writer has. Every
 * PUBACK waits for its message's points either way; with one request at a time, messages that
 * arrived during a write waited for it to finish before theirs could start, a round trip added to
 * the edges' windows of unacknowledged messages (200 each by default).
 */
const MAX_POINTS_PER_WRITE = 25_000;
const MAX_CONCURRENT_WRITES = 4;
/**
 * How long a message may wait for others to share its write, unless told (`writeLingerMs`). At a 1 s
 * poll the stations' messages trickle in one by one, and each write request costs the server far more
 * than its points (an HTTP request, a body, a response); 50 ms delays the acknowledgement, never the
 * live stream.
 */
export const DEFAULT_WRITE_LINGER_MS = 50;

/** Handles one MQTT message; resolves when it may be acknowledged (its points are stored). */
export type IngestHandler = (topic: string, payload: Uint8Array, signal?: AbortSignal) => Promise<void>;

/**
 * Routes one MQTT message: validate, count, update the latest values and tell the live stream,
 * then write the points durably. A bad message is counted and logged and resolves at once (it is
 * acknowledged and dropped). A store that fails is retried with backoff until it takes the points
 * or `signal` aborts (then the promise rejects and the message stays unacknowledged): back-pressure
 * through the broker instead of dropping data.
 */
export function createIngestPipeline(sinks: IngestSinks): IngestHandler {
  const clock = sinks.clock ?? Date.now;
  const { metrics, logger } = sinks;
  const badLog = new BadPayloadLog(logger, (reason) => metrics.badPayloads.inc({ reason }));
  const droppedLog = new BadPayloadLog(logger, (reason) => metrics.valuesDropped.inc({ reason }));
  const retryDelayMs = sinks.retryDelayMs ?? 250;
  const maxRetryDelayMs = sinks.maxRetryDelayMs ?? 5000;
  const seqs = new SeqWindows();
  const fieldLimits: FieldLimits = { ...DEFAULT_FIELD_LIMITS, ...sinks.fieldLimits };
  const fieldBudget = new FieldBudget(fieldLimits);
  const outage = new OutageLog(logger, 'telemetry store', clock);
  const maxEvaluationBacklog = sinks.maxEvaluationBacklog ?? DEFAULT_MAX_EVALUATION_BACKLOG;
  let waiting = 0;
  const commit = createGroupCommit({
    write: (points) => sinks.store.writeDurable(points),
    maxPoints: MAX_POINTS_PER_WRITE,
    maxConcurrentWrites: MAX_CONCURRENT_WRITES,
    lingerMs: sinks.writeLingerMs ?? DEFAULT_WRITE_LINGER_MS,
  });

  const writeUntilStored = async (topic: string, points: TelemetryPoint[], signal?: AbortSignal) => {
    let blocked = false;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await commit(points);
          outage.succeeded();
          return;
        } catch (error) {
          if (error instanceof InfluxWriteError && !error.retriable) {
            // The store refuses the data itself (a 4xx): retrying cannot help, so count and go on.
            droppedLog.record(topic, 'store_rejected', error.message);
            return;
          }
          outage.failed(error, !blocked);
          if (!blocked) {
            blocked = true;
            metrics.ingestBlocked.set(++waiting);
          }
        }
        if (signal?.aborted) throw new Error('connection closed before the points were stored');
        await delay(Math.min(retryDelayMs * 2 ** Math.min(attempt, 16), maxRetryDelayMs), signal);
      }
    } finally {
      if (blocked) metrics.ingestBlocked.set(--waiting);
    }
  };

  // Checked synchronously per message (no promise made for a registered station).
  const unregistered = (site: string, station: string, edge: string) =>
    sinks.stations !== undefined && sinks.stations.judgeHeld(site, station, edge) !== 'registered';
  /** After a miss in the held maps: undefined when a fresh read finds the station; else the refusal, counted and logged. */
  const refusedStation = async (
    topic: string,
    site: string,
    station: string,
    edge: string,
  ): Promise<StationJudgement | undefined> => {
    const registry = sinks.stations;
    if (!registry) return undefined;
    const judgement = await registry.judge(site, station, edge);
    if (judgement === 'registered') return undefined;
    badLog.record(
      topic,
      judgement,
      judgement === 'unknown_station'
        ? `station "${station}" of site "${site}" is not registered`
        : `station "${station}" of site "${site}" is assigned to another edge than "${edge}"`,
    );
    return judgement;
  };

  return async (topic, payload, signal) => {
    const classified = classifyMessage(topic, payload);
    metrics.messagesIn.inc({
      kind: classified.kind === 'bad' && classified.reason === 'unknown_topic' ? 'unknown' : topicKind(topic),
    });
    switch (classified.kind) {
      case 'bad':
        badLog.record(topic, classified.reason, classified.detail);
        return;
      case 'edgeStatus': {
        const { site, edge, stations } = classified.message;
        for (const station in stations)
          if (unregistered(site, station, edge) && (await refusedStation(topic, site, station, edge))) return;
        // The consumers catch their own failures; acknowledging does not wait for their evaluations.
        void sinks.hub.edgeStatus(classified.message, clock());
        return;
      }
      case 'edgeStatusCleared':
        sinks.hub.edges.clear(classified.site, classified.edgeId);
        return;
      case 'events': {
        const { site, station, edge } = classified.message;
        if (unregistered(site, station, edge) && (await refusedStation(topic, site, station, edge))) return;
        sinks.onEvent?.(classified.message);
        return;
      }
      case 'telemetry': {
        const { site, station: stationId, edge } = classified.message;
        if (unregistered(site, stationId, edge) && (await refusedStation(topic, site, stationId, edge)))
          return;
        const { seq, ts } = classified.message;
        if (seqs.check(site, stationId, edge, seq, ts) === 'duplicate') {
          badLog.record(topic, 'duplicate', `seq ${seq} was already sent with another timestamp`);
          return;
        }
        const fields = fieldBudget.judge(classified.message, clock());
        if (fields.kind === 'too_many_fields') {
          badLog.record(
            topic,
            'too_many_fields',
            `${fields.count} values, more than ${fieldLimits.perMessage}`,
          );
          return;
        }
        if (fields.kind === 'trimmed') {
          for (const meaning of fields.refused)
            droppedLog.record(
              `${topic} ${meaning}`,
              'new_field_limit',
              `more than ${fieldLimits.newPerStationPerHour} new custom readings in an hour`,
            );
        }
        const message = fields.message;
        const { points, rejected } = pointsFromTelemetry(message);
        for (const { meaning, reason } of rejected) {
          // Counted per value; logged once per meaning and topic.
          droppedLog.record(`${topic} ${meaning}`, 'unknown_meaning', reason);
        }
        // The hub queues live messages for the rules and models; replayed backlog (older than what
        // is held) is stored and fills gaps in the held state, but only the live stream is evaluated.
        // Acknowledging waits for the durable write, not for the evaluations.
        const receivedAt = clock();
        const { station, verdict, done } = sinks.hub.accept(message, receivedAt);
        const evaluationsBehind = sinks.hub.backlog() > maxEvaluationBacklog;
        metrics.evaluationBacklog.set(sinks.hub.backlog());
        if (verdict === 'future') {
          badLog.record(
            topic,
            'future_timestamp',
            `dated ${new Date(message.ts).toISOString()}, ${Math.round((message.ts - receivedAt) / 1000)} s ahead of the server's clock`,
          );
          return;
        }
        if (verdict !== 'duplicate' && station) sinks.onStation?.(station);
        if (points.length > 0) await writeUntilStored(topic, points, signal);
        if (evaluationsBehind) await done;
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

/** Waits `ms`; rejects early when `signal` aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('connection closed before the points were stored'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
