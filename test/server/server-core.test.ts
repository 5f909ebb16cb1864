import { Point } from '@influxdata/influxdb-client';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { resolveServerConfig, serverConfigFromEnv, toServerOptions } from '../../server/config.ts';
import { parseDuration } from '../../server/http/history-query.ts';
import { BadPayloadLog } from '../../server/ingest/bad-payload-log.ts';
import { classifyMessage } from '../../server/ingest/classify.ts';
import { LatestValues } from '../../server/ingest/latest-values.ts';
import { chooseWriteApi } from '../../server/telemetry/influx-probe.ts';
import { v1WritePath } from '../../server/telemetry/influx-writer.ts';
import { lineProtocolBody, linesFromPoints } from '../../server/telemetry/line-protocol.ts';
import {
  locateMeaning,
  locateSeries,
  meaningOf,
  pointsFromTelemetry,
} from '../../server/telemetry/point-mapping.ts';

describe('point mapping: meaning -> measurement, tags and field', () => {
  test.each([
    ['pump[1].bearing_vibration', { measurement: 'pump', field: 'bearing_vibration', pump: '1' }],
    ['pump[9].running', { measurement: 'pump', field: 'running', pump: '9' }],
    ['supply.voltage_l1', { measurement: 'supply', field: 'voltage_l1' }],
    ['station.failover_count', { measurement: 'station', field: 'failover_count' }],
    ['station.alarm_word', { measurement: 'station', field: 'alarm_word' }],
    ['pressure.outlet', { measurement: 'station', field: 'pressure_outlet' }],
    ['insulation.leakage_current', { measurement: 'station', field: 'insulation_leakage_current' }],
    ['grounding.fault', { measurement: 'station', field: 'grounding_fault' }],
    ['custom.oil.level', { measurement: 'custom', field: 'oil.level' }],
  ])('%s', (meaning, location) => {
    expect(locateMeaning(meaning)).toEqual(location);
    expect(meaningOf(location as never)).toBe(meaning);
  });

  test.each([
    ['pump[0].running', /unknown meaning/],
    ['pump[1].colour', /unknown pump field "colour"/],
    ['pressure.sideways', /unknown meaning/],
    ['custom.speed_q', /must not end in _q/],
    ['', /unknown meaning/],
    // The health series are the server's own: an edge cannot write them.
    ['health.score', /unknown meaning/],
  ])('%s is refused', (meaning, reason) => {
    expect(locateMeaning(meaning)).toMatch(reason);
  });

  test.each([
    ['health.pump[2].vibration', { measurement: 'health', field: 'vibration', pump: '2' }],
    ['health.score', { measurement: 'health', field: 'score' }],
    ['pressure.outlet', { measurement: 'station', field: 'pressure_outlet' }],
  ])('stored series %s', (meaning, location) => {
    expect(locateSeries(meaning)).toEqual(location);
    expect(meaningOf(location as never)).toBe(meaning);
  });

  test.each([['health.pump[0].x'], ['health.Score'], ['health.score_q'], ['health.']])(
    'health series %s is refused',
    (meaning) => {
      expect(locateSeries(meaning)).toMatch(/unknown health series/);
    },
  );

  test('a telemetry message becomes one point per value, comms_failed without a value', () => {
    const message: Telemetry = {
      v: 1,
      site: 's',
      station: 'st',
      edge: 'e',
      model: 'm',
      seq: 1,
      ts: 1_700_000_000_000,
      state: 'degraded',
      values: {
        'pump[2].frequency': { v: 49.5, q: 'good' },
        'pump[2].fault': { v: false, q: 'stale' },
        'flow.rate': { v: null, q: 'comms_failed' },
        // a value marked comms_failed is not kept as a value
        'tank.level': { v: 3, q: 'comms_failed' },
        'pump[1].colour': { v: 1, q: 'good' },
      },
    };
    const base = { site: 's', station: 'st', ts: message.ts };
    expect(pointsFromTelemetry(message)).toEqual({
      points: [
        { ...base, meaning: 'pump[2].frequency', value: 49.5, q: 'good' },
        { ...base, meaning: 'pump[2].fault', value: false, q: 'stale' },
        { ...base, meaning: 'flow.rate', value: null, q: 'comms_failed' },
        { ...base, meaning: 'tank.level', value: null, q: 'comms_failed' },
      ],
      rejected: [{ meaning: 'pump[1].colour', reason: expect.stringMatching(/unknown pump field/) }],
    });
  });

  test('points of one station, kind, pump and time share one line protocol line', () => {
    const p = { site: 'plant a', station: 'st1', ts: 1_700_000_000_000, q: 'good' as const };
    const lines = linesFromPoints([
      { ...p, meaning: 'pump[1].frequency', value: 50 },
      { ...p, meaning: 'pump[1].running', value: true },
      { ...p, meaning: 'pump[2].frequency', value: 0 },
      { ...p, meaning: 'pressure.outlet', value: 4.5 },
      { ...p, meaning: 'flow.rate', value: null, q: 'comms_failed' },
    ]);
    expect(lines).toEqual([
      'pump,pump=1,site=plant\\ a,station=st1 frequency=50,frequency_q="good",running=T,running_q="good" 1700000000000',
      'pump,pump=2,site=plant\\ a,station=st1 frequency=0,frequency_q="good" 1700000000000',
      'station,site=plant\\ a,station=st1 flow_rate_q="comms_failed",pressure_outlet=4.5,pressure_outlet_q="good" 1700000000000',
    ]);
  });

  test('lines match what the client library Point writes, tag escaping included', () => {
    const points = [
      {
        site: 'a,b=c d',
        station: 'st "1"',
        meaning: 'pump[3].bearing_vibration',
        ts: 1,
        value: 1e-7,
        q: 'good' as const,
      },
      {
        site: 'a,b=c d',
        station: 'st "1"',
        meaning: 'pump[3].running',
        ts: 1,
        value: false,
        q: 'stale' as const,
      },
      { site: 's', station: 't', meaning: 'custom.oil.level', ts: 2, value: 1e21, q: 'good' as const },
      {
        site: 's',
        station: 't',
        meaning: 'supply.voltage_l1',
        ts: 3,
        value: -0.5,
        q: 'out_of_range' as const,
      },
    ];
    const viaLibrary = [
      new Point('pump')
        .tag('site', 'a,b=c d')
        .tag('station', 'st "1"')
        .tag('pump', '3')
        .floatField('bearing_vibration', 1e-7)
        .stringField('bearing_vibration_q', 'good')
        .booleanField('running', false)
        .stringField('running_q', 'stale')
        .timestamp(1),
      new Point('custom')
        .tag('site', 's')
        .tag('station', 't')
        .floatField('oil.level', 1e21)
        .stringField('oil.level_q', 'good')
        .timestamp(2),
      new Point('supply')
        .tag('site', 's')
        .tag('station', 't')
        .floatField('voltage_l1', -0.5)
        .stringField('voltage_l1_q', 'out_of_range')
        .timestamp(3),
    ].map((point) => point.toLineProtocol());
    expect(linesFromPoints(points)).toEqual(viaLibrary);
  });

  test('messages of one series with other fields, or the same in another order, match the library line for line', () => {
    // The field order is worked out once per series and sequence of keys: each message here brings
    // pump 1 another sequence (fewer values, a new one, the same ones reordered, a repeat, then the
    // first sequence again), and every line must still be what the library writes.
    const messages: Array<Array<[string, number | boolean | null, 'good' | 'stale' | 'comms_failed']>> = [
      [
        ['pump[1].frequency', 50, 'good'],
        ['pump[1].running', true, 'good'],
        ['pump[1].current_l1', 12, 'good'],
      ],
      [
        ['pump[1].frequency', 49, 'good'],
        ['pump[1].running', true, 'stale'],
      ],
      [
        ['pump[1].running', false, 'good'],
        ['pump[1].frequency', 0, 'good'],
        ['pump[1].bearing_vibration', 1.5, 'good'],
      ],
      [
        ['pump[1].current_l1', 11, 'good'],
        ['pump[1].current_l1', 13, 'good'],
        ['pump[1].frequency', null, 'comms_failed'],
      ],
      [
        ['pump[1].frequency', 48, 'good'],
        ['pump[1].running', true, 'good'],
        ['pump[1].current_l1', 10, 'good'],
      ],
    ];
    messages.forEach((values, i) => {
      const ts = 1_700_000_000_000 + i;
      const points = values.map(([meaning, value, q]) => ({
        site: 's',
        station: 'st9',
        meaning,
        ts,
        value,
        q,
      }));
      const point = new Point('pump').tag('site', 's').tag('station', 'st9').tag('pump', '1');
      for (const [meaning, value, q] of values) {
        const field = meaning.slice('pump[1].'.length);
        if (typeof value === 'number') point.floatField(field, value);
        if (typeof value === 'boolean') point.booleanField(field, value);
        point.stringField(`${field}_q`, q);
      }
      expect(linesFromPoints(points)).toEqual([point.timestamp(ts).toLineProtocol()]);
    });
  });

  test('the request body is the lines joined by newlines, in UTF-8, for messages of many stations, kinds and qualities', () => {
    const meanings = [
      'pump[1].frequency',
      'pump[1].running',
      'pump[2].current_l1',
      'pressure.outlet',
      'supply.voltage_l1',
    ];
    const qualities = ['good', 'stale', 'comms_failed', 'out_of_range'] as const;
    const points = [];
    for (let m = 0; m < 60; m++) {
      for (const [k, meaning] of meanings.entries()) {
        if ((m + k) % 7 === 0) continue; // messages with fewer values: other sequences of keys
        const q = qualities[(m * 3 + k) % qualities.length]!;
        const value = q === 'comms_failed' ? null : meaning.endsWith('running') ? m % 2 === 0 : m * 1.25 - k;
        points.push({
          site: m % 4 === 0 ? '泵站 东区' : `site ${m % 3}`,
          station: `st${m % 5}`,
          meaning,
          ts: 1_700_000_000_000 + m,
          value,
          q,
        });
      }
    }
    const lines = linesFromPoints(points);
    expect(lines.length).toBeGreaterThan(120);
    expect(lines.filter((line) => line.includes('site=泵站\\ 东区')).length).toBeGreaterThan(40);
    const { body, lines: count } = lineProtocolBody(points);
    expect(Buffer.from(body).toString('utf8')).toBe(lines.join('\n'));
    expect(count).toBe(lines.length);
    const empty = lineProtocolBody([]);
    expect([empty.body.length, empty.lines]).toEqual([0, 0]);
  });

  test('an edge sending ever other sets of meanings, past the plans cached for each first meaning: every line is still what the library writes', () => {
    const fields = [
      'frequency',
      'current_l1',
      'current_l2',
      'current_l3',
      'power_factor',
      'bearing_vibration',
      'winding_temperature',
      'running',
      'fault',
      'power',
      'speed',
      'run_hours',
    ];
    const mismatches: unknown[] = [];
    let checked = 0;
    for (let i = 1; i <= 1500; i++) {
      // Message i carries the fields of i's bits, rotated: 1,500 sequences, ~125 for each first meaning.
      const chosen = fields.filter((_, bit) => (i >> bit) & 1);
      const sequence = [...chosen.slice(i % chosen.length), ...chosen.slice(0, i % chosen.length)];
      const ts = 1_700_000_000_000 + i;
      const point = new Point('pump').tag('site', 's').tag('station', 'seq').tag('pump', '1');
      const points = sequence.map((field) => {
        const value = field === 'running' || field === 'fault' ? i % 3 === 0 : i / 8;
        if (typeof value === 'boolean') point.booleanField(field, value);
        else point.floatField(field, value);
        point.stringField(`${field}_q`, 'good');
        return { site: 's', station: 'seq', meaning: `pump[1].${field}`, ts, value, q: 'good' as const };
      });
      const expected = point.timestamp(ts).toLineProtocol();
      const lines = linesFromPoints(points);
      if (lines.length !== 1 || lines[0] !== expected) mismatches.push({ i, lines, expected });
      checked++;
    }
    expect({ checked, mismatches }).toEqual({ checked: 1500, mismatches: [] });
  });

  test('a meaning twice in one line: its quality from the last point, its value from the last that has one', () => {
    const point = { site: 's', station: 't', meaning: 'pressure.outlet', ts: 5 };
    const points = [
      { ...point, value: 4, q: 'good' as const },
      { ...point, meaning: 'pump[9].colour', value: 1, q: 'good' as const },
      { ...point, value: null, q: 'comms_failed' as const },
    ];
    const line = 'station,site=s,station=t pressure_outlet=4,pressure_outlet_q="comms_failed" 5';
    expect(linesFromPoints(points)).toEqual([line]);
    expect(Buffer.from(lineProtocolBody(points).body).toString()).toBe(line);
  });

  test('a value repeated for the same series and time (a redelivered message) is written once', () => {
    const point = {
      site: 's',
      station: 't',
      meaning: 'pressure.outlet',
      ts: 5,
      value: 4,
      q: 'good' as const,
    };
    expect(linesFromPoints([point, { ...point, value: 4.5 }])).toEqual([
      'station,site=s,station=t pressure_outlet=4.5,pressure_outlet_q="good" 5',
    ]);
  });
});

