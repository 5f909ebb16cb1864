import pino from 'pino';
import { expect, test } from 'vitest';
import { OutageLog } from '../../server/ingest/outage-log.ts';

test('a store outage is one line when it begins and one when it ends, with counts', () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  let now = 1_000;
  const outage = new OutageLog(logger, 'telemetry store', () => now);
  outage.succeeded();
  // 1,000 held messages, each failing three times, while InfluxDB is down for 60 s.
  for (let attempt = 0; attempt < 3; attempt++)
    for (let message = 0; message < 1000; message++)
      outage.failed(new Error('connect ECONNREFUSED 127.0.0.1:8086'), attempt === 0);
  now += 60_000;
  outage.succeeded();
  outage.succeeded();
  expect(lines.map((line) => line.msg)).toEqual([
    'telemetry store outage began: acknowledgements are held until it works',
    'telemetry store outage ended',
  ]);
  expect(lines[1]).toMatchObject({ durationMs: 60_000, failedWrites: 3000, heldMessages: 1000 });
  expect(JSON.stringify(lines)).not.toContain('stack');
});
