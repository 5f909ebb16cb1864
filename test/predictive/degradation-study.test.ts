import { expect, test } from 'vitest';
import { runDegradationStudy } from '../../bench/degradation-study.ts';

const seeds = Array.from({ length: 20 }, (_, i) => i + 1);

test('bearing wear and insulation decay are flagged at least 7 simulated days before the alarm (20 seeds)', () => {
  const study = runDegradationStudy({
    seeds,
    scenarios: ['bearing_wear', 'insulation_decay'],
    // Two-minute readings: half the cost of the 60 s default, same physics (the model integrates every 60 s).
    stepSeconds: 120,
  });
  console.log('predictive lead times (days before the alarm threshold):');
  console.table(
    study.cases.map((c) => ({
      scenario: c.scenario,
      seed: c.seed,
      parameter: c.parameter,
      alarmDay: c.alarmDay,
      flaggedDay: c.flaggedDay,
      leadDays: c.leadDays,
      predictedDays: c.predictedDays,
      band: c.bandDays ? `${c.bandDays.low.toFixed(1)}-${c.bandDays.high?.toFixed(1) ?? 'inf'}` : '',
    })),
  );
  console.log(JSON.stringify(study.summary));
  expect(study.cases).toHaveLength(40);
  for (const c of study.cases) {
    expect(c.alarmDay, `${c.scenario} seed ${c.seed} reached its alarm`).not.toBeNull();
    expect(c.leadDays, `${c.scenario} seed ${c.seed} lead`).not.toBeNull();
    expect(c.leadDays!).toBeGreaterThanOrEqual(7);
  }
}, 400_000);

test('healthy stations over a simulated year open at most one false predictive ticket each', () => {
  // A simulated year costs ~5 s of model time per station on this machine; bench/ can run all 20 seeds.
  const study = runDegradationStudy({
    seeds: [101, 102, 103],
    scenarios: ['healthy'],
    healthyDays: 365,
    healthyStepSeconds: 600,
  });
  console.log('false predictive tickets per healthy station over a year:');
  console.table(
    study.healthy.map((h) => ({
      seed: h.seed,
      days: h.days,
      falseTickets: h.falseTickets,
      on: h.indicators.join(' '),
    })),
  );
  expect(study.healthy).toHaveLength(3);
  for (const h of study.healthy) expect(h.falseTickets).toBeLessThanOrEqual(1);
}, 400_000);
