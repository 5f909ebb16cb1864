import type { Severity } from '../../core/alarms/severity.ts';
import type { MessageParams } from '../../core/i18n/render.ts';
import type { ReadingInfo } from '../profiles/profile-registry.ts';
import type { Condition } from './conditions.ts';
import type { StationReadings } from './readings.ts';

/** Readings that carry a vendor's alarm or warning code (0: none), per pump or for the station. */
const CODE_MEANING = /(^|\.)(alarm_code|warning_code)$/;

/**
 * The vendor code alarms of one station: for each code reading with a code table, one
 * `vendor_alarm` and one `vendor_warning` verdict. A listed code holds the class of its `kind`, with
 * the table's severity and the vendor's text in both languages; 0 or an unlisted code holds neither
 * (the alarm clears). A reading without a usable value decides nothing. Pure.
 */
export function vendorCodeConditions(
  readings: StationReadings,
  tables: ReadonlyMap<string, ReadingInfo> | undefined,
): Condition[] {
  if (!tables) return [];
  const conditions: Condition[] = [];
  for (const [meaning, table] of codeTablesOf(tables)) {
    const value = readings.values[meaning];
    if (value === undefined) continue;
    const usable = typeof value.v === 'number' && (value.q === 'good' || value.q === 'stale');
    const code = usable ? (value.v as number) : null;
    const entry = code === null ? undefined : table.get(code);
    for (const kind of ['alarm', 'warning'] as const) {
      const holds = code === null ? null : entry?.kind === kind;
      const condition: Condition = {
        faultClass: kind === 'alarm' ? 'vendor_alarm' : 'vendor_warning',
        subject: meaning,
        holds,
        value: code,
      };
      if (entry && holds) {
        condition.raise = vendorRaise(code as number, entry);
      }
      conditions.push(condition);
    }
  }
  return conditions;
}

type CodeTable = NonNullable<ReadingInfo['alarmCodes']>;

// A profile's code readings, listed once per loaded profile (a reload makes a new map): asked on
// every message, where scanning every reading's name with a pattern cost more than the rules.
const codeTables = new WeakMap<ReadonlyMap<string, ReadingInfo>, readonly [string, CodeTable][]>();

function codeTablesOf(tables: ReadonlyMap<string, ReadingInfo>): readonly [string, CodeTable][] {
  let list = codeTables.get(tables);
  if (!list) {
    const found: [string, CodeTable][] = [];
    for (const [meaning, info] of tables) {
      if (CODE_MEANING.test(meaning) && info.alarmCodes) found.push([meaning, info.alarmCodes]);
    }
    list = found;
    codeTables.set(tables, list);
  }
  return list;
}

/** How a vendor code alarm is raised: the table's severity, and its text as a code with params. */
export interface ConditionRaise {
  severity: Severity;
  /** English title, for logs and readers that cannot render codes. */
  title: string;
  titleCode: 'alarm.vendorCode';
  titleParams: MessageParams;
}

function vendorRaise(
  code: number,
  entry: { en: string; zh?: string | undefined; severity: Severity },
): ConditionRaise {
  return {
    severity: entry.severity,
    title: `${entry.en} (code ${code})`,
    titleCode: 'alarm.vendorCode',
    // zh falls back to the English text: a translated manual may give only one.
    titleParams: { code, en: entry.en, zh: entry.zh ?? entry.en },
  };
}
