import { describe, expect, test } from 'vitest';
import { runShort } from '../../bench/fault-study.ts';
import { healthSentence } from '../../dashboards/app/i18n/health-text.ts';
import { guessColumn } from '../../server/predictive/column-guess.ts';
import { judgeColumn } from '../../server/predictive/column-model.ts';
import { curveRows } from '../../server/predictive/curve-window.ts';
import { evaluateLiveCurve, feedLiveCurve, newLiveCurve } from '../../server/predictive/live-curve.ts';
import { analyzeReadings } from '../../server/predictive/offline-analysis.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-04-01T09:00:00Z');
const flowKind = guessColumn('flow.rate').kind;

/** A one-pump booster at 1 s: `minutes` of readings by meaning, with a fault from `faultAt` minutes on. */
function booster(
  seed: number,
  minutes: number,
  fault?: { at: number; name: string; params: Record<string, number | string> },
) {
  const state = createStationState({ seed, pumps: 1, nominalVoltage: 380, phases: 3, startTime: START });
  const rows: { at: number; values: Record<string, number> }[] = [];
  for (let s = 0; s < minutes * 60; s++) {
    if (fault && s === fault.at * 60) injectFault(state, { fault: fault.name, params: fault.params });
    stepStation(state, 1);
    const r = readings(state);
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') values[k] = v;
    rows.push({ at: START + state.time * 1000, values });
  }
  return rows;
}

const COLUMNS = ['pressure.outlet', 'pressure.inlet', 'flow.rate', 'pump[1].current_l1', 'pump[1].frequency'];
const analyze = (rows: ReturnType<typeof booster>) =>
  analyzeReadings({ timeColumn: 'time', columns: COLUMNS, rows, droppedRows: 0, droppedCells: 0 });

describe("judged against the pump's learned curve", () => {
  test('a healthy demand wander over half an hour moves the pump along its curve: nothing is flagged', () => {
    // Seeds whose flow wanders by a quarter or more within the run (they were flagged before the curve models).
    for (const seed of [1004, 1008, 1009, 1016, 1017, 1020]) {
      const rows = booster(seed, 30);
      const flows = rows.map((r) => r.values['flow.rate']!);
      expect(Math.max(...flows) / Math.min(...flows)).toBeGreaterThan(1.25);
      const out = analyze(rows);
      expect(out.episodes, `seed ${seed}`).toEqual([]);
      expect(out.columns.find((c) => c.column === 'pressure.outlet ~ curve')?.kind.kind).toBe('headRelation');
    }
  }, 120_000);

  test('a leak downstream is explained as a leak (flow up, head down or held along the curve), not as a sensor', () => {
    for (const seed of [1, 4, 14]) {
      const run = runShort(seed, 'leak_downstream');
      expect(run.detected, `seed ${seed}`).toBe(true);
      expect(run.falseBefore).toBe(false);
      expect(run.explanation, `seed ${seed}`).toBe('health.explain.leakDownstream');
    }
  }, 120_000);

  test('a worn impeller is head below the curve; a throttled valve slides along it; a drifting sensor is a sensor', () => {
    expect(runShort(2, 'impeller_wear').explanation).toBe('health.explain.headBelowCurve');
    expect(['health.explain.throttledOutlet', 'health.explain.alongCurveLow']).toContain(
      runShort(2, 'valve_throttled').explanation,
    );
    expect(runShort(2, 'sensor_drift').explanation).toBe('health.explain.sensorSuspect');
  }, 120_000);

  test('the explanations read in both languages', () => {
    expect(healthSentence('en', 'health.explain.headBelowCurve', { pct: 5, speedPct: 3 })).toMatch(
      /head 5% below the pump's own curve .* 3% faster/,
    );
    expect(healthSentence('zh-CN', 'health.explain.alongCurveLow', { pct: 30 })).toMatch(/流量骤降 30%/);
  });
});

