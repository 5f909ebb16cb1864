import type { ReadingInfo } from '../profiles/profile-registry.ts';
import { type AlarmRule, DEFAULT_RULES, type FaultClass, findRule } from './catalogue.ts';
import { type Condition, evaluateConditions } from './conditions.ts';
import type { StationReadings } from './readings.ts';
import type { Severity } from './severity.ts';
import type { SiteThresholds } from './thresholds.ts';

/** Timer state of one alarm (one rule, one subject) at one station. */
export interface RuleState {
  active: boolean;
  /** When the condition last started to disagree with `active` (on- or off-delay running), else null. */
  since: number | null;
}

/** What the engine remembers of one station between evaluations. Plain data, JSON-safe. */
export interface StationMemory {
  /** By alarm key `faultClass|subject`. */
  alarms: Record<string, RuleState>;
  lastFailoverCount?: number;
}

export interface AlarmTransition {
  change: 'raised' | 'cleared';
  faultClass: FaultClass;
  subject: string;
  severity: Severity;
  title: string;
  /** A title as a message code with params (vendor codes); else readers render the fault class. */
  titleCode?: string;
  titleParams?: Record<string, string | number>;
  at: number;
  value: number | boolean | null;
}

export interface EvaluateInput {
  readings: StationReadings;
  thresholds: SiteThresholds;
  memory: StationMemory;
  now: number;
  rules?: readonly AlarmRule[];
  /** Alarm keys shelved at this station: they raise nothing until the shelf expires. */
  shelved?: ReadonlySet<string>;
  /** The station's profile readings by meaning (its vendor code tables). Default none. */
  profileReadings?: ReadonlyMap<string, ReadingInfo>;
}

// Asked for every rule of every station on every message: the keys are made once (fault classes
// are a fixed list and subjects are '', pumps and meanings, so the table stays small).
const keys = new Map<string, Map<string, string>>();

export function alarmKey(faultClass: string, subject: string): string {
  let bySubject = keys.get(faultClass);
  if (!bySubject) {
    bySubject = new Map();
    keys.set(faultClass, bySubject);
  }
  let key = bySubject.get(subject);
  if (key === undefined) {
    key = `${faultClass}|${subject}`;
    if (bySubject.size < 1024) bySubject.set(subject, key);
  }
  return key;
}

export function emptyMemory(): StationMemory {
  return { alarms: {} };
}

/** Next timer state for one condition; `fire` is set when the alarm changes. Pure. */
export function stepRule(
  state: RuleState,
  holds: boolean,
  now: number,
  onDelayMs: number,
  offDelayMs: number,
): { state: RuleState; fire: boolean } {
  if (holds === state.active) return { state: { active: state.active, since: null }, fire: false };
  // A clock that jumped back restarts the delay rather than firing early or never.
  const since = state.since === null || now < state.since ? now : state.since;
  const delay = state.active ? offDelayMs : onDelayMs;
  if (now - since >= delay) return { state: { active: !state.active, since: null }, fire: true };
  return { state: { active: state.active, since }, fire: false };
}

/**
 * When the passage of time alone next changes what `evaluateStation` returns for this memory: the
 * first on- or off-delay to run out (Infinity when none is running). Pure.
 */
export function nextDelayDue(memory: StationMemory, rules: readonly AlarmRule[] = DEFAULT_RULES): number {
  let due = Number.POSITIVE_INFINITY;
  for (const key in memory.alarms) {
    const state = memory.alarms[key]!;
    if (state.since === null) continue;
    const rule = findRule(rules, key.slice(0, key.indexOf('|')));
    // A rule no longer in the set: due now, so the next evaluation lets its state go.
    const delay = rule ? (state.active ? rule.offDelayMs : rule.onDelayMs) : 0;
    if (state.since + delay < due) due = state.since + delay;
  }
  return due;
}

/** Fault classes that hold or stand at the station: the causes other rules are suppressed by. */
function standingCauses(conditions: readonly Condition[], memory: StationMemory): Set<string> {
  const causes = new Set<string>();
  for (const condition of conditions) if (condition.holds === true) causes.add(condition.faultClass);
  for (const key in memory.alarms) {
    if (memory.alarms[key]!.active) causes.add(key.slice(0, key.indexOf('|')));
  }
  return causes;
}

const NOTHING_SHELVED: ReadonlySet<string> = new Set();

/**
 * Evaluates every rule for one station: a pure function of the readings, the previous memory
 * and the time. Returns the next memory and the alarms raised or cleared now. The memory's alarms
 * are copied only when one of them changes: on most messages nothing does.
 */
export function evaluateStation(input: EvaluateInput): {
  memory: StationMemory;
  transitions: AlarmTransition[];
} {
  const rules = input.rules ?? DEFAULT_RULES;
  const { memory, now } = input;
  const shelved = input.shelved ?? NOTHING_SHELVED;
  const conditions = evaluateConditions({
    readings: input.readings,
    thresholds: input.thresholds,
    isActive: (faultClass, subject) => memory.alarms[alarmKey(faultClass, subject)]?.active === true,
    lastFailoverCount: memory.lastFailoverCount,
    trackedKeys: Object.keys(memory.alarms),
    ...(input.profileReadings ? { profileReadings: input.profileReadings } : {}),
  });
  const causes = standingCauses(conditions, memory);
  let alarms = memory.alarms;
  let copied = false;
  const write = (key: string, state: RuleState | undefined) => {
    if (!copied) {
      alarms = { ...alarms };
      copied = true;
    }
    if (state) alarms[key] = state;
    else delete alarms[key];
  };
  const transitions: AlarmTransition[] = [];
  for (const condition of conditions) {
    if (condition.holds === null) continue;
    const key = alarmKey(condition.faultClass, condition.subject);
    const previous = alarms[key];
    // Not holding, with no state: nothing to step (the usual case for most rules on most messages).
    if (previous === undefined && !condition.holds) continue;
    const rule = findRule(rules, condition.faultClass);
    if (!rule) continue;
    const from = previous ?? { active: false, since: null };
    const suppressed = rule.suppressedBy.some((cause) => causes.has(cause)) || shelved.has(key);
    if (suppressed) {
      // Stale or caused values raise nothing; an alarm already standing is left as it is.
      if (previous !== undefined && !previous.active) write(key, undefined);
      continue;
    }
    const step = stepRule(from, condition.holds, now, rule.onDelayMs, rule.offDelayMs);
    const kept = step.state.active || step.state.since !== null;
    if (kept) {
      if (
        previous === undefined ||
        previous.active !== step.state.active ||
        previous.since !== step.state.since
      )
        write(key, step.state);
    } else if (previous !== undefined) write(key, undefined);
    if (step.fire) {
      transitions.push({
        change: step.state.active ? 'raised' : 'cleared',
        faultClass: rule.faultClass,
        subject: condition.subject,
        severity: condition.raise?.severity ?? rule.severity,
        title: condition.raise?.title ?? rule.title,
        ...(condition.raise && step.state.active
          ? { titleCode: condition.raise.titleCode, titleParams: condition.raise.titleParams }
          : {}),
        at: now,
        value: condition.value,
      });
    }
  }
  const failovers = input.readings.values['station.failover_count'];
  const lastFailoverCount =
    typeof failovers?.v === 'number' && (failovers.q === 'good' || failovers.q === 'stale')
      ? failovers.v
      : memory.lastFailoverCount;
  if (!copied && lastFailoverCount === memory.lastFailoverCount) return { memory, transitions };
  const next: StationMemory = { alarms };
  if (lastFailoverCount !== undefined) next.lastFailoverCount = lastFailoverCount;
  return { memory: next, transitions };
}
