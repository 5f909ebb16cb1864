import { DEFAULT_RULES, type FaultClass, type RuleScope } from '../../../core/alarms/catalogue.ts';
import { SHELF_MINUTES } from '../../../core/api/alarms.ts';
import type { AssetStation, StationView } from './types.ts';

/** How long a shelf may hold, in minutes: the API's limits (core/api/alarms.ts `shelveBodySchema`). */
export { SHELF_MINUTES };

/** The fault classes an operator can shelve, in the catalogue's order, with what each alarm is about. */
export const SHELVABLE: readonly { faultClass: FaultClass; scope: RuleScope; title: string }[] =
  DEFAULT_RULES.map(({ faultClass, scope, title }) => ({ faultClass, scope, title }));

export function scopeOf(faultClass: string): RuleScope {
  return SHELVABLE.find((rule) => rule.faultClass === faultClass)?.scope ?? 'station';
}

/** For a fixed number of hours, or until a moment (ms; NaN when the date-time field is empty). */
export type ShelfExpiry = { hours: number } | { until: number };

export type ShelfMinutes = { minutes: number } | { error: 'invalid' | 'past' | 'too_long' };

/**
 * The `minutes` the API wants for an expiry, counted from `now`. A moment is rounded up to the
 * next whole minute, so the shelf never ends before the time the operator chose. Pure.
 */
export function shelfMinutes(expiry: ShelfExpiry, now: number): ShelfMinutes {
  const minutes =
    'hours' in expiry ? Math.round(expiry.hours * 60) : Math.ceil((expiry.until - now) / 60_000);
  if (!Number.isFinite(minutes)) return { error: 'invalid' };
  if (minutes < SHELF_MINUTES.min) return { error: 'past' };
  if (minutes > SHELF_MINUTES.max) return { error: 'too_long' };
  return { minutes };
}

/**
 * What an alarm of this scope can be about, as the alarm engine names its subjects: the whole
 * station (''), one pump (`pump[2]`) or one reading's meaning (`pressure.outlet`). Pure.
 */
export function subjectChoices(
  scope: RuleScope,
  pumps: readonly number[],
  meanings: readonly string[],
): string[] {
  switch (scope) {
    case 'station':
      return [''];
    case 'pump':
      return [...pumps].sort((a, b) => a - b).map((n) => `pump[${n}]`);
    case 'tag':
      return [...meanings].sort();
  }
}

/** What stationChoices reads of GET /api/assets/stations. */
export type RegisteredStation = Pick<AssetStation, 'site_id' | 'id'> & {
  pumps: readonly Pick<AssetStation['pumps'][number], 'pump_no'>[];
};

/** A station an alarm can be shelved at, with its pump numbers. */
export interface StationChoice {
  site: string;
  station: string;
  pumps: number[];
}

/**
 * The registered stations, then any station that reports without being registered yet (its pumps
 * read from its meanings, `pump[2].running`), so an alarm of either can be shelved. Pure.
 */
export function stationChoices(
  registered: readonly RegisteredStation[],
  reporting: readonly Pick<StationView, 'site' | 'station' | 'values'>[],
): StationChoice[] {
  const choices: StationChoice[] = registered.map((row) => ({
    site: row.site_id,
    station: row.id,
    pumps: row.pumps.map((pump) => pump.pump_no).sort((a, b) => a - b),
  }));
  const known = new Set(choices.map((choice) => `${choice.site}/${choice.station}`));
  for (const view of [...reporting].sort((a, b) => a.station.localeCompare(b.station))) {
    if (known.has(`${view.site}/${view.station}`)) continue;
    const pumps = new Set<number>();
    for (const meaning of Object.keys(view.values)) {
      const pump = /^pump\[(\d+)\]\./.exec(meaning);
      if (pump) pumps.add(Number(pump[1]));
    }
    choices.push({ site: view.site, station: view.station, pumps: [...pumps].sort((a, b) => a - b) });
  }
  return choices;
}
