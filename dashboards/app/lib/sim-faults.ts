import { subjectName } from '../../../core/i18n/render.ts';
import type { MessageKey, Translate } from '../i18n/translate.ts';
import type { Locale } from './format.ts';

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
  'bar',
  'days',
  'm3h',
  'rampSeconds',
  'npshaM',
  'mmS',
  'perDay',
  'perHour',
  'size',
  'seconds',
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
export function simFaultText(t: Translate, fault: SimFault, locale: Locale): string {
  const parts = [simFaultName(t, fault.fault)];
  if (fault.pump) parts.push(t('engineer.pumpN', { n: fault.pump }));
  for (const [name, value] of Object.entries(fault.params ?? {})) {
    // The reading a sensor fault is on: its name in the reader's language (出口压力, outlet pressure).
    const shown =
      typeof value === 'number'
        ? String(Math.round(value * 1000) / 1000)
        : name === 'meaning'
          ? subjectName(locale, value)
          : value;
    parts.push(PARAMS.has(name) ? t(`simParam.${name}` as MessageKey, { value: shown }) : `${name} ${shown}`);
  }
  return parts.join(' · ');
}
