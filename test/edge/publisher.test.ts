import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { telemetrySchema } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { Publisher } from '../../edge/publisher.ts';
import type { StationReadings } from '../../edge/station-poller.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

const site = 'pubtest';

function readings(station: string, ts: number, values: StationReadings['values']): StationReadings {
  return { station, model: 'booster-3p-380', ts, state: 'ok', classes: ['fast'], values };
}

describe('Publisher (real mosquitto)', () => {
  let broker: RunningMosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  test('telemetry goes out with a sequence per station; a message that breaks the schema is dropped and counted', async () => {
    const capture = await captureMqtt(broker.url, `aftercare/v1/${site}/+/telemetry`);
    const publisher = new Publisher({ url: broker.url, site, edgeId: 'pub-edge' }, { st1: 'ok', st2: 'ok' });
    try {
      await publisher.open();
      await publisher.waitConnected();
      const now = Date.now();
      publisher.publishReadings(readings('st1', now, { 'pump[1].running': { v: true, q: 'good' } }));
      // A meaning longer than the contract's 64 characters: refused at the edge, not sent.
      publisher.publishReadings(readings('st2', now, { ['x'.repeat(65)]: { v: 1, q: 'good' } }));
      publisher.publishReadings(readings('st1', now + 1000, { 'pump[1].running': { v: false, q: 'good' } }));
      publisher.publishReadings(readings('st2', now + 1000, { 'tank.level': { v: 2.5, q: 'good' } }));
      const st1 = await waitFor('two st1 messages', () => {
        const got = capture.on(topics.telemetry(site, 'st1'));
        return got.length >= 2 ? got : undefined;
      });
      const st2 = await waitFor('one st2 message', () => {
        const got = capture.on(topics.telemetry(site, 'st2'));
        return got.length >= 1 ? got : undefined;
      });
      for (const message of [...st1, ...st2])
        expect(telemetrySchema.safeParse(message.payload).success).toBe(true);
      expect(st1.map((m) => m.payload.seq)).toEqual([0, 1]);
      expect(st2.map((m) => m.payload.values)).toEqual([{ 'tank.level': { v: 2.5, q: 'good' } }]);
      expect(st2[0]!.payload.seq).toBe(0);
      expect(publisher.stats()).toMatchObject({
        dropped: 1,
        stations: { st1: { published: 2 }, st2: { published: 1 } },
      });
    } finally {
      await publisher.stop();
      await capture.stop();
    }
  });
});
