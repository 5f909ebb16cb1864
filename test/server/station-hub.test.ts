import { describe, expect, test } from 'vitest';
import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import { stationReadings } from '../../server/alarms/station-readings.ts';
import type { EdgeState } from '../../server/ingest/edge-registry.ts';
import type { StationLatest } from '../../server/ingest/latest-values.ts';
import { StationHub, type Verdict, verdictOf } from '../../server/ingest/station-hub.ts';

// Relative to now: nothing here reads the calendar.
const T = Date.now();

const message = (seq: number, ts: number, extra: Partial<Telemetry> = {}): Telemetry => ({
  v: 1,
  site: 'a',
  station: 'st1',
  edge: 'e1',
  model: 'm',
  seq,
  ts,
  state: 'ok',
  values: { 'pressure.outlet': { v: seq, q: 'good' } },
  ...extra,
});

const held = (seq: number, ts: number, extra: Partial<StationLatest> = {}): StationLatest => ({
  site: 'a',
  station: 'st1',
  edge: 'e1',
  model: 'm',
  state: 'ok',
  seq,
  ts,
  receivedAt: ts,
  values: {},
  valueTs: {},
  ...extra,
});

describe('verdictOf: the one ordering check', () => {
  test.each<[string, StationLatest | undefined, Telemetry, Verdict]>([
    ['a first message is live', undefined, message(1, T), 'live'],
    ['a newer message is live', held(1, T), message(2, T + 1000), 'live'],
    ['an older message is late (replayed backlog)', held(5, T), message(4, T - 1000), 'late'],
    ['the same message again is a duplicate (QoS 1 redelivery)', held(5, T), message(5, T), 'duplicate'],
    ['another message at the same instant is live', held(5, T), message(6, T), 'live'],
    ['the same seq and time from another edge is live', held(5, T), message(5, T, { edge: 'e2' }), 'live'],
    // An edge restarted with its sequence from 0: time orders, not the sequence.
    ['a newer message with a lower seq is live', held(900, T), message(1, T + 1000), 'live'],
    ['an older message with a higher seq is late', held(1, T), message(900, T - 1), 'late'],
  ])('%s', (_case, before, next, expected) => {
    expect(verdictOf(before, next)).toBe(expected);
  });
});

describe('StationHub', () => {
  test('holds the state once, hands only live messages on, in order per station, one at a time', async () => {
    const hub = new StationHub();
    const seen: string[] = [];
    let running = 0;
    let overlapped = false;
    hub.subscribe({
      onTelemetry: async (m, station) => {
        overlapped ||= running > 0;
        running++;
        // The slower early message must still be handled first.
        await new Promise((resolve) => setTimeout(resolve, m.seq === 1 ? 20 : 1));
        seen.push(`${m.seq}:${station.values['pressure.outlet']?.v}`);
        running--;
      },
    });
    const verdicts = [
      hub.accept(message(1, T), T),
      hub.accept(message(2, T + 1000), T + 1000),
      hub.accept(message(2, T + 1000), T + 1001),
      hub.accept(message(0, T - 5000, { values: { 'tank.level': { v: 3, q: 'good' } } }), T + 1002),
      hub.accept(message(3, T + 2000), T + 2000),
    ].map((a) => a.verdict);
    await hub.idle();
    expect(verdicts).toEqual(['live', 'live', 'duplicate', 'late', 'live']);
    // Each consumer call saw the state just after its own message.
    expect(seen).toEqual(['1:1', '2:2', '3:3']);
    expect(overlapped).toBe(false);
    expect(hub.counts).toEqual({ live: 3, late: 1, duplicate: 1, future: 0 });
    // The late message filled a gap; it overwrote nothing newer.
    const latest = hub.latest.get('a', 'st1')!;
    expect([latest.seq, latest.values['pressure.outlet']?.v, latest.values['tank.level']?.v]).toEqual([
      3, 3, 3,
    ]);
  });

  test('a message dated past the allowed skew is quarantined: not held, not handed on, its edge noted', async () => {
    const hub = new StationHub({ maxFutureSkewMs: 60_000 });
    const seen: number[] = [];
    hub.subscribe({ onTelemetry: async (m) => void seen.push(m.seq) });
    const verdicts = [
      hub.accept(message(1, T), T),
      hub.accept(message(2, T + 61_000), T),
      hub.accept(message(3, T + 59_000), T),
      hub.accept(message(4, T + 1000), T + 1000),
    ].map((a) => a.verdict);
    await hub.idle();
    expect(verdicts).toEqual(['live', 'future', 'live', 'late']);
    expect(seen).toEqual([1, 3]);
    expect(hub.counts.future).toBe(1);
    expect(hub.latest.get('a', 'st1')?.seq).toBe(3);
    expect(hub.edges.list(T)).toEqual([]);
    hub.edges.apply({ v: 1, edge: 'e1', site: 'a', online: true, ts: T, stations: { st1: 'ok' } }, T);
    expect(hub.edges.list(T)[0]?.clockAheadMs).toBe(61_000);
    // An hour later without another message from the future, the clock is believed again.
    expect(hub.edges.list(T + 3_600_001)[0]?.clockAheadMs).toBeUndefined();
  });

  test('stations run beside each other; a failing consumer is reported and the queue goes on', async () => {
    const errors: string[] = [];
    const hub = new StationHub({
      onError: (error, where) => errors.push(`${where.station}:${(error as Error).message}`),
    });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    hub.subscribe({
      onTelemetry: async (m) => {
        if (m.station === 'st1' && m.seq === 1) await held;
        if (m.seq === 2) throw new Error('boom');
        order.push(`${m.station}/${m.seq}`);
      },
    });
    hub.accept(message(1, T), T);
    hub.accept(message(2, T + 1), T + 1);
    hub.accept(message(3, T + 2), T + 2);
    await hub.accept(message(1, T, { station: 'st2' }), T).done;
    // st2 went through while st1's first message was still being handled.
    expect(order).toEqual(['st2/1']);
    const tick = hub.enqueue('a', 'st1', async () => {
      order.push('st1/tick');
    });
    release();
    await tick;
    expect(order).toEqual(['st2/1', 'st1/1', 'st1/3', 'st1/tick']);
    expect(errors).toEqual(['st1:boom']);
  });

  test('an edge status lands in the registry before the consumers hear of it', async () => {
    const hub = new StationHub();
    const heard: boolean[] = [];
    hub.subscribe({
      onTelemetry: async () => {},
      onEdgeStatus: async (status) => {
        heard.push(hub.edges.ofSite(status.site).some((e) => e.edge === status.edge && !e.online));
      },
    });
    const status: EdgeStatus = { v: 1, edge: 'e1', site: 'a', online: false, ts: T, stations: {} };
    await hub.edgeStatus(status, T);
    expect(heard).toEqual([true]);
  });
});