describe('InfluxDB write path by version', () => {
  test.each([
    ['1.6.7~rc0', { major: 1, writeApi: 'v1' }],
    ['1.7.11', { major: 1, writeApi: 'v1' }],
    ['1.8.0', { major: 1, writeApi: 'v2' }],
    ['1.11.8', { major: 1, writeApi: 'v2' }],
    ['v2.7.4', { major: 2, writeApi: 'v2' }],
    ['2.0.0-beta.16', { major: 2, writeApi: 'v2' }],
    ['3.0.1', { major: 3, writeApi: 'v2' }],
    ['unknown', { writeApi: 'v2' }],
    ['', { writeApi: 'v2' }],
  ])('%s', (version, expected) => {
    expect(chooseWriteApi(version)).toEqual(expected);
  });

  test.each([
    ['/api/v2/write?org=&bucket=aftercare&precision=ms', '/write?db=aftercare&precision=ms'],
    ['/api/v2/write?org=&bucket=aftercare%2Fweek&precision=ms', '/write?db=aftercare&rp=week&precision=ms'],
    [
      '/api/v2/write?org=x&bucket=db&precision=ms&consistency=all',
      '/write?db=db&precision=ms&consistency=all',
    ],
    ['/query?db=x', '/query?db=x'],
  ])('%s -> %s', (v2, v1) => {
    expect(v1WritePath(v2)).toBe(v1);
  });
});

