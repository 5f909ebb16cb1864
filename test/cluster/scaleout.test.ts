import { expect, test } from 'vitest';
import { type DrillResult, runScaleoutDrill } from './scaleout-drill.ts';

// Three real server processes on real nats-server (JetStream + MQTT), redis-server, PostgreSQL and
// influxd; 300 stations at 1 s from three MQTT edges; the instance holding most partitions is
// SIGKILLed under load while a dashboard on another instance watches.
test('scale-out: an instance killed under load loses nothing, tickets each fault once, hands its partitions over within 10 s', async () => {
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
  // Measured from the SIGKILL: every partition the victim held is leased by a survivor.
  expect(result.leaseTakeoverSeconds).toBeLessThanOrEqual(10);
  // The dashboard is on another instance: the victim's stations came through Redis before, and after.
  expect(result.victimStationsSeenBefore).toBe(result.victimStations);
  expect(result.victimStationsSeenAfter).toBe(result.victimStations);
  // Each injected fault exactly one ticket; no ticket at all for a station that was only moved.
  expect(result.faultsWithOneTicket).toBe(result.faults);
  expect(result.duplicateTickets).toBe(0);
  expect(result.unexpectedTickets).toBe(0);
  expect(result.ticketRows).toEqual([]);
}, 240_000);
