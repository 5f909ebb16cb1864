import { describe, expect, test } from 'vitest';
import { telemetrySchema } from '../../core/telemetry/payloads.ts';
import { parseTopic, topics } from '../../core/telemetry/topics.ts';

describe('topics', () => {
  test.each([
    [topics.telemetry('plant-a', 'st1'), { kind: 'telemetry', site: 'plant-a', station: 'st1' }],
    [topics.events('plant-a', 'st1'), { kind: 'events', site: 'plant-a', station: 'st1' }],
    [topics.edgeStatus('plant-a', 'edge-1'), { kind: 'edgeStatus', site: 'plant-a', edgeId: 'edge-1' }],
    ['aftercare/v1/plant-a/st1/unknown', undefined],
    ['aftercare/v2/plant-a/st1/telemetry', undefined],
    ['aftercare/v1/plant+a/st1/telemetry', undefined],
    ['aftercare/v1/plant-a/st1/telemetry/extra', undefined],
    ['aftercare/v1//st1/telemetry', undefined],
  ])('%s', (topic, expected) => {
    expect(parseTopic(topic)).toEqual(expected);
  });
});

describe('telemetry payload schema', () => {
  const good = {
    v: 1,
    site: 'plant-a',
    station: 'st1',
    edge: 'edge-1',
    model: 'booster-3p-380',
    seq: 7,
    ts: Date.UTC(2026, 10, 26),
    state: 'ok',
    values: { 'pressure.outlet': { v: 4.1, q: 'good' }, 'pump[1].running': { v: true, q: 'good' } },
  };

  test('accepts a good payload', () => {
    expect(telemetrySchema.parse(good)).toEqual(good);
  });

  test.each([
    ['NaN value', { values: { x: { v: Number.NaN, q: 'good' } } }],
    ['Infinity value', { values: { x: { v: Number.POSITIVE_INFINITY, q: 'good' } } }],
    ['unknown quality', { values: { x: { v: 1, q: 'fine' } } }],
    ['far-future timestamp', { ts: Date.UTC(2200, 0, 1) }],
    ['far-past timestamp', { ts: 0 }],
    ['negative seq', { seq: -1 }],
    ['string seq', { seq: '7' }],
    ['station with a slash', { station: 'a/b' }],
    ['unknown field', { extra: true }],
  ])('refuses %s', (_name, patch) => {
    expect(telemetrySchema.safeParse({ ...good, ...patch }).success).toBe(false);
  });
});