describe('payload classification', () => {
  const good = {
    v: 1,
    site: 'a',
    station: 'st1',
    edge: 'e1',
    model: 'm',
    seq: 1,
    ts: 1_700_000_000_000,
    state: 'ok',
    values: { 'flow.rate': { v: 1, q: 'good' } },
  };
  const buf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  test.each([
    ['aftercare/v1/a/st1/telemetry', buf(good), 'telemetry'],
    ['aftercare/v1/a/st1/telemetry', buf('{'), 'invalid_json'],
    ['aftercare/v1/a/st1/telemetry', buf('NaN'), 'invalid_json'],
    ['aftercare/v1/a/st1/telemetry', buf(''), 'invalid_json'],
    ['aftercare/v1/a/st1/telemetry', buf({ ...good, ts: 'now' }), 'schema'],
    ['aftercare/v1/a/st1/telemetry', buf({ ...good, values: { x: { v: 'NaN', q: 'good' } } }), 'schema'],
    [
      'aftercare/v1/a/st1/telemetry',
      buf(JSON.stringify(good).replace('"v":1,"q"', '"v":-1e999,"q"')),
      'schema',
    ],
    ['aftercare/v1/a/st2/telemetry', buf(good), 'topic_mismatch'],
    ['aftercare/v1/b/st1/telemetry', buf(good), 'topic_mismatch'],
    ['aftercare/v1/a/st1/other', buf(good), 'unknown_topic'],
    ['aftercare/v1/a.b/st1/telemetry', buf(good), 'unknown_topic'],
    ['aftercare/v1/a/st1/telemetry', Buffer.alloc(300 * 1024, 32), 'too_large'],
    [
      'aftercare/v1/a/edge/e1/status',
      buf({ v: 1, edge: 'e1', site: 'a', online: false, ts: 1_700_000_000_000 }),
      'edgeStatus',
    ],
    [
      'aftercare/v1/a/edge/e2/status',
      buf({ v: 1, edge: 'e1', site: 'a', online: false, ts: 1_700_000_000_000 }),
      'topic_mismatch',
    ],
    ['aftercare/v1/a/edge/e1/status', buf(''), 'edgeStatusCleared'],
    [
      'aftercare/v1/a/st1/events',
      buf({ v: 1, site: 'a', station: 'st1', edge: 'e', ts: 1_700_000_000_000, type: 'comms_lost' }),
      'events',
    ],
    [
      'aftercare/v1/a/st1/events',
      buf({ v: 1, site: 'a', station: 'st1', edge: 'e', ts: 1_700_000_000_000, type: 'boom' }),
      'schema',
    ],
  ])('%s %#', (topic, payload, expected) => {
    const result = classifyMessage(topic, payload);
    expect(result.kind === 'bad' ? result.reason : result.kind).toBe(expected);
  });

  test('a schema error names the field', () => {
    const result = classifyMessage('aftercare/v1/a/st1/telemetry', buf({ ...good, seq: '7' }));
    expect(result).toMatchObject({ kind: 'bad', reason: 'schema', detail: expect.stringMatching(/^seq: /) });
  });
});

