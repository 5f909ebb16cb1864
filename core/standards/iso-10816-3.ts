/** ISO 10816-3 vibration severity zones, shared by the alarm rules and the health models. */

/** Zone boundaries in mm/s RMS (10-1000 Hz): A/B, B/C and C/D. */
export interface VibrationZones {
  ab: number;
  bc: number;
  cd: number;
}

/** Zone boundaries by machine group and foundation. */
export const ISO_10816_3_CLASSES = {
  /** Group 1 (300 kW-50 MW), rigid foundation. */
  group1_rigid: { ab: 2.3, bc: 4.5, cd: 7.1 },
  /** Group 1, flexible foundation. */
  group1_flexible: { ab: 3.5, bc: 7.1, cd: 11 },
  /** Group 2 (15-300 kW), rigid foundation: booster-station pumps on a concrete plinth; the default. */
  group2_rigid: { ab: 1.4, bc: 2.8, cd: 4.5 },
  /** Group 2, flexible foundation. */
  group2_flexible: { ab: 2.3, bc: 4.5, cd: 7.1 },
} as const satisfies Record<string, VibrationZones>;

export type MachineClass = keyof typeof ISO_10816_3_CLASSES;
export type VibrationZone = 'A' | 'B' | 'C' | 'D';

export const MACHINE_CLASSES = Object.keys(ISO_10816_3_CLASSES) as [MachineClass, ...MachineClass[]];
export const DEFAULT_MACHINE_CLASS: MachineClass = 'group2_rigid';

export function vibrationZone(mmS: number, zones: VibrationZones): VibrationZone {
  if (mmS < zones.ab) return 'A';
  if (mmS < zones.bc) return 'B';
  return mmS < zones.cd ? 'C' : 'D';
}
