import { expect, test } from 'vitest';
import { classifyMessage } from '../../server/ingest/classify.ts';
import { GENERATORS, generateBadCases, goodTelemetry, telemetryTopic } from './bad-payloads.ts';

// The generator's promise, checked against the server's own classifier: every case is refused
// for the reason the fuzz run will count it under.
test('every generated bad payload is refused for its stated reason', () => {
  const cases = generateBadCases(10_000, 42);
  const mismatches = cases
    .map((c, i) => ({ i, kind: c.kind, want: c.reason, got: classifyMessage(c.topic, c.payload) }))
    .filter(({ want, got }) => got.kind !== 'bad' || got.reason !== want)
    .slice(0, 5);
  expect(mismatches).toEqual([]);
  expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(Object.keys(GENERATORS)));
});

test('the good message the fuzz run sends beside them is accepted', () => {
  const classified = classifyMessage(
    telemetryTopic('st1'),
    Buffer.from(JSON.stringify(goodTelemetry('st1', 3, Date.now()))),
  );
  expect(classified.kind).toBe('telemetry');
});
