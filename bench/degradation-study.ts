import { type PredictiveConfigInput, predictiveConfigSchema } from '../server/predictive/config.ts';
import { opensPredictiveTicket } from '../server/predictive/evidence.ts';
import { feedStation, newStationModel } from '../server/predictive/station-model.ts';
import { injectFault } from '../simulators/model/inject.ts';
import { readings } from '../simulators/model/readings.ts';
import { createStationState, stepStation } from '../simulators/model/step.ts';

const DAY = 86_400_000;

/** Options of the accelerated-time study. */
export interface DegradationStudyOptions {
  /** Seeds, one station per seed and scenario. Default 1..20. */
  seeds?: number[];
  /** Simulated seconds per step. Default 60. */
  stepSeconds?: number;
  /** Simulated seconds per step of the healthy year (the model still integrates every 60 s). Default 300. */
  healthyStepSeconds?: number;
  /** Days a healthy station runs. Default 365. */
  healthyDays?: number;
  /** Most days a degrading station runs before the study gives up on it. Default 120. */
  maxDays?: number;
  /** Model settings. Default the predictive defaults. */
  config?: PredictiveConfigInput;
  /** Insulation alarm level on the raw reading, MΩ (the alarm rules' default). Default 1. */
  insulationAlarmMohm?: number;
  /** Which scenarios to run. Default all three. */
  scenarios?: ('bearing_wear' | 'insulation_decay' | 'healthy')[];
}

export interface DegradationCase {
  scenario: 'bearing_wear' | 'insulation_decay';
  seed: number;
  /** The fault's parameter (weeks of bearing life, or tau in days). */
  parameter: number;
  /** Simulated day the alarm threshold was first crossed (null: not within maxDays). */
  alarmDay: number | null;
  /** Simulated day the predictive ticket opened (null: never). */
  flaggedDay: number | null;
  /** alarmDay - flaggedDay. */
  leadDays: number | null;
  /** Estimate when the ticket opened, and its band. */
  predictedDays: number | null;
  bandDays: { low: number; high: number | null } | null;
}

export interface HealthyCase {
  seed: number;
  days: number;
  falseTickets: number;
  indicators: string[];
}

export interface DegradationStudy {
  cases: DegradationCase[];
  healthy: HealthyCase[];
  summary: {
    bearing: { cases: number; minLeadDays: number | null; medianLeadDays: number | null; missed: number };
    insulation: { cases: number; minLeadDays: number | null; medianLeadDays: number | null; missed: number };
    healthy: { stations: number; maxFalseTicketsPerStation: number; totalFalseTickets: number };
    elapsedMs: number;
  };
}

const START = Date.parse('2026-01-01T00:00:00Z');

function station(seed: number) {
  return createStationState({ seed, pumps: 3, nominalVoltage: 380, phases: 3, startTime: START });
}

/**
 * Runs the pure simulator in accelerated time and feeds its readings through the health and prediction
 * pipeline: bearing wear and insulation decay must open a predictive ticket well before the alarm,
 * healthy stations almost never.
 */
