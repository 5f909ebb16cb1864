import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCsvReadings, parseTimestamp, splitCsvLine } from '../../server/predictive/csv-readings.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'aftercare.js');
const START = Date.parse('2026-01-01T00:00:00Z');
let dir = '';

/** A CSV export of a simulated station: 5-minute rows, bearing wear on pump 1 from day 0 (worn out in 4 weeks). */
function simulatedCsv(days: number): string {
  const state = createStationState({ seed: 7, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
  injectFault(state, { fault: 'bearing_wear', pump: 1, params: { weeks: 4 } });
  const columns = [
    'pump[1].running',
    'pump[1].frequency',
    'pump[1].bearing_vibration',
    'pump[1].current_l1',
    'pump[1].current_l2',
    'pump[1].current_l3',
    'pump[1].winding_temperature',
    'ambient.temperature',
    'insulation.resistance',
  ];
  const lines = [['timestamp', ...columns].join(',')];
  for (let i = 0; i < (days * 86_400) / 300; i++) {
    stepStation(state, 300);
    const r = readings(state);
    lines.push(
      [new Date(START + state.time * 1000).toISOString(), ...columns.map((c) => String(r[c]))].join(','),
    );
  }
  return lines.join('\n');
}

async function analyze(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'analyze', ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-analyze-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CSV parsing', () => {
  test.each([
    { line: 'a,b,c', cells: ['a', 'b', 'c'] },
    { line: '"x,y",2', cells: ['x,y', '2'] },
    { line: '"say ""hi""",3', cells: ['say "hi"', '3'] },
    { line: 'a,,c', cells: ['a', '', 'c'] },
  ])('split $line', ({ line, cells }) => {
    expect(splitCsvLine(line)).toEqual(cells);
  });

  test.each([
    { text: '2026-01-01T00:00:00Z', ms: START },
    { text: String(START / 1000), ms: START },
    { text: String(START), ms: START },
    { text: 'yesterday', ms: undefined },
    { text: '', ms: undefined },
  ])('timestamp $text', ({ text, ms }) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  test('rows without a timestamp and cells that are not numbers are dropped and counted', () => {
    const csv = parseCsvReadings(
      'time,a,pump[1].running\n2026-01-01T00:00:00Z,1,1\nnope,2,0\n2026-01-01T00:01:00Z,x,0\n',
    );
    expect(csv).toMatchObject({
      timeColumn: 'time',
      columns: ['a', 'pump[1].running'],
      droppedRows: 1,
      droppedCells: 1,
    });
    expect(csv.rows[0]!.values).toEqual({ a: 1, 'pump[1].running': true });
  });

  test.each([
    { text: '', error: /header line and at least one row/ },
    { text: 'timestamp\n2026-01-01T00:00:00Z', error: /only the timestamp column/ },
    { text: 'timestamp,a\nlater,1', error: /no row has a readable timestamp/ },
  ])('refused: $error', ({ text, error }) => {
    expect(() => parseCsvReadings(text)).toThrow(error);
  });
});

describe('aftercare analyze', () => {
  test('a wearing bearing: a vibration episode and a predicted crossing with its band (--json)', async () => {
    const file = join(dir, 'st2.csv');
    await writeFile(file, simulatedCsv(18));
    const { code, stdout, stderr } = await analyze(file, '--json');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as {
      episodes: { start: string; end: string; indicator: string; score: number }[];
      estimates: { indicator: string; status: string; daysToThreshold: number | null; bandDays: unknown }[];
    };
    const vibration = out.episodes.filter((e) => e.indicator === 'pump[1].vibration');
    expect(vibration.length).toBeGreaterThan(0);
    for (const e of out.episodes) {
      expect(new Date(e.start).toISOString()).toBe(e.start);
      expect(new Date(e.end).toISOString()).toBe(e.end);
      expect(e.score).toBeGreaterThan(0);
    }
    const estimate = out.estimates.find((e) => e.indicator === 'pump[1].vibration');
    expect(estimate?.status).toBe('degrading');
    // The default class (group 2 rigid) is in zone D (4.5 mm/s) at ~70% of the 4 weeks' wear, day ~20;
    // the export ends at day 18.
    expect(estimate!.daysToThreshold!).toBeGreaterThan(0.5);
    expect(estimate!.daysToThreshold!).toBeLessThan(5);
    expect(estimate!.bandDays).not.toBeNull();

    // A group 1 pump on a flexible foundation reaches its zone D (11 mm/s) only at the end, day 28.
    const flexible = await analyze(file, '--json', '--machine-class', 'group1_flexible');
    expect(flexible.code, flexible.stderr).toBe(0);
    const later = (JSON.parse(flexible.stdout) as typeof out).estimates.find(
      (e) => e.indicator === 'pump[1].vibration',
    );
    expect(later?.status).toBe('degrading');
    expect(later!.daysToThreshold!).toBeGreaterThan(estimate!.daysToThreshold! + 2);
    expect(later!.daysToThreshold!).toBeLessThan(14);
    const wrong = await analyze(file, '--machine-class', 'group3');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--machineClass: .*group2_rigid/);
  }, 180_000);

  test('plain columns: a step is an episode; too little data is said plainly; text output', async () => {
    const lines = ['time,pressure_bar,bearing_temp'];
    for (let i = 0; i < 600; i++) {
      const at = START + i * 60_000;
      const pressure = (i >= 300 && i < 360 ? 5.5 : 4) + 0.01 * Math.sin(i);
      lines.push(`${at},${pressure.toFixed(3)},${(60 + 0.05 * Math.cos(i)).toFixed(3)}`);
    }
    const file = join(dir, 'plain.csv');
    await writeFile(file, lines.join('\n'));
    const json = await analyze(file, '--json', '--threshold', 'bearing_temp=90');
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as {
      episodes: { indicator: string }[];
      estimates: { indicator: string; status: string; trend: string | null; note: string }[];
    };
    expect(out.episodes.map((e) => e.indicator)).toEqual(['pressure_bar']);
    // Ten hours of a flat temperature: a flat trend, no time to its threshold.
    const temp = out.estimates.find((e) => e.indicator === 'bearing_temp');
    expect(temp).toMatchObject({ status: 'stable', trend: 'flat', daysToThreshold: null });
    const text = await analyze(file);
    expect(text.stdout).toMatch(/episodes \(1\):/);
    expect(text.stdout).toMatch(/pressure_bar {2}high {2}score/);
    expect(text.stdout).toMatch(/bearing_temp: stable \(flat\)/);
    expect(text.stdout).toMatch(/pressure_bar: guessed pressure\.outlet \(bar\), pressure; learned from/);
  }, 180_000);

  test('a file that is not a readings CSV gets a clear error and exit code 2', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'just one line');
    const { code, stderr } = await analyze(file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.csv: the CSV needs a header line/);
    const missing = await analyze(join(dir, 'missing.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
  }, 180_000);
});
