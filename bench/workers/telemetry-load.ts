import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { type Telemetry, telemetrySchema } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { DEFAULT_PROFILE } from '../../simulators/config.ts';
import { serveWorker } from './protocol.ts';

export interface TelemetryLoadOptions {
  url: string;
  /** Site id in the topics and payloads. Default 'load'. */
  site?: string;
  /** Stations the messages rotate over. */
  stations: number;
  /** Messages per second to aim at; 0 publishes as fast as PUBACKs come back. */
  rate: number;
  /** QoS 1 messages awaiting their PUBACK, at most. Default 500. */
  maxInFlight?: number;
}

/**
 * Publishes valid telemetry (every meaning of the reference profile, as an edge would) with QoS 1
 * at a set rate. The rate can be changed while it runs (`setRate`).
 */
serveWorker(async (options: TelemetryLoadOptions) => {
  const profile = loadProfile(DEFAULT_PROFILE);
  const client = connectMqtt(options.url, { clientId: `bench-telemetry-${process.pid}`, clean: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection to ${options.url}`)), 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const maxInFlight = options.maxInFlight ?? 500;
  const seq = new Array<number>(options.stations).fill(0);
  let rate = options.rate;
  let sent = 0;
  let acked = 0;
  let inFlight = 0;
  let next = 0;
  let stopped = false;
  let epoch = { at: Date.now(), sent: 0 };

  const message = (index: number): Telemetry => {
    const values: Telemetry['values'] = {};
    for (const tag of profile.tags) {
      values[tag.meaning] =
        tag.type === 'bool'
          ? // A steady station (pump 1 on duty, no fault bits): random bits would flap every rule.
            { v: tag.meaning === 'pump[1].running', q: 'good' }
          : { v: Math.random() * 100, q: 'good' };
    }
    const station = `t${index}`;
    return telemetrySchema.parse({
      v: 1,
      site: options.site ?? 'load',
      station,
      edge: 'bench-load',
      model: profile.model,
      seq: seq[index]!++,
      ts: Date.now(),
      state: 'ok',
      values,
    });
  };

  const timer = setInterval(() => {
    const allowed = rate > 0 ? epoch.sent + Math.floor(((Date.now() - epoch.at) / 1000) * rate) : Infinity;
    while (!stopped && client.connected && inFlight < maxInFlight && sent < allowed) {
      const index = next++ % options.stations;
      const body = message(index);
      inFlight++;
      sent++;
      client.publish(topics.telemetry(body.site, body.station), JSON.stringify(body), { qos: 1 }, (error) => {
        inFlight--;
        if (!error) acked++;
      });
    }
    // A rate that cannot be kept up does not build a debt to burst out later.
    if (rate > 0 && sent < allowed - rate) epoch = { at: Date.now(), sent };
  }, 5);

  return {
    info: {},
    calls: {
      count: () => ({ sent, acked, at: Date.now() }),
      setRate: (value: unknown) => {
        rate = Number(value);
        epoch = { at: Date.now(), sent };
      },
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
});
