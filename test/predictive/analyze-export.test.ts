import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Analysis } from '../../server/predictive/offline-analysis.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'aftercare.js');
const START = Date.parse('2026-02-10T08:00:00Z');
const FAULT = START + 10 * 60_000;
let dir = '';

/** Deterministic noise, roughly normal with sigma 1. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      sum += s / 2 ** 32;
    }
    return (sum - 2) / 0.577;
  };
}

/**
 * A SCADA export of one booster pump at 1 s for 20 minutes, times without a zone: ten minutes
 * normal (demand wandering slowly around 42 m3/h), then the outlet valve closes over 20 s: the pump
 * rides up its curve, flow down to 12 m3/h, outlet pressure up 0.9 bar, shaft power down 3.5 kW.
 */
function valveCsv(): string {
  const e = noise(11);
  const lines = ['Time,PT-201 Outlet pressure (bar),FT-201 Flow (m3/h),P1 Power (kW),P1 speed (rpm)'];
  let wander = 0;
  for (let s = 0; s < 20 * 60; s++) {
    const at = START + s * 1000;
    wander = 0.98 * wander + 0.2 * e();
    const closed = Math.min(1, Math.max(0, (at - FAULT) / 20_000));
    const flow = 42 + wander - 30 * closed + 0.3 * e();
    const pressure = 5.0 - 0.004 * wander + 0.9 * closed + 0.01 * e();
    const power = 11 + 0.08 * wander - 3.5 * closed + 0.05 * e();
    const time = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(
      `${time},${pressure.toFixed(3)},${flow.toFixed(2)},${power.toFixed(2)},${(2900 + e()).toFixed(0)}`,
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
  dir = await mkdtemp(join(tmpdir(), 'aftercare-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aftercare analyze on a real-looking export', () => {
  test('a valve closing after ten minutes at 1 s: flagged inside the fault within minutes, nothing before', async () => {
    const file = join(dir, 'valve.csv');
    await writeFile(file, valveCsv());
    const { code, stdout, stderr } = await analyze(file, '--json');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as Analysis;
    for (const e of out.episodes) expect(Date.parse(e.start), e.indicator).toBeGreaterThanOrEqual(FAULT);
    const first = (column: string, direction: 'high' | 'low') =>
      out.episodes.find((e) => e.indicator === column && e.direction === direction);
    for (const [column, direction] of [
      ['FT-201 Flow (m3/h)', 'low'],
      ['PT-201 Outlet pressure (bar)', 'high'],
      ['P1 Power (kW)', 'low'],
    ] as const) {
      const episode = first(column, direction);
      expect(episode, column).toBeDefined();
      expect(Date.parse(episode!.start) - FAULT, column).toBeLessThan(2 * 60_000);
    }
    expect(out.episodes.some((e) => e.indicator === 'P1 speed (rpm)')).toBe(false);
    // The three moves together are one event: the pump riding up its curve against the valve.
    expect(out.explanations).toHaveLength(1);
    expect(out.explanations[0]!.code).toBe('health.explain.throttledOutlet');
    expect(out.explanations[0]!.params.flowPct).toBeGreaterThan(50);
    expect(out.explanations[0]!.params.headPct).toBeGreaterThan(10);
    expect(out.columns.map((c) => [c.column, c.kind.kind, c.meaning])).toEqual([
      ['PT-201 Outlet pressure (bar)', 'pressure', 'pressure.outlet'],
      ['FT-201 Flow (m3/h)', 'flow', 'flow.rate'],
      ['P1 Power (kW)', 'power', 'pump[1].power'],
      ['P1 speed (rpm)', 'speed', 'pump[1].speed'],
      ['P1 Power (kW) ~ FT-201 Flow (m3/h)', 'powerRelation', null],
      ['P1 speed (rpm) ~ FT-201 Flow (m3/h)', 'speedRelation', null],
      ['PT-201 Outlet pressure (bar) ~ curve', 'headRelation', null],
    ]);
  }, 180_000);

  test('--map names a column by meaning; the report says what was mapped and what was guessed', async () => {
    const file = join(dir, 'valve-map.csv');
    await writeFile(file, valveCsv());
    const { code, stdout, stderr } = await analyze(file, '--map', 'FT-201 Flow (m3/h)=flow.rate');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/FT-201 Flow \(m3\/h\): mapped flow\.rate, flow;/);
    expect(stdout).toMatch(/PT-201 Outlet pressure \(bar\): guessed pressure\.outlet \(bar\), pressure;/);
    expect(stdout).toMatch(/P1 speed \(rpm\): guessed pump\[1\]\.speed \(rpm\), speed;/);
    expect(stdout).toMatch(/P1 speed \(rpm\) ~ flow\.rate: the residual of its learned relation to the flow/);
    expect(stdout).toMatch(/flow\.rate {2}low/);
    expect(stdout).toMatch(
      /the pump rides up its curve against a closed or throttled valve downstream {2}\[health\.explain\.throttledOutlet\]/,
    );
    const bad = await analyze(file, '--map', 'FT-201 Flow (m3/h)=flow.speed');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--map: unknown meaning "flow.speed"/);
    const missing = await analyze(file, '--map', 'FT-999=flow.rate');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no column "FT-999"/);
  }, 180_000);

  test('a year of hourly readings with a month missing: the gap is no episode, a slow rise is a trend', async () => {
    const e = noise(5);
    const lines = ['timestamp,motor winding temperature'];
    for (let h = 0; h < 365 * 24; h++) {
      const day = h / 24;
      if (day >= 120 && day < 150) continue;
      // Daily load cycle; from day 300 the winding runs 0.1 K a day warmer (a cooling fan wearing).
      const temp =
        70 + 3 * Math.sin((2 * Math.PI * h) / 24) + (day > 300 ? 0.1 * (day - 300) : 0) + 0.3 * e();
      lines.push(`${START / 1000 + h * 3600},${temp.toFixed(2)}`);
    }
    const file = join(dir, 'year.csv');
    await writeFile(file, lines.join('\n'));
    const { code, stdout, stderr } = await analyze(
      file,
      '--json',
      '--threshold',
      'motor winding temperature=90',
    );
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as Analysis;
    for (const ep of out.episodes) expect(Date.parse(ep.start)).toBeGreaterThan(START + 300 * 86_400_000);
    const estimate = out.estimates.find((x) => x.indicator === 'motor winding temperature');
    expect(estimate).toMatchObject({ trend: 'rising', status: 'degrading' });
    // 70 + 6.5 K at the end, 13.5 K left at 0.1 K a day: about 135 days.
    expect(estimate!.daysToThreshold!).toBeGreaterThan(80);
    expect(estimate!.daysToThreshold!).toBeLessThan(250);
  }, 180_000);
});
