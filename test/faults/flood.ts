import { connectMqtt } from '../../core/mqtt/connect.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';

export interface Flood {
  /** Stops publishing and waits (bounded) for the PUBACKs still due; returns what the broker acknowledged. */
  stop(): Promise<{ acked: number; sent: number }>;
}

/**
 * QoS 1 telemetry for `stations` extra stations of site `site` at about `perSecond` messages per
 * second (at most 200 awaiting their PUBACK), each message with a source timestamp of its own
 * (start + sequence number), so every acknowledged one can be found in the store afterwards.
 */
export async function startFlood(
  url: string,
  site: string,
  stations: number,
  perSecond: number,
): Promise<Flood> {
  const client = connectMqtt(url, { clientId: `faults-flood-${process.pid}`, clean: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flood: no connection to ${url}`)), 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const start = Date.now();
  let sent = 0;
  let acked = 0;
  let inFlight = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
    while (sent < due && inFlight < 200 && client.connected) {
      const seq = sent++;
      const message: Telemetry = {
        v: 1,
        site,
        station: `f${seq % stations}`,
        edge: 'flood',
        model: 'booster-3p-380',
        seq,
        ts: start + seq,
        state: 'ok',
        values: { 'pump[1].running': { v: true, q: 'good' }, 'pressure.outlet': { v: 3.5, q: 'good' } },
      };
      inFlight++;
      client.publish(
        topics.telemetry(site, message.station),
        JSON.stringify(message),
        { qos: 1 },
        (error) => {
          inFlight--;
          if (!error) acked++;
        },
      );
    }
  }, 10);
  let stopped: Promise<{ acked: number; sent: number }> | undefined;
  const stop = async () => {
    clearInterval(timer);
    const deadline = Date.now() + 10_000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await client.endAsync(true);
    return { acked, sent };
  };
  return {
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
