import { acceptanceIssues, acceptancePassed } from '../../core/acceptance/acceptance-rules.ts';
import type { AcceptanceBody, AcceptanceRecord, AcceptanceView } from '../../core/api/acceptance.ts';
import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';
import { addMonths, type Day, followUpVisits } from '../maintenance/schedule.ts';
import type { AcceptanceDates, AcceptanceStation } from './acceptance-store.ts';
import { warrantyFromAcceptance } from './warranty.ts';

export interface AcceptanceRefusal {
  path: string;
  code: MessageCode;
  params: MessageParams;
  message: string;
}

export type AcceptanceDecision =
  | { kind: 'refused'; issues: AcceptanceRefusal[] }
  | { kind: 'record'; passed: boolean; dates: AcceptanceDates | undefined };

/**
 * What a new record does, pure: refused when a test falls short of the rules or is dated after
 * today; a passed one sets the acceptance date and the warranty from the contract's terms (a station
 * without a contract keeps its warranty dates); a failed one starts nothing, and takes back what a
 * passed record before it had started.
 */
export function decideAcceptance(
  station: AcceptanceStation,
  previous: AcceptanceRecord | null,
  body: AcceptanceBody,
  today: Day,
): AcceptanceDecision {
  const issues: AcceptanceRefusal[] = acceptanceIssues({
    nominalVoltage: body.nominalVoltage,
    dielectric: body.dielectric,
    earth: body.earth,
  });
  if (body.acceptedOn > today) {
    issues.unshift({
      path: 'acceptedOn',
      code: 'error.acceptanceInFuture',
      params: { day: body.acceptedOn, today },
      message: `accepted on ${body.acceptedOn}, after today (${today}): record a test once it is done`,
    });
  }
  if (issues.length > 0) return { kind: 'refused', issues };
  const passed = acceptancePassed(body);
  if (!passed) {
    const undo = previous?.passed
      ? {
          acceptanceDate: null,
          warrantyEnd: null,
          pumps: station.pumps.map((p) => ({ pump: p.pump, warrantyEnd: null })),
        }
      : undefined;
    return { kind: 'record', passed, dates: undo };
  }
  if (station.terms === null) {
    return {
      kind: 'record',
      passed,
      dates: {
        acceptanceDate: body.acceptedOn,
        warrantyEnd: station.warrantyEnd,
        pumps: station.pumps.map((p) => ({ pump: p.pump, warrantyEnd: p.warrantyEnd })),
      },
    };
  }
  const warranty = warrantyFromAcceptance(station.terms, body.acceptedOn, station.pumps);
  return {
    kind: 'record',
    passed,
    dates: { acceptanceDate: body.acceptedOn, warrantyEnd: warranty.equipmentEnd, pumps: warranty.pumps },
  };
}

/** The answer of both routes: the record, the dates it started and the first two years of visits. Pure. */
export function acceptanceView(station: AcceptanceStation, record: AcceptanceRecord | null): AcceptanceView {
  const accepted = station.acceptanceDate;
  const warranty =
    accepted && station.terms ? warrantyFromAcceptance(station.terms, accepted, station.pumps) : null;
  return {
    record,
    acceptanceDate: accepted,
    warrantyEnd: station.warrantyEnd,
    parts: warranty?.parts ?? [],
    softwareLifetime: warranty?.softwareLifetime ?? false,
    pumps: station.pumps.map((p) => ({ pump: p.pump, warrantyEnd: p.warrantyEnd })),
    followUps: accepted ? followUpVisits(accepted, accepted, addMonths(accepted, 24)) : [],
  };
}
