import { expect, test } from 'vitest';
import { type DrillResult, runScaleoutDrill } from './scaleout-drill.ts';

// Three real server processes on real nats-server (JetStream + MQTT), redis-server, PostgreSQL and
// influxd; 300 stations at 1 s; the instance holding most partitions is SIGKILLed under load.
test('scale-out: an instance killed under load loses nothing, tickets each fault once, hands its stations over within 10 s', async () => {
  const result: DrillResult = await runScaleoutDrill({
    stations: 300,
    partitions: 12,
    secondsBeforeKill: 20,
    secondsAfterKill: 30,
    log: (line) => console.log(`[scaleout] ${line}`),
  });
  console.log(`[scaleout] ${JSON.stringify(result)}`);
  expect(result.published).toBeGreaterThan(300 * 45);
  expect(result.publishFailures).toBe(0);
  expect(result.lost).toBe(0);
  expect(result.victimPartitions.length).toBeGreaterThan(0);
  expect(result.victimStations).toBeGreaterThan(0);
  expect(result.leaseTakeoverSeconds).toBeLessThanOrEqual(10);
  expect(result.stationTakeoverSeconds).toBeLessThanOrEqual(10);
  // The dashboard is on another instance: the victim's stations came through Redis before, and after.
  expect(result.victimStationsSeenBefore).toBe(result.victimStations);
  expect(result.victimStationsSeenAfter).toBe(result.victimStations);
  expect(result.longestGapAfterTakeoverSeconds).toBeLessThan(10);
  expect(result.faultsWithOneTicket).toBe(result.faults);
  expect(result.duplicateTickets).toBe(0);
}, 300_000);