describe('demand-following readings judged against where they just were', () => {
  const wander = (i: number) => 40 * (1 + 0.15 * Math.sin((2 * Math.PI * i) / 1800));
  test('a slow wander of a quarter is no episode; a step of a quarter is one, within a minute', () => {
    const slow = Array.from({ length: 1800 }, (_, i) => ({
      at: START + i * 1000,
      v: wander(i) + 0.2 * Math.sin(i * 7.1),
    }));
    expect(judgeColumn(slow, { kind: flowKind, windowDays: 7, local: 0.02 }).episodes).toEqual([]);
    const step = slow.map((p, i) => ({ at: p.at, v: p.v + (i >= 1200 ? 10 : 0) }));
    const [episode] = judgeColumn(step, { kind: flowKind, windowDays: 7, local: 0.02 }).episodes;
    expect(episode?.direction).toBe('high');
    expect(episode!.start - (START + 1200 * 1000)).toBeLessThan(60_000);
  });

  test('a gap in the readings restarts the baseline: the level after the gap is no episode', () => {
    const before = Array.from({ length: 900 }, (_, i) => ({
      at: START + i * 1000,
      v: 40 + 0.3 * Math.sin(i * 3.7),
    }));
    const after = Array.from({ length: 900 }, (_, i) => ({
      at: START + 3_600_000 + i * 1000,
      v: 52 + 0.3 * Math.sin(i * 3.7),
    }));
    const verdict = judgeColumn([...before, ...after], { kind: flowKind, windowDays: 7, local: 0.02 });
    expect(verdict.learning.status).toBe('learned');
    expect(verdict.episodes).toEqual([]);
  });

  test('a short file says too little data, and a 20-minute file learns and never flags its learning period', () => {
    const short = Array.from({ length: 25 }, (_, i) => ({ at: START + i * 1000, v: 40 }));
    const tooLittle = judgeColumn(short, { kind: flowKind, windowDays: 7, local: 0.02 });
    expect(tooLittle.learning.status).toBe('too_little_data');
    expect(tooLittle.episodes).toEqual([]);
    const out = analyze(booster(1001, 20));
    for (const c of out.columns) expect(c.learning).toMatch(/learned from \d+ bins/);
    const learnedUntil = Math.max(...out.columns.map((c) => Date.parse(c.learnedUntil!)));
    for (const e of out.episodes) expect(Date.parse(e.start)).toBeGreaterThan(learnedUntil - 300_000);
    expect(out.episodes).toEqual([]);
  }, 60_000);
});

describe('the curve models on the live stream', () => {
  test('learning at first; a healthy station has nothing to explain; a leak is explained while it lasts', () => {
    const curve = newLiveCurve();
    const rows = booster(1002, 150, { at: 120, name: 'leak_downstream', params: { m3h: 12 } });
    let evaluated = 0;
    let learningSeen = false;
    let healthyQuiet = true;
    for (const row of rows) {
      if (!feedLiveCurve(curve, row.at, row.values)) continue;
      const minute = Math.round((row.at - START) / 60_000);
      if (minute % 2 !== 0) continue;
      evaluateLiveCurve(curve, row.at);
      evaluated += 1;
      if (minute < 40) learningSeen ||= curve.status === 'learning';
      if (minute <= 120 && curve.explanations.length > 0) healthyQuiet = false;
    }
    expect(evaluated).toBeGreaterThan(60);
    expect(learningSeen).toBe(true);
    expect(healthyQuiet).toBe(true);
    expect(curve.status).toBe('judging');
    const active = curve.explanations.filter((x) => x.active);
    expect(active.map((x) => x.code)).toContain('health.explain.leakDownstream');
  }, 120_000);

  test('another number of pumps running is another curve, with its own window; the first resumes', () => {
    const curve = newLiveCurve();
    const onePump = { 'flow.rate': 40, 'pump[1].frequency': 48, 'pressure.outlet': 4 };
    const twoPumps = { 'flow.rate': 80, 'pump[1].frequency': 48, 'pump[2].frequency': 48 };
    for (let m = 0; m < 50; m++) feedLiveCurve(curve, START + m * 60_000, onePump);
    expect(curveRows(curve.window).length).toBe(49);
    feedLiveCurve(curve, START + 50 * 60_000, twoPumps);
    feedLiveCurve(curve, START + 51 * 60_000, twoPumps);
    expect(curveRows(curve.window).length).toBe(1);
    expect(evaluateLiveCurve(curve, START + 52 * 60_000)).toEqual([]);
    expect(curve.status).toBe('learning');
    // One pump again after a few minutes: its 50 minutes are judged again, the two-pump minutes kept aside.
    for (let m = 52; m < 56; m++) feedLiveCurve(curve, START + m * 60_000, twoPumps);
    for (let m = 56; m < 60; m++) feedLiveCurve(curve, START + m * 60_000, onePump);
    expect(curveRows(curve.window).length).toBe(53);
    expect(curveRows(curve.window).every((r) => r.running === 1)).toBe(true);
    expect(curve.others['2']?.length).toBe(6);
    evaluateLiveCurve(curve, START + 60 * 60_000);
    expect(curve.status).toBe('judging');
    // A window older than four hours is not resumed.
    for (let m = 60; m < 60 + 250; m++) feedLiveCurve(curve, START + m * 60_000, onePump);
    feedLiveCurve(curve, START + 311 * 60_000, twoPumps);
    feedLiveCurve(curve, START + 312 * 60_000, twoPumps);
    expect(curveRows(curve.window).length).toBe(1);
  });
});