describe('bad payload log', () => {
  test('counts every bad payload and logs once per reason and topic', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const counts: string[] = [];
    const log = new BadPayloadLog(logger, (reason) => counts.push(reason), 3);
    for (let i = 0; i < 5; i++) log.record('t1', 'schema', 'x');
    log.record('t1', 'invalid_json', 'x');
    log.record('t2', 'schema', 'x');
    log.record('t3', 'schema', 'x'); // past maxKeys: counted, one saturation line
    log.record('t4', 'schema', 'x');
    expect(counts).toHaveLength(9);
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
      'bad payload dropped (logged once per reason and topic)',
      'bad payload dropped (logged once per reason and topic)',
      'bad payload dropped (logged once per reason and topic)',
      'too many distinct bad payload sources: further ones only counted',
    ]);
  });
});

describe('latest values', () => {
  const message = (seq: number, ts: number, values: Telemetry['values']): Telemetry => ({
    v: 1,
    site: 'a',
    station: 'st1',
    edge: 'e',
    model: 'm',
    seq,
    ts,
    state: 'ok',
    values,
  });

  test('keeps values missing from a message, and an older message does not overwrite newer values', () => {
    const latest = new LatestValues();
    latest.apply(
      message(1, 1000, { 'flow.rate': { v: 1, q: 'good' }, 'pump[1].run_hours': { v: 5, q: 'good' } }),
      1000,
    );
    latest.apply(message(3, 3000, { 'flow.rate': { v: 3, q: 'good' } }), 3000);
    const held = latest.apply(
      message(2, 2000, { 'flow.rate': { v: 2, q: 'good' }, 'tank.level': { v: 7, q: 'stale' } }),
      3100,
    );
    expect(held).toMatchObject({ seq: 3, ts: 3000 });
    expect(latest.view(held, 4000).values).toEqual({
      'flow.rate': { v: 3, q: 'good', ts: 3000, ageMs: 1000 },
      'pump[1].run_hours': { v: 5, q: 'good', ts: 1000, ageMs: 3000 },
      'tank.level': { v: 7, q: 'stale', ts: 2000, ageMs: 2000 },
    });
  });

  test("a message with every meaning replaces the values whole, sharing the message's own; held ones stay as handed out", () => {
    const latest = new LatestValues();
    latest.apply(
      message(1, 1000, { 'flow.rate': { v: 1, q: 'good' }, 'pump[1].run_hours': { v: 5, q: 'good' } }),
      1000,
    );
    const partial = latest.apply(message(2, 2000, { 'flow.rate': { v: 2, q: 'good' } }), 2000);
    const whole = message(3, 3000, {
      'flow.rate': { v: 3, q: 'good' },
      'pump[1].run_hours': { v: 6, q: 'good' },
    });
    const next = latest.apply(whole, 3000);
    expect(next.values).toBe(whole.values);
    expect(latest.view(next, 3500).values).toEqual({
      'flow.rate': { v: 3, q: 'good', ts: 3000, ageMs: 500 },
      'pump[1].run_hours': { v: 6, q: 'good', ts: 3000, ageMs: 500 },
    });
    // The station handed out before is what it was.
    expect(latest.view(partial, 3500).values).toEqual({
      'flow.rate': { v: 2, q: 'good', ts: 2000, ageMs: 1500 },
      'pump[1].run_hours': { v: 5, q: 'good', ts: 1000, ageMs: 2500 },
    });
    // A late message fills a meaning never held, and not one held newer.
    const late = latest.apply(
      message(0, 500, { 'tank.level': { v: 4, q: 'good' }, 'flow.rate': { v: 0, q: 'good' } }),
      3600,
    );
    expect(late.values).not.toBe(whole.values);
    expect(latest.view(late, 4000).values).toEqual({
      'flow.rate': { v: 3, q: 'good', ts: 3000, ageMs: 1000 },
      'pump[1].run_hours': { v: 6, q: 'good', ts: 3000, ageMs: 1000 },
      'tank.level': { v: 4, q: 'good', ts: 500, ageMs: 3500 },
    });
    expect(whole.values).not.toHaveProperty('tank.level');
  });
});

