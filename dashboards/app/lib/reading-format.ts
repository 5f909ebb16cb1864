import type { ProfileReadings } from '../../../core/api/profiles.ts';
import { subjectName } from '../../../core/i18n/render.ts';
import type { Locale } from './format.ts';
import type { HeldValue } from './types.ts';

export type ReadingInfo = ProfileReadings['readings'][number];
type Label = { en: string; zh?: string | undefined };

/**
 * Readings the station page already shows (drawn on the schematic or charted): the rest of a
 * station's readings are listed beside them, whatever its profile calls them.
 */
const SHOWN_STATION = new Set([
  'supply.voltage_l1',
  'supply.voltage_l2',
  'supply.voltage_l3',
  'grounding.fault',
  'tank.level',
  'pressure.outlet',
  'pressure.inlet',
  'pressure.setpoint',
  'flow.rate',
  'station.failover_count',
]);
const SHOWN_PUMP =
  /^pump\[\d+\]\.(running|fault|standby|duty|current_l1|winding_temperature|bearing_vibration)$/;

export function shownElsewhere(meaning: string): boolean {
  return SHOWN_STATION.has(meaning) || SHOWN_PUMP.test(meaning);
}

/** A label in the reader's language: Chinese when the profile gives it, else the English. */
export function labelText(locale: Locale, label: Label): string {
  return locale === 'zh-CN' ? (label.zh ?? label.en) : label.en;
}

/** A reading's name: the profile's label, the catalogue's name of a known meaning, else its own. Pure. */
export function readingName(locale: Locale, meaning: string, info: ReadingInfo | undefined): string {
  if (info?.label) return labelText(locale, info.label);
  if (meaning.startsWith('custom.')) return info?.description ?? meaning.slice('custom.'.length);
  return subjectName(locale, meaning);
}

/** Words the value formatting needs, in the reader's language. */
export interface ValueWords {
  notAvailable: string;
  on: string;
  off: string;
  noCode: string;
}

/**
 * A held value as a person reads it: "not available" for a value the controller marks so, an
 * enumeration's label, a vendor code with its text, on/off, or the number with its unit. Pure.
 */
export function readingText(
  locale: Locale,
  held: Pick<HeldValue, 'v' | 'q'> & { unit?: string | undefined },
  info: ReadingInfo | undefined,
  words: ValueWords,
): string {
  if (held.q === 'not_available') return words.notAvailable;
  const { v } = held;
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? words.on : words.off;
  const code = String(v);
  if (info?.enum) {
    const label = info.enum[code];
    return label ? labelText(locale, label) : code;
  }
  if (info?.alarmCodes) {
    if (v === 0) return words.noCode;
    const entry = info.alarmCodes[code];
    return entry ? `${code} · ${labelText(locale, entry)}` : code;
  }
  const unit = displayUnit(locale, held.unit ?? info?.unit ?? '');
  const digits = Number.isInteger(v) ? 0 : Math.abs(v) >= 100 ? 1 : 2;
  return `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** An enumeration's labels by code in the reader's language, for a chart's steps and tooltips. */
export function enumLabels(
  locale: Locale,
  info: ReadingInfo | undefined,
): Record<string, string> | undefined {
  if (!info?.enum) return undefined;
  return Object.fromEntries(
    Object.entries(info.enum).map(([code, label]) => [code, labelText(locale, label)]),
  );
}

/** Profiles write units in ASCII (`degC`, `MOhm`, `m3/h`); people read their symbols. Pure. */
export function displayUnit(locale: Locale, unit: string): string {
  const symbol = UNIT_SYMBOLS[unit];
  if (symbol === undefined) return unit;
  return typeof symbol === 'string' ? symbol : symbol[locale];
}

const UNIT_SYMBOLS: Record<string, string | Record<Locale, string>> = {
  degC: '°C',
  degF: '°F',
  MOhm: 'MΩ',
  ohm: 'Ω',
  'm3/h': 'm³/h',
  rpm: { en: 'rpm', 'zh-CN': '转/分' },
  pct: '%',
};
