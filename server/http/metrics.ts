import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreObserver, TelemetryStore } from '../telemetry/telemetry-store.ts';

/** Prometheus metrics of one server, in its own registry (several servers may share a process). */
export interface ServerMetrics {
  registry: Registry;
  messagesIn: Counter<'kind'>;
  badPayloads: Counter<'reason'>;
  valuesDropped: Counter<'reason'>;
  pointsWritten: Counter;
  writeSeconds: Histogram;
  queueDepth: Gauge;
  /** Messages whose store write failed and whose PUBACK is held until it succeeds (back-pressure). */
  ingestBlocked: Gauge;
  evaluationBacklog: Gauge;
  /** Reads the number of MQTT messages being handled (PUBACK held) from `source` at scrape time. */
  readInFlightFrom(source: () => number): void;
  storeErrors: Counter<'operation'>;
  brokerConnected: Gauge;
  liveClients: Gauge;
  /** Device profile files reloaded (`ok`) or refused (`failed`) while the server ran. */
  profileReloads: Counter<'result'>;
  /** The store's hooks, feeding the metrics above. */
  storeObserver: StoreObserver;
}

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aftercare_' });
  const registers = [registry];
  const pointsWritten = new Counter({
    name: 'aftercare_points_written_total',
    help: 'Telemetry points (InfluxDB lines or PGlite rows) the store confirmed written',
    registers,
  });
  const writeSeconds = new Histogram({
    name: 'aftercare_store_write_seconds',
    help: 'Duration of one store write round trip (HTTP request or SQL transaction)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const storeErrors = new Counter({
    name: 'aftercare_store_errors_total',
    help: 'Failed store operations, by operation (write attempts, queries)',
    labelNames: ['operation'],
    registers,
  });
  let inFlight = () => 0;
  new Gauge({
    name: 'aftercare_ingest_in_flight',
    help: 'MQTT messages received and being stored, their PUBACK held until the points are durable',
    registers,
    collect() {
      this.set(inFlight());
    },
  });
  const profileReloads = new Counter({
    name: 'aftercare_profile_reloads_total',
    help: 'Device profile files reloaded (ok) or refused (failed) while the server ran',
    labelNames: ['result'],
    registers,
  });
  return {
    registry,
    profileReloads,
    readInFlightFrom: (source) => {
      inFlight = source;
    },
    messagesIn: new Counter({
      name: 'aftercare_mqtt_messages_total',
      help: 'MQTT messages received, by topic kind (telemetry, events, edgeStatus, unknown)',
      labelNames: ['kind'],
      registers,
    }),
    badPayloads: new Counter({
      name: 'aftercare_bad_payloads_total',
      help: 'MQTT messages dropped as bad, by reason',
      labelNames: ['reason'],
      registers,
    }),
    valuesDropped: new Counter({
      name: 'aftercare_values_dropped_total',
      help: 'Values of good messages that could not be stored, by reason (e.g. unknown_meaning)',
      labelNames: ['reason'],
      registers,
    }),
    pointsWritten,
    writeSeconds,
    queueDepth: new Gauge({
      name: 'aftercare_store_queue_depth',
      help: 'Points accepted by the store but not yet written',
      registers,
    }),
    storeErrors,
    ingestBlocked: new Gauge({
      name: 'aftercare_ingest_blocked',
      help: 'MQTT messages held unacknowledged while the store fails (back-pressure on the broker)',
      registers,
    }),
    evaluationBacklog: new Gauge({
      name: 'aftercare_ingest_evaluation_backlog',
      help: 'Live messages stored and not yet evaluated by the alarm rules and health models',
      registers,
    }),
    brokerConnected: new Gauge({
      name: 'aftercare_mqtt_connected',
      help: '1 while the server is connected to the MQTT broker',
      registers,
    }),
    liveClients: new Gauge({
      name: 'aftercare_live_clients',
      help: 'Connected socket.io clients',
      registers,
    }),
    storeObserver: {
      pointsWritten: (count) => pointsWritten.inc(count),
      writeLatency: (seconds) => writeSeconds.observe(seconds),
      error: (operation) => storeErrors.inc({ operation }),
    },
  };
}

/** Prometheus text; the queue depth is read from the store at scrape time. */
export async function renderMetrics(metrics: ServerMetrics, store: TelemetryStore): Promise<string> {
  try {
    metrics.queueDepth.set((await store.health()).queued);
  } catch {
    // the store's health is reported by /api/health; the other metrics still go out
  }
  return await metrics.registry.metrics();
}
