import { MESSAGES_EN, type MessageCode } from './messages-en.ts';
import { MESSAGES_ZH_CN } from './messages-zh-cn.ts';

export type { MessageCode } from './messages-en.ts';
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageParams = Record<string, string | number>;

/** A code and its parameters: how the server hands a sentence to whoever reads it. */
export interface Coded {
  code: MessageCode;
  params: MessageParams;
}

const CATALOGUES: Record<Locale, Record<MessageCode, string>> = { en: MESSAGES_EN, 'zh-CN': MESSAGES_ZH_CN };

/** Parameters that name a term: their value is looked up as `<prefix>.<value>` in the catalogue. */
const TERM_PARAMS: Record<string, string> = {
  fault: 'fault',
  indicator: 'indicator',
  state: 'state',
  action: 'action',
  clock: 'clock',
  mode: 'mode',
  kind: 'kind',
  hint: 'hint',
  cause: 'cause',
  model: 'model',
  basis: 'basis',
  pause: 'pauseReason',
};

export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.hasOwn(MESSAGES_EN, code);
}

function term(locale: Locale, prefix: string, value: string): string {
  const code = `${prefix}.${value}`;
  return isMessageCode(code) ? CATALOGUES[locale][code] : value;
}

const PUMP = /^pump\[(\d+)\]$/;
const PUMP_FIELD = /^pump\[(\d+)\]\.([a-z_0-9]+)$/;
/** Keys of planned work (`plan:<id>:<day>`, `plan:<id>:pump[N]:<h>h`, `follow_up:3m`): the title says it all. */
const WORK_KEY = /^(plan|follow_up):/;

/** A maintenance plan's name: the built-in plans by their id in the reader's language; others as named. */
export function planName(locale: Locale, id: string | null | undefined, name: string): string {
  const code = `plan.${id}`;
  return id && isMessageCode(code) ? CATALOGUES[locale][code] : name;
}

/**
 * What an alarm or ticket is about, for a person: `pump[1]` as "pump 1" / 「1号泵」, a tag meaning
 * (`supply.voltage_l1`, `pump[2].current_l1`) by its name; anything else as it is.
 */
export function subjectName(locale: Locale, subject: string): string {
  const catalogue = CATALOGUES[locale];
  const pump = PUMP.exec(subject);
  if (pump) return catalogue['subject.pump'].replace('{n}', pump[1] as string);
  const field = PUMP_FIELD.exec(subject);
  if (field) {
    // A tag meaning, or a health indicator of the pump (predictive tickets' subjects).
    const name = field[2] as string;
    const known = isMessageCode(`meaning.${name}`) ? 'meaning' : 'indicator';
    return catalogue['subject.pumpField']
      .replace('{n}', field[1] as string)
      .replace('{field}', term(locale, known, name));
  }
  if (WORK_KEY.test(subject)) {
    const pumpOfPlan = /:pump\[(\d+)\]:/.exec(subject);
    return pumpOfPlan ? catalogue['subject.pump'].replace('{n}', pumpOfPlan[1] as string) : '';
  }
  return isMessageCode(`meaning.${subject}`)
    ? term(locale, 'meaning', subject)
    : term(locale, 'indicator', subject);
}

function paramText(locale: Locale, name: string, value: string | number, params: MessageParams): string {
  // A reading a health explanation names (`column`): a known meaning in the reader's language, an
  // export's own column name as it is.
  if (name === 'subject' || name === 'column') return subjectName(locale, String(value));
  // A plan's name and work: the built-in plans' (by `planId`) in the reader's language.
  if (name === 'plan') return planName(locale, String(params.planId ?? ''), String(value));
  if (name === 'work' && isMessageCode(`planWork.${params.planId}`))
    return term(locale, 'planWork', String(params.planId));
  const prefix = TERM_PARAMS[name];
  return prefix ? term(locale, prefix, String(value)) : String(value);
}

/** A code's template in `locale` with `{name}` filled from params; a missing param stays `{name}`. Pure. */
export function render(locale: Locale, code: MessageCode, params: MessageParams = {}): string {
  const template = CATALOGUES[locale][code] ?? MESSAGES_EN[code];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : paramText(locale, name, value, params);
  });
}

/** `render` for a code that came over the wire: an unknown code gives `fallback` (the English field). */
export function renderOr(locale: Locale, code: unknown, params: unknown, fallback: string): string {
  if (!isMessageCode(code)) return fallback;
  const safe = typeof params === 'object' && params !== null ? (params as MessageParams) : {};
  return render(locale, code, safe);
}

export function coded(code: MessageCode, params: MessageParams = {}): Coded {
  return { code, params };
}
