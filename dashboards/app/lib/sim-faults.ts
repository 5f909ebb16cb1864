import type { MessageKey, Translate } from '../i18n/translate.ts';

/** A simulated fault in force, as GET /api/sim/stations lists it (simulators/model/faults.ts). */
export interface SimFault {
  fault: string;
  pump?: number;
  params?: Record<string, number | string>;
}

const PARAMS = new Set([
  'phase',
  'percent',
  'leakageMa',
  'tauDays',
  'floorMohm',
  'weeks',
  'progress',
  'meaning',
  'value',
]);

/** A fault's name in the reader's language; an unknown one keeps its code. */
export function simFaultName(t: Translate, fault: string): string {
  const key = `simFault.${fault}` as MessageKey;
  const text = t(key);
  return text === key ? fault : text;
}

/**
 * A fault in force as a person reads it: its name, the pump and its parameters
 * (`Phase loss · phase L3`, `Bearing wear · pump 1 · worn in 4 weeks · progress 0.25`). Pure but for `t`.
 */
export function simFaultText(t: Translate, fault: SimFault): string {
  const parts = [simFaultName(t, fault.fault)];
  if (fault.pump) parts.push(t('engineer.pumpN', { n: fault.pump }));
  for (const [name, value] of Object.entries(fault.params ?? {})) {
    const shown = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value;
    parts.push(PARAMS.has(name) ? t(`simParam.${name}` as MessageKey, { value: shown }) : `${name} ${shown}`);
  }
  return parts.join(' · ');
}