describe('history step durations', () => {
  test.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['10', undefined],
    ['1.5m', undefined],
    ['-1s', undefined],
    ['1w', undefined],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('server config', () => {
  test('flags win over env, env over the config file, the file over defaults', () => {
    const env = serverConfigFromEnv({
      PORT: '9000',
      MQTT_URL: 'mqtt://env:1883',
      INFLUX_TOKEN: 'secret',
      DATA_DIR: '',
    });
    const config = resolveServerConfig({ port: '7000' }, env, {
      port: 6000,
      mqttUrl: 'mqtt://file:1883',
      influxUrl: 'http://file:8086',
      dataDir: '/srv',
    });
    expect(config).toMatchObject({
      port: 7000,
      mqttUrl: 'mqtt://env:1883',
      influxUrl: 'http://file:8086',
      influxToken: 'secret',
      influxBucket: 'aftercare',
      dataDir: '/srv',
      host: '127.0.0.1',
    });
    expect(toServerOptions(config).influx).toMatchObject({
      url: 'http://file:8086',
      token: 'secret',
      bucket: 'aftercare',
    });
  });

  test.each([
    [{ port: '80000' }, /port: /],
    [{ mqttUrl: 'not a url' }, /mqttUrl: mqttUrl must be a URL such as mqtt:\/\//],
    [{ colour: 'red' }, /colour/],
  ])('%o is refused with the key named', (layer, message) => {
    expect(() => resolveServerConfig(layer as never)).toThrow(message);
  });

  test('field limits from a flag and the environment reach the ingest options; out of range is refused', () => {
    const env = serverConfigFromEnv({ MAX_NEW_FIELDS_PER_HOUR: '20' });
    const config = resolveServerConfig({ maxFieldsPerMessage: '64' } as never, env);
    expect(toServerOptions(config).fieldLimits).toEqual({ perMessage: 64, newPerStationPerHour: 20 });
    expect(toServerOptions(resolveServerConfig({})).fieldLimits).toEqual({});
    expect(() => resolveServerConfig({ maxFieldsPerMessage: '5000' } as never)).toThrow(
      /maxFieldsPerMessage/,
    );
  });

  test('the write linger comes from the environment or a flag; out of range is refused', () => {
    const env = serverConfigFromEnv({ AFTERCARE_WRITE_LINGER_MS: '0' });
    expect(toServerOptions(resolveServerConfig(env)).writeLingerMs).toBe(0);
    expect(toServerOptions(resolveServerConfig({ writeLingerMs: '20' } as never, env)).writeLingerMs).toBe(
      20,
    );
    expect(toServerOptions(resolveServerConfig({})).writeLingerMs).toBeUndefined();
    expect(() => resolveServerConfig({ writeLingerMs: '5000' } as never)).toThrow(/writeLingerMs/);
  });

  test('without INFLUX_URL the embedded store is used', () => {
    expect(toServerOptions(resolveServerConfig({})).influx).toBeUndefined();
  });
});
