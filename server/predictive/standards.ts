/** Limits from the standards the indicators are judged by. */

/** ISO 10816-3 zone boundaries (mm/s RMS, 10-1000 Hz) by machine group and foundation. */
export const ISO_10816_3_CLASSES = {
  /** Group 1 (300 kW-50 MW), rigid foundation. */
  group1_rigid: { ab: 2.3, bc: 4.5, cd: 7.1 },
  /** Group 1, flexible foundation; also the reference simulator's zones (its wear reaches 11 mm/s). */
  group1_flexible: { ab: 3.5, bc: 7.1, cd: 11 },
  /** Group 2 (15-300 kW), rigid foundation: the alarm engine's default. */
  group2_rigid: { ab: 1.4, bc: 2.8, cd: 4.5 },
  /** Group 2, flexible foundation. */
  group2_flexible: { ab: 2.3, bc: 4.5, cd: 7.1 },
} as const;
export type MachineClass = keyof typeof ISO_10816_3_CLASSES;
export type VibrationZone = 'A' | 'B' | 'C' | 'D';

export function vibrationZone(mmS: number, machineClass: MachineClass): VibrationZone {
  const z = ISO_10816_3_CLASSES[machineClass];
  if (mmS < z.ab) return 'A';
  if (mmS < z.bc) return 'B';
  return mmS < z.cd ? 'C' : 'D';
}

/**
 * IEEE 43-2013 minimum insulation resistance at 40 °C (IR1min): 5 MΩ for random-wound and form-wound
 * windings rated below 1 kV, 100 MΩ for form-wound windings built after 1970, kV + 1 MΩ for older ones.
 */
export function ieee43MinimumMohm(winding: 'below_1kv' | 'form_wound' | 'pre_1970', ratedKv = 0.4): number {
  if (winding === 'below_1kv') return 5;
  return winding === 'form_wound' ? 100 : ratedKv + 1;
}

/**
 * IEEE 43 temperature correction to 40 °C: insulation resistance halves for every 10 K rise, so a reading
 * at T °C is worth R x 0.5^((40 - T)/10) at 40 °C.
 */
export function insulationAt40C(mohm: number, temperatureC: number): number {
  return mohm * 0.5 ** ((40 - temperatureC) / 10);
}

/**
 * NEMA MG 1 definition of imbalance: the largest deviation from the mean over the mean, in percent.
 * NaN for a set without a positive mean.
 */
export function imbalancePct(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (!(mean > 0)) return Number.NaN;
  return (100 * Math.max(...values.map((v) => Math.abs(v - mean)))) / mean;
}