export function runDegradationStudy(options: DegradationStudyOptions = {}): DegradationStudy {
  const began = performance.now();
  const seeds = options.seeds ?? Array.from({ length: 20 }, (_, i) => i + 1);
  const step = options.stepSeconds ?? 60;
  const healthyStep = options.healthyStepSeconds ?? 300;
  const config = predictiveConfigSchema.parse(options.config ?? {});
  const scenarios = new Set(options.scenarios ?? ['bearing_wear', 'insulation_decay', 'healthy']);
  const zoneD = config.vibrationZones.cd;
  const insulationAlarm = options.insulationAlarmMohm ?? 1;
  const maxDays = options.maxDays ?? 120;
  const cases: DegradationCase[] = [];
  const healthy: HealthyCase[] = [];

  const run = (
    seed: number,
    days: number,
    inject: ((s: ReturnType<typeof station>) => void) | undefined,
    alarmed: (s: ReturnType<typeof station>) => boolean,
    watch: string | undefined,
    step: number,
  ) => {
    const state = station(seed);
    inject?.(state);
    const model = newStationModel();
    const opened = new Map<
      string,
      { at: number; days: number | null; band: { low: number; high: number | null } | null }
    >();
    let alarmAt: number | null = null;
    const steps = Math.ceil((days * 86_400) / step);
    for (let i = 0; i < steps; i++) {
      stepStation(state, step);
      const at = START + Math.round(state.time * 1000);
      // Once the watched indicator is flagged only the alarm is awaited: the pipeline has done its part.
      if (watch === undefined || !opened.has(watch)) {
        const change = feedStation(model, at, readings(state), config);
        for (const { key, prediction } of change.predictions) {
          const t = model.tracks[key]!;
          if (!opened.has(key) && opensPredictiveTicket(prediction, t.actionableStreak, config)) {
            opened.set(key, { at, days: prediction.daysToThreshold, band: prediction.bandDays });
          }
        }
      }
      if (alarmAt === null && alarmed(state)) alarmAt = at;
      if (watch !== undefined && alarmAt !== null && (opened.has(watch) || at - alarmAt > DAY)) break;
    }
    return { opened, alarmAt };
  };

  for (const seed of seeds) {
    if (scenarios.has('bearing_wear')) {
      const weeks = 3 + (seed % 4);
      const { opened, alarmAt } = run(
        seed,
        maxDays,
        (s) => injectFault(s, { fault: 'bearing_wear', pump: 1, params: { weeks } }),
        (s) => s.pumps[0]!.running && s.pumps[0]!.measured.vibration >= zoneD,
        'pump[1].vibration',
        step,
      );
      cases.push(caseOf('bearing_wear', seed, weeks, alarmAt, opened.get('pump[1].vibration')));
    }
    if (scenarios.has('insulation_decay')) {
      const tauDays = 6 + (seed % 5);
      const { opened, alarmAt } = run(
        seed,
        maxDays,
        (s) => injectFault(s, { fault: 'insulation_decay', params: { tauDays } }),
        (s) => s.measured.insulationMohm < insulationAlarm,
        'insulation_r40',
        step,
      );
      cases.push(caseOf('insulation_decay', seed, tauDays, alarmAt, opened.get('insulation_r40')));
    }
    if (scenarios.has('healthy')) {
      const days = options.healthyDays ?? 365;
      const { opened } = run(seed, days, undefined, () => false, undefined, healthyStep);
      healthy.push({ seed, days, falseTickets: opened.size, indicators: [...opened.keys()] });
    }
  }
  return { cases, healthy, summary: summarise(cases, healthy, performance.now() - began) };
}

function caseOf(
  scenario: DegradationCase['scenario'],
  seed: number,
  parameter: number,
  alarmAt: number | null,
  flag: { at: number; days: number | null; band: { low: number; high: number | null } | null } | undefined,
): DegradationCase {
  const day = (at: number) => Math.round(((at - START) / DAY) * 100) / 100;
  const alarmDay = alarmAt === null ? null : day(alarmAt);
  const flaggedDay = flag ? day(flag.at) : null;
  return {
    scenario,
    seed,
    parameter,
    alarmDay,
    flaggedDay,
    leadDays:
      alarmDay !== null && flaggedDay !== null ? Math.round((alarmDay - flaggedDay) * 100) / 100 : null,
    predictedDays: flag?.days == null ? null : Math.round(flag.days * 100) / 100,
    bandDays: flag?.band ?? null,
  };
}

function summarise(
  cases: DegradationCase[],
  healthy: HealthyCase[],
  elapsedMs: number,
): DegradationStudy['summary'] {
  const of = (scenario: DegradationCase['scenario']) => {
    const mine = cases.filter((c) => c.scenario === scenario);
    const leads = mine
      .map((c) => c.leadDays)
      .filter((v) => v !== null)
      .sort((a, b) => a - b);
    return {
      cases: mine.length,
      minLeadDays: leads[0] ?? null,
      medianLeadDays: leads.length > 0 ? leads[leads.length >> 1]! : null,
      missed: mine.filter((c) => c.leadDays === null || c.leadDays < 0).length,
    };
  };
  return {
    bearing: of('bearing_wear'),
    insulation: of('insulation_decay'),
    healthy: {
      stations: healthy.length,
      maxFalseTicketsPerStation: Math.max(0, ...healthy.map((h) => h.falseTickets)),
      totalFalseTickets: healthy.reduce((a, h) => a + h.falseTickets, 0),
    },
    elapsedMs: Math.round(elapsedMs),
  };
}
