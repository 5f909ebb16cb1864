import { z } from 'zod';
import { idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/** Health scores, indicator trends and anomaly episodes of the predictive models. */

export const healthDriverSchema = z.object({
  indicator: z.string(),
  pump: z.number().nullable(),
  score: z.number(),
  reason: z.string().describe("Why the score is what it is, in an operator's words"),
  /** `reason` as a core/i18n code with its parameters. */
  reasonCode: z.string().optional(),
  reasonParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const TREND_STATUSES = ['too_little_data', 'stable', 'degrading', 'crossed'] as const;

export const predictionSchema = z.object({
  status: z.enum(TREND_STATUSES),
  note: z.string(),
  points: z.number(),
  slopePerDay: z.number().nullable(),
  level: z.number().nullable(),
  threshold: z.number().nullable(),
  progress: z.number().nullable(),
  model: z.enum(['linear', 'exponential']).nullable(),
  daysToThreshold: z.number().nullable(),
  bandDays: z.object({ low: z.number(), high: z.number().nullable() }).nullable(),
  crossingAt: z.number().nullable(),
  significant: z.boolean(),
  actionable: z.boolean(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const indicatorViewSchema = z.object({
  key: z.string(),
  indicator: z.string(),
  label: z.string(),
  unit: z.string(),
  pump: z.number().nullable(),
  value: z.number().nullable(),
  at: z.number().nullable(),
  zone: z.string().optional(),
  baseline: z.number().nullable(),
  learning: z.boolean(),
  z: z.number().nullable(),
  anomalous: z.boolean(),
  prediction: predictionSchema.nullable(),
  hours: z.number().describe('Hourly medians held'),
});

const pumpHealth = z.object({ pump: z.number(), score: z.number(), driver: healthDriverSchema.nullable() });

export const episodeSchema = z.object({
  start: z.number(),
  end: z.number(),
  indicator: z.string(),
  pump: z.number().nullable(),
  score: z.number(),
  direction: z.enum(['high', 'low']),
});

export const healthScoresSchema = z.object({
  stations: z.array(
    z.object({
      site: z.string(),
      station: z.string(),
      score: z.number(),
      driver: healthDriverSchema.nullable(),
      updatedAt: z.number().nullable(),
      pumps: z.array(pumpHealth),
    }),
  ),
});

export const stationIndicatorsSchema = z.object({
  site: z.string(),
  station: z.string(),
  at: z.number().nullable(),
  health: z.object({ score: z.number(), driver: healthDriverSchema.nullable(), pumps: z.array(pumpHealth) }),
  indicators: z.array(indicatorViewSchema),
  episodes: z.array(episodeSchema).describe('The 50 most recent by end'),
  curve: z
    .object({
      status: z.enum(['learning', 'judging']),
      evaluatedAt: z.number().nullable(),
      explanations: z.array(
        z.object({
          start: z.number(),
          end: z.number(),
          code: z.string().describe('health.explain.* (texts in both languages in the catalogues)'),
          params: z.record(z.string(), z.union([z.string(), z.number()])),
          columns: z.array(z.string()),
          active: z.boolean(),
        }),
      ),
    })
    .describe("The pump-curve models on the live stream: what moved off the pumps' learned curve, explained"),
});

export const healthScores = defineContract({
  method: 'GET',
  path: '/api/health-scores',
  summary: 'Health score of every station and pump, with what drives it',
  access: 'signed-in',
  status: 200,
  response: healthScoresSchema,
});
export const stationIndicators = defineContract({
  method: 'GET',
  path: '/api/stations/:id/indicators',
  summary: "A station's health indicators, their trends and anomaly episodes",
  access: 'signed-in',
  params: z.object({ id: idSchema }),
  query: z.object({ site: idSchema.optional() }),
  status: 200,
  response: stationIndicatorsSchema,
});
