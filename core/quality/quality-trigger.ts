import type { QualityActionReason } from './vocabulary.ts';

const DAY = 86_400_000;

/** When a closed fault opens a quality action; every figure is policy, configurable per deployment. */
export interface QualityPolicy {
  /** The same failure mode on the same pump or station again within this many days is a repeat. Default 30. */
  repeatWindowDays: number;
  /** This many failures of one mode (this one included) within `frequentWindowDays` is frequent. Default 3. */
  frequentCount: number;
  /** Default 90. */
  frequentWindowDays: number;
  /** A quality action is due this many days after it opens. Default 14. */
  dueDays: number;
  /** Who owns a new quality action (a username): the quality manager. Default 'admin'. */
  manager: string;
}

export const DEFAULT_QUALITY_POLICY: QualityPolicy = {
  repeatWindowDays: 30,
  frequentCount: 3,
  frequentWindowDays: 90,
  dueDays: 14,
  manager: 'admin',
};

/** A fault as the trigger sees it: where, which mode, when it happened. */
export interface FaultRecord {
  id: number;
  site: string;
  station: string;
  pump: number | null;
  /** The alarm's fault class; null for a ticket a person reported. */
  faultClass: string | null;
  /** The root cause found; null until resolved. */
  rootCause: string | null;
  /** When the fault was reported (the ticket's creation), ms. */
  at: number;
}

/**
 * Why the fault `current` opens a quality action, given the earlier faults of its station (any
 * order; the current one and later ones are ignored): empty when it opens none. Pure.
 */
export function qualityReasons(
  current: FaultRecord & { severity: string },
  earlier: readonly FaultRecord[],
  policy: QualityPolicy,
): QualityActionReason[] {
  const reasons: QualityActionReason[] = [];
  if (current.severity === 'major') reasons.push('major');
  const same = earlier.filter(
    (fault) =>
      fault.id !== current.id &&
      fault.site === current.site &&
      fault.station === current.station &&
      fault.pump === current.pump &&
      sameFailureMode(fault, current) &&
      fault.at <= current.at,
  );
  const within = (days: number) => same.filter((fault) => current.at - fault.at <= days * DAY).length;
  if (within(policy.repeatWindowDays) > 0) reasons.push('repeat');
  if (within(policy.frequentWindowDays) + 1 >= policy.frequentCount) reasons.push('frequent');
  return reasons;
}

/** The same failure mode: the same root cause found, or the same alarm's fault class. */
export function sameFailureMode(a: FaultRecord, b: FaultRecord): boolean {
  return (
    (a.rootCause !== null && a.rootCause === b.rootCause) ||
    (a.faultClass !== null && a.faultClass === b.faultClass)
  );
}
