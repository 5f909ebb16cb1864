/** Root-cause catalogue for resolutions; MTBF/MTTR reports group failures by these codes. */
export interface RootCause {
  code: string;
  label: string;
  /** Customer-caused damage is charged even inside warranty (DOMAIN.md "Warranty"). */
  chargeable: boolean;
}

export const ROOT_CAUSES: readonly RootCause[] = [
  { code: 'bearing_wear', label: 'Bearing wear', chargeable: false },
  { code: 'mechanical_seal', label: 'Mechanical seal leak', chargeable: false },
  { code: 'impeller_clogged', label: 'Impeller clogged or worn', chargeable: false },
  { code: 'motor_winding', label: 'Motor winding failure', chargeable: false },
  { code: 'vfd_fault', label: 'Variable-frequency drive fault', chargeable: false },
  { code: 'contactor_relay', label: 'Contactor or relay failure', chargeable: false },
  { code: 'wiring_loose', label: 'Loose or damaged wiring', chargeable: false },
  { code: 'insulation_grounding', label: 'Insulation or protective earth defect', chargeable: false },
  { code: 'sensor_failure', label: 'Sensor or transmitter failure', chargeable: false },
  { code: 'controller_fault', label: 'Controller or PLC fault', chargeable: false },
  { code: 'supply_quality', label: 'Mains supply quality (outside the equipment)', chargeable: true },
  { code: 'water_shortage', label: 'Inlet water shortage / dry run', chargeable: true },
  { code: 'comms_network', label: 'Communication network or gateway', chargeable: false },
  { code: 'customer_damage', label: 'Damage caused by the customer', chargeable: true },
  { code: 'operator_error', label: 'Operating error', chargeable: true },
  { code: 'no_fault_found', label: 'No fault found', chargeable: false },
  { code: 'other', label: 'Other (see notes)', chargeable: false },
];

export const ROOT_CAUSE_CODES = ROOT_CAUSES.map((cause) => cause.code) as [string, ...string[]];
