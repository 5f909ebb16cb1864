import { z } from 'zod';
import {
  DEFAULT_MACHINE_CLASS,
  ISO_10816_3_CLASSES,
  MACHINE_CLASSES,
  type MachineClass,
  type VibrationZones,
} from '../standards/iso-10816-3.ts';

/**
 * Per-site alarm thresholds. Stored as JSON on the site; missing fields take these defaults.
 * Units are the profile's: V, A, bar, m, MOhm, mA, degC, mm/s.
 */
const thresholdFields = z
  .object({
    /** Nominal supply voltage, 380 (three phase) or 220 (single phase). Default 380. */
    nominalVoltage: z.number().positive().default(380),
    /** Under-voltage below nominal by this many percent. Default 10. */
    underVoltagePct: z.number().positive().max(50).default(10),
    /** Over-voltage above nominal by this many percent. Default 10. */
    overVoltagePct: z.number().positive().max(50).default(10),
    /** Hysteresis of the voltage alarms, in percent of nominal. Default 2. */
    voltageHysteresisPct: z.number().min(0).max(10).default(2),
    /** A phase under this fraction of nominal is lost; all phases under it is loss of mains. Default 0.5. */
    phaseLossFraction: z.number().positive().max(1).default(0.5),
    /** Voltage imbalance: max deviation from the mean in percent (NEMA MG 1 derates above 1 %). Default 2. */
    voltageImbalancePct: z.number().positive().default(2),
    voltageImbalanceHysteresisPct: z.number().min(0).default(0.5),
    /** Any phase current of a pump above this. Default 40 A. */
    overcurrentA: z.number().positive().default(40),
    overcurrentHysteresisA: z.number().min(0).default(2),
    /** Leakage current that counts as a grounding fault (a 30 mA RCD's trip level). Default 30 mA. */
    leakageCurrentMa: z.number().positive().default(30),
    /** Insulation resistance warning and alarm levels (IEC 60364-6 asks >= 1 MOhm at 500 V). */
    insulationWarningMOhm: z.number().positive().default(2),
    insulationAlarmMOhm: z.number().positive().default(1),
    insulationHysteresisMOhm: z.number().min(0).default(0.2),
    /** Outlet pressure low. Default 2.0 bar with 0.2 bar hysteresis. */
    outletPressureLowBar: z.number().min(0).default(2),
    outletPressureHysteresisBar: z.number().min(0).default(0.2),
    /** Break tank low, and dry-run level when a pump runs below it. Defaults 0.5 m and 0.2 m. */
    tankLowM: z.number().min(0).default(0.5),
    dryRunM: z.number().min(0).default(0.2),
    tankHysteresisM: z.number().min(0).default(0.05),
    /** Winding over-temperature (class B insulation is rated 130 degC). Default 120 degC. */
    windingTemperatureC: z.number().default(120),
    windingTemperatureHysteresisC: z.number().min(0).default(5),
    /**
     * ISO 10816-3 machine class of the site's pumps: its zone boundaries drive the vibration alarms and
     * the health models alike. Default group2_rigid (15-300 kW on a rigid foundation): B/C 2.8, C/D 4.5.
     */
    machineClass: z.enum(MACHINE_CLASSES).default(DEFAULT_MACHINE_CLASS),
    /** Zone C and D boundaries in mm/s RMS when they must differ from the machine class's. */
    vibrationZoneCmmS: z.number().positive().optional(),
    vibrationZoneDmmS: z.number().positive().optional(),
    vibrationHysteresisMmS: z.number().min(0).default(0.2),
    /** A station whose last telemetry is older than this is not answering. Default 60 000 ms. */
    staleAfterMs: z.number().int().positive().default(60_000),
  })
  .strict();

const zoneOrder = (t: {
  machineClass?: MachineClass;
  vibrationZoneCmmS?: number;
  vibrationZoneDmmS?: number;
}) =>
  (t.vibrationZoneCmmS ?? vibrationZonesOfClass(t).bc) < (t.vibrationZoneDmmS ?? vibrationZonesOfClass(t).cd);
const zoneOrderError = { message: 'vibration zone C must start below zone D', path: ['vibrationZoneDmmS'] };

export const thresholdsSchema = thresholdFields.refine(zoneOrder, zoneOrderError);

/**
 * A change to some of a site's thresholds: the named fields only, without defaults, so a change of one
 * field keeps the others as stored.
 */
export const thresholdsPatchSchema: z.ZodType<Partial<SiteThresholds>> = z
  .object(
    Object.fromEntries(
      Object.entries(thresholdFields.shape).map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
      ]),
    ),
  )
  .strict() as z.ZodType<Partial<SiteThresholds>>;

export type SiteThresholds = z.infer<typeof thresholdsSchema>;
export type SiteThresholdsInput = z.input<typeof thresholdsSchema>;

export const DEFAULT_THRESHOLDS: SiteThresholds = thresholdsSchema.parse({});

/** Merges a site's stored thresholds over the defaults; throws a zod error naming the field. */
export function resolveThresholds(stored: unknown): SiteThresholds {
  return thresholdsSchema.parse(stored ?? {});
}

function vibrationZonesOfClass(t: { machineClass?: MachineClass }): VibrationZones {
  return ISO_10816_3_CLASSES[t.machineClass ?? DEFAULT_MACHINE_CLASS];
}

/** The site's vibration zone boundaries: its machine class's, with any explicit C and D boundaries. */
export function vibrationZonesOf(t: SiteThresholds): VibrationZones {
  const zones = vibrationZonesOfClass(t);
  return {
    ab: zones.ab,
    bc: t.vibrationZoneCmmS ?? zones.bc,
    cd: t.vibrationZoneDmmS ?? zones.cd,
  };
}
