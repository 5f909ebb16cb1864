import { z } from 'zod';
import { ConfigFileError, loadConfigFileSync, validateConfig } from '../core/config/config-file.ts';
import { FAULT_NAMES, FAULT_PARAMS } from './model/faults.ts';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Seconds from a number of seconds or a text like '90s', '15m', '1h30m', '2d', '3w'; undefined if not one. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = [...text.matchAll(DURATION_PART)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}

const durationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration: seconds, or like 90s, 15m, 1h30m, 2d, 3w`,
    });
    return z.NEVER;
  }
  return seconds;
});

const eventSchema = z
  .object({
    /** Simulated time of the event since start (or since the start of each repeat). */
    at: durationSchema,
    fault: z.enum(FAULT_NAMES),
    pump: z.number().int().min(1).max(9).optional(),
    params: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
    /** Clear the fault instead of starting it. */
    clear: z.boolean().default(false),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.clear) return;
    const result = FAULT_PARAMS[event.fault].safeParse(event.params ?? {});
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message });
      }
    }
  });

export const stationScenarioSchema = z
  .object({
    /** Optional period: the events replay every `repeat` of simulated time (each `at` must be below it). */
    repeat: durationSchema.optional(),
    events: z.array(eventSchema).default([]),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    if (scenario.repeat === undefined) return;
    if (scenario.repeat < 1)
      ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'repeat must be at least 1s' });
    scenario.events.forEach((event, i) => {
      if (event.at >= scenario.repeat!) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'at'],
          message: `at ${event.at}s is not below repeat`,
        });
      }
    });
  });

export const scenarioFileSchema = z
  .object({
    description: z.string().optional(),
    /** Seed for every station's noise (overrides --seed). */
    seed: z.number().int().optional(),
    /** Simulated seconds per real second (overrides --speed). */
    speed: z.number().min(0).max(1_000_000).optional(),
    /** Stories by station id; the key '*' applies to stations not named. */
    stations: z.record(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9_-]*)$/), stationScenarioSchema),
  })
  .strict();

export type StationScenario = z.output<typeof stationScenarioSchema>;
export type ScenarioEvent = StationScenario['events'][number];
export type ScenarioFile = z.output<typeof scenarioFileSchema>;

/** A scenario file that cannot be used. Retrying does not help: the file must be fixed. */
export class ScenarioError extends ConfigFileError {
  override name = 'ScenarioError';
  constructor(file: string, problems: readonly string[]) {
    super(file, 'scenario', problems);
  }
}

const SCENARIO = {
  what: 'scenario',
  error: (file: string, problems: string[]) => new ScenarioError(file, problems),
};

export function parseScenario(data: unknown, source: string): ScenarioFile {
  return validateConfig(scenarioFileSchema, data, source, SCENARIO);
}

export function loadScenario(file: string): ScenarioFile {
  return loadConfigFileSync(file, scenarioFileSchema, SCENARIO);
}

/** The story of one station in a scenario file (its own, else the '*' one). */
export function scenarioFor(file: ScenarioFile, stationId: string): StationScenario | undefined {
  return file.stations[stationId] ?? file.stations['*'];
}

/** An event occurrence at a simulated time. */
export interface DueEvent {
  time: number;
  event: ScenarioEvent;
}

/** Event occurrences with `from < time <= to`, in time order (events of one time keep file order). */
export function eventsBetween(scenario: StationScenario, from: number, to: number): DueEvent[] {
  const due: DueEvent[] = [];
  for (const event of scenario.events) {
    if (scenario.repeat === undefined) {
      if (event.at > from && event.at <= to) due.push({ time: event.at, event });
      continue;
    }
    const period = scenario.repeat;
    const first = Math.max(0, Math.floor((from - event.at) / period) + 1);
    const last = Math.floor((to - event.at) / period);
    for (let k = first; k <= last; k++) due.push({ time: event.at + k * period, event });
  }
  return due.sort((a, b) => a.time - b.time);
}
