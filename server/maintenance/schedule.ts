import { type Coded, coded } from '../../core/i18n/render.ts';

/**
 * Preventive maintenance and follow-up visits as dates, pure. DOMAIN.md: follow-up visits counted from
 * acceptance: a first one soon after, the 3rd month, the 6th month, then yearly; maintenance every six months.
 */

const DAY = 86_400_000;

/** A calendar date, YYYY-MM-DD (UTC). */
export type Day = string;

export const dayOf = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);
export const msOf = (day: Day): number => Date.parse(`${day}T00:00:00Z`);

/** `day` plus whole months; the 31st of a shorter month falls on its last day (Jan 31 + 1 month = Feb 28). */
export function addMonths(day: Day, months: number): Day {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return dayOf(target.getTime());
}

export interface FollowUpVisit {
  /** Months after acceptance: 0 (the first visit), 3, 6, 12, 24, ... */
  months: number;
  kind: 'first' | 'quarterly' | 'half_year' | 'yearly';
  due: Day;
}

/**
 * Days after acceptance of the first follow-up: the source's service rules call the customer "three
 * days to a week" after taking delivery (售后第一次追踪服务), so the visit is due by the seventh day.
 */
export const FIRST_VISIT_DAYS = 7;

/** Follow-up visits of a station accepted on `acceptance`, due in [from, to]. */
export function followUpVisits(acceptance: Day, from: Day, to: Day): FollowUpVisit[] {
  const visits: FollowUpVisit[] = [];
  const first = dayOf(msOf(acceptance) + FIRST_VISIT_DAYS * DAY);
  if (first >= from && first <= to) visits.push({ months: 0, kind: 'first', due: first });
  // Bounded: a century of yearly visits at most.
  for (let i = 0; i < 102; i++) {
    const months = i === 0 ? 3 : i === 1 ? 6 : (i - 1) * 12;
    const due = addMonths(acceptance, months);
    if (due > to) break;
    if (due >= from)
      visits.push({ months, kind: i === 0 ? 'quarterly' : i === 1 ? 'half_year' : 'yearly', due });
  }
  return visits;
}

/** A follow-up ticket's title and description, in English and as codes. */
function followUpTexts(visit: FollowUpVisit, acceptance: Day, where: string) {
  if (visit.kind === 'first') {
    return {
      title: `First follow-up visit due ${visit.due}`,
      titleCoded: coded('ticket.firstVisit', { due: visit.due }),
      descriptionCoded: coded('ticket.firstVisitDescription', { acceptance, station: where }),
      description: `First follow-up visit within a week of acceptance (${acceptance}) of ${where}: check the equipment runs as handed over and answer the customer's questions.`,
    };
  }
  return {
    title: `Follow-up visit (${visit.kind.replace('_', '-')}, month ${visit.months}) due ${visit.due}`,
    titleCoded: coded('ticket.followUp', { kind: visit.kind, months: visit.months, due: visit.due }),
    descriptionCoded: coded('ticket.followUpDescription', {
      months: visit.months,
      acceptance,
      station: where,
    }),
    description: `Follow-up visit ${visit.months} months after acceptance (${acceptance}) of ${where}: usage check, new needs, maintenance advice; end with the satisfaction survey.`,
  };
}

/** Calendar maintenance every `everyMonths` from `anchor` (acceptance), due in [from, to]. */
export function calendarDueDates(anchor: Day, everyMonths: number, from: Day, to: Day): Day[] {
  if (!(everyMonths > 0)) throw new RangeError(`everyMonths must be > 0, got ${everyMonths}`);
  const dates: Day[] = [];
  for (let k = 1; k <= 1200; k++) {
    const due = addMonths(anchor, k * everyMonths);
    if (due > to) break;
    if (due >= from) dates.push(due);
  }
  return dates;
}

/**
 * Run-hour maintenance: the next multiple of `everyRunHours` ahead of `runHours`, and whether it is
 * close enough to open its ticket (within `leadDays` of running around the clock).
 */
export function runHoursDue(
  runHours: number,
  everyRunHours: number,
  leadDays: number,
): { dueAt: number; open: boolean } {
  const dueAt = (Math.floor(runHours / everyRunHours) + 1) * everyRunHours;
  return { dueAt, open: dueAt - runHours <= leadDays * 24 };
}

