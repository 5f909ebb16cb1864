import { z } from 'zod';
import { DEFAULT_MACHINE_CLASS, ISO_10816_3_CLASSES } from '../../core/standards/iso-10816-3.ts';

/** Settings of the health and prediction models, each with its default. */
export const predictiveConfigSchema = z
  .object({
    /**
     * ISO 10816-3 zone boundaries of the pumps, mm/s RMS. The server takes them from each site's
     * thresholds (its machine class), so the health models and the vibration alarms agree. Default
     * group2_rigid's.
     */
    vibrationZones: z
      .object({ ab: z.number().positive(), bc: z.number().positive(), cd: z.number().positive() })
      .refine((z) => z.ab < z.bc && z.bc < z.cd, 'zone boundaries must rise: ab < bc < cd')
      .default({ ...ISO_10816_3_CLASSES[DEFAULT_MACHINE_CLASS] }),
    /** IEEE 43 winding kind for the minimum insulation resistance. Default below_1kv (5 MΩ at 40 °C). */
    winding: z.enum(['below_1kv', 'form_wound', 'pre_1970']).default('below_1kv'),
    /** Winding temperature rise over ambient that is an alarm, K (IEC 60034-1 class B limit). Default 80. */
    temperatureRiseAlarmK: z.number().positive().default(80),
    /** Phase current imbalance alarm, % (NEMA MG 1 expects 6-10x the voltage imbalance). Default 10. */
    currentImbalanceAlarmPct: z.number().positive().default(10),
    /** Supply voltage imbalance alarm, % (as the alarm rules). Default 2. */
    voltageImbalanceAlarmPct: z.number().positive().default(2),
    /** Leakage current alarm, mA (a 30 mA RCD's trip level). Default 30. */
    leakageAlarmMa: z.number().positive().default(30),
    /** Hydraulic efficiency proxy alarm: this many percent below its healthy baseline. Default 15. */
    efficiencyDropPct: z.number().positive().max(100).default(15),
    /** Starts per hour that wear a motor (typical limit of a 7.5 kW motor). Default 12. */
    startsPerHourAlarm: z.number().positive().default(12),
    /** A predicted crossing closer than this opens a predictive ticket, days. Default 14. */
    leadTimeDays: z.number().positive().default(14),
    /** Sliding window of the trend fit, days of hourly medians. Default 7. */
    windowDays: z.number().positive().default(7),
    /**
     * Fewest hourly medians in the window before anything is predicted. Default 48: two daily demand
     * cycles, so a day's swing of the operating point is not read as a trend.
     */
    minHours: z.number().int().min(3).default(48),
    /** Width of the speed bands the baselines are learned in, Hz. Default 2.5. */
    speedBandHz: z.number().positive().default(2.5),
    /**
     * Bands of flow per running pump the efficiency baselines are learned in: each spans this ratio
     * (1.25: 8-10, 10-12.5, 12.5-15.6 m3/h ...), so they suit a station of any size. Default 1.25.
     */
    flowBandRatio: z.number().gt(1).default(1.25),
    /** A pump below this frequency is starting or stopping: not a comparable operating point. Default 30 Hz. */
    minRunningHz: z.number().min(0).default(30),
    /** Baselines learn from the first days of data; bands seen later borrow the nearest one. Default 3. */
    baselineDays: z.number().positive().default(3),
    /** Samples a speed band needs for its baseline. Default 120. */
    baselineSamples: z.number().int().min(5).default(120),
    /** Samples closer together than this are one sample (1 s telemetry and 60 s studies agree). Default 60 s. */
    sampleSpacingMs: z.number().int().min(0).default(60_000),
    /** Time constant of the anomaly EWMA, ms. Default 15 min. */
    anomalyTauMs: z
      .number()
      .positive()
      .default(15 * 60_000),
    /** |EWMA of robust z| that starts an anomaly episode and ends it. Defaults 4 and 2. */
    anomalyOnZ: z.number().positive().default(4),
    anomalyOffZ: z.number().positive().default(2),
    /** Shortest episode reported, ms. Default 10 min. */
    anomalyMinMs: z
      .number()
      .int()
      .min(0)
      .default(10 * 60_000),
    /** Share of the way from baseline to threshold an indicator must have moved before a ticket. Default 0.05. */
    minProgress: z.number().min(0).max(1).default(0.05),
    /**
     * A prediction opens a ticket only if it reaches at most this many times as far ahead as the
     * data it rests on spans: a day or two of an intermittently running pump's data, with its daily
     * cycle, is no basis for a two-week forecast. Default 3.
     */
    maxExtrapolation: z.number().positive().default(3),
    /** Consecutive hourly evaluations that must agree before a ticket opens. Default 3. */
    confirmHours: z.number().int().min(1).default(3),
    /**
     * Hourly medians kept in memory per indicator, days; never fewer than the trend's window and a
     * day (what a snapshot keeps). Default 8: the trend reads 7 days, and 60 days of hours held ~1.8 MB
     * per station (the series are in the telemetry store for charts).
     */
    keepDays: z.number().positive().default(8),
  })
  .strict();

export type PredictiveConfig = z.infer<typeof predictiveConfigSchema>;
export type PredictiveConfigInput = z.input<typeof predictiveConfigSchema>;

export const DEFAULT_PREDICTIVE_CONFIG: PredictiveConfig = predictiveConfigSchema.parse({});
