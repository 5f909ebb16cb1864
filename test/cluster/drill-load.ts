import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../core/telemetry/topics.ts';
import { stationTelemetry } from '../service/station-telemetry.ts';

export const DRILL_SITE = 'scale';
export const stationName = (index: number) => `st-${String(index).padStart(4, '0')}`;

/** A pump trip, as the alarm rules see one: one ticket per station is owed. */
const TRIPPED = {
  'pump[1].fault': { v: true, q: 'good' },
  'pump[1].running': { v: false, q: 'good' },
} as const;

export interface DrillLoad {
  /** Per station: messages the broker acknowledged (PUBACK). */
  published: Map<string, number>;
  /** Per station: messages whose PUBACK never came (the publish failed). */
  failed: Map<string, number>;
  /** Stations tripped from now on (each owes one ticket). */
  trip(stations: readonly string[]): void;
  /** Stops publishing and waits for the outstanding PUBACKs (bounded). */
  stop(): Promise<void>;
}

/**
 * Publishes one telemetry message per station per second, QoS 1, as `edges` MQTT clients (the
 * edges' way in: nats-server's MQTT listener), each serving its share of the stations.
 */
export async function startDrillLoad(mqttUrl: string, stations: number, edges: number): Promise<DrillLoad> {
  const published = new Map<string, number>();
  const failed = new Map<string, number>();
  const tripped = new Set<string>();
  const clients: MqttClient[] = [];
  for (let e = 0; e < edges; e++)
    clients.push(
      await mqtt.connectAsync(mqttUrl, { clientId: `edge-scale-${e}`, clean: true, reconnectPeriod: 500 }),
    );
  let seq = 0;
  let outstanding = 0;
  const tick = () => {
    const ts = Date.now();
    for (let s = 0; s < stations; s++) {
      const station = stationName(s);
      const edge = `edge-scale-${s % edges}`;
      const message = {
        ...stationTelemetry(station, seq, ts, tripped.has(station) ? TRIPPED : {}),
        site: DRILL_SITE,
        edge,
      };
      outstanding++;
      clients[s % edges]!.publish(
        topics.telemetry(DRILL_SITE, station),
        JSON.stringify(message),
        { qos: 1 },
        (error) => {
          outstanding--;
          const into = error ? failed : published;
          into.set(station, (into.get(station) ?? 0) + 1);
        },
      );
    }
    seq++;
  };
  tick();
  const timer = setInterval(tick, 1000);
  return {
    published,
    failed,
    trip: (names) => {
      for (const name of names) tripped.add(name);
    },
    async stop() {
      clearInterval(timer);
      for (let waited = 0; outstanding > 0 && waited < 30_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all(clients.map((client) => client.endAsync()));
    },
  };
}