export interface PlanInput {
  id: string;
  name: string;
  model: string | null;
  contractId: string | null;
  everyMonths: number | null;
  everyRunHours: number | null;
  leadDays: number;
  work: string;
}

export interface StationInput {
  site: string;
  station: string;
  model: string;
  contractId: string | null;
  acceptance: Day | null;
  pumps: { pump: number; model: string }[];
  /** Latest run hours per pump, when known. */
  runHours: Record<number, number>;
}

/** Work that should have its ticket now: due within its lead time (and not long past). */
export interface DueWork {
  kind: 'preventive' | 'follow_up';
  site: string;
  station: string;
  pump: number | null;
  /** Unique per piece of work: the ticket subject, so a date is never ticketed twice. */
  subject: string;
  title: string;
  /** `title` (and `description` when the server wrote it all) as core/i18n codes. */
  titleCoded: Coded;
  descriptionCoded?: Coded;
  description: string;
  due: Day | null;
  planId: string | null;
}

/** Does a plan apply to this station (or pump) model and contract? */
export function planApplies(plan: PlanInput, station: StationInput, pumpModel?: string): boolean {
  if (plan.contractId !== null && plan.contractId !== station.contractId) return false;
  return plan.model === null || plan.model === station.model || plan.model === pumpModel;
}

/** Everything due on `today` that needs a ticket: calendar and run-hour plans, and follow-up visits. */
export function dueWork(
  plans: PlanInput[],
  stations: StationInput[],
  today: Day,
  options: { followUpLeadDays: number; graceDays: number },
): DueWork[] {
  const out: DueWork[] = [];
  const from = dayOf(msOf(today) - options.graceDays * DAY);
  for (const s of stations) {
    const where = `${s.site}/${s.station}`;
    if (s.acceptance) {
      const to = dayOf(msOf(today) + options.followUpLeadDays * DAY);
      for (const visit of followUpVisits(s.acceptance, from, to)) {
        out.push({
          kind: 'follow_up',
          site: s.site,
          station: s.station,
          pump: null,
          subject: `follow_up:${visit.months}m`,
          ...followUpTexts(visit, s.acceptance, where),
          due: visit.due,
          planId: null,
        });
      }
    }
    for (const plan of plans) {
      if (plan.everyMonths !== null && s.acceptance && planApplies(plan, s)) {
        const to = dayOf(msOf(today) + plan.leadDays * DAY);
        for (const due of calendarDueDates(s.acceptance, plan.everyMonths, from, to)) {
          out.push({
            kind: 'preventive',
            site: s.site,
            station: s.station,
            pump: null,
            subject: `plan:${plan.id}:${due}`,
            title: `${plan.name} due ${due}`,
            titleCoded: coded('ticket.plan', { plan: plan.name, planId: plan.id, due }),
            descriptionCoded: coded('ticket.planDescription', {
              plan: plan.name,
              planId: plan.id,
              station: where,
              months: plan.everyMonths,
              work: plan.work,
            }),
            description: `${plan.name} of ${where} (every ${plan.everyMonths} months from acceptance): ${plan.work}`,
            due,
            planId: plan.id,
          });
        }
      }
      if (plan.everyRunHours !== null) {
        for (const pump of s.pumps) {
          const hours = s.runHours[pump.pump];
          if (hours === undefined || !planApplies(plan, s, pump.model)) continue;
          const { dueAt, open } = runHoursDue(hours, plan.everyRunHours, plan.leadDays);
          if (!open) continue;
          out.push({
            kind: 'preventive',
            site: s.site,
            station: s.station,
            pump: pump.pump,
            subject: `plan:${plan.id}:pump[${pump.pump}]:${dueAt}h`,
            title: `${plan.name}, pump ${pump.pump}, due at ${dueAt} run hours`,
            titleCoded: coded('ticket.planOn', {
              plan: plan.name,
              planId: plan.id,
              subject: `pump[${pump.pump}]`,
              hours: dueAt,
            }),
            description: `${plan.name} of ${where} pump ${pump.pump} (every ${plan.everyRunHours} run hours; now ${Math.round(hours)} h): ${plan.work}`,
            due: null,
            planId: plan.id,
          });
        }
      }
    }
  }
  return out;
}