describe('stationReadings: what the rules see', () => {
  const edge = (
    online: boolean,
    receivedAt: number,
    stations: EdgeState['stations'] = { st1: 'comms_failed' },
  ) => ({ v: 1, edge: 'e1', site: 'a', online, ts: receivedAt, stations, receivedAt }) satisfies EdgeState;
  test.each<
    [
      string,
      StationLatest | undefined,
      EdgeState[],
      number,
      { state: string; stale: boolean; edgeOnline: boolean },
    ]
  >([
    ['never heard of: ok, not stale', undefined, [], T, { state: 'ok', stale: false, edgeOnline: true }],
    ['fresh telemetry', held(1, T), [], T + 1000, { state: 'ok', stale: false, edgeOnline: true }],
    ['silent past staleAfterMs', held(1, T), [], T + 61_000, { state: 'ok', stale: true, edgeOnline: true }],
    [
      'an online status newer than the telemetry sets the state',
      held(1, T),
      [edge(true, T + 10)],
      T + 20,
      { state: 'comms_failed', stale: false, edgeOnline: true },
    ],
    [
      'telemetry newer than the status wins, and proves the edge online',
      held(1, T + 10, { state: 'ok' }),
      [edge(false, T)],
      T + 20,
      { state: 'ok', stale: false, edgeOnline: true },
    ],
    [
      'an offline status (last will) newer than the telemetry: edge offline, state kept',
      held(1, T),
      [edge(false, T + 10)],
      T + 20,
      { state: 'ok', stale: false, edgeOnline: false },
    ],
    [
      'a station known only from its edge status',
      undefined,
      [edge(true, T)],
      T + 20,
      { state: 'comms_failed', stale: false, edgeOnline: true },
    ],
  ])('%s', (_case, station, edges, now, expected) => {
    const readings = stationReadings({ site: 'a', station: 'st1' }, station, edges, now, 60_000);
    expect({ state: readings.state, stale: readings.stale, edgeOnline: readings.edgeOnline }).toEqual(
      expected,
    );
  });

  test.each([
    ['inside the start grace an offline status is not believed', T + 119_999, true],
    ['from the end of the grace on it is', T + 120_000, false],
  ])('%s', (_case, now, edgeOnline) => {
    const readings = stationReadings(
      { site: 'a', station: 'st1' },
      undefined,
      [edge(false, T)],
      now,
      60_000,
      T + 120_000,
    );
    expect(readings.edgeOnline).toBe(edgeOnline);
  });
});
