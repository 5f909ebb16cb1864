import { describe, expect, test } from 'vitest';
import { CN_2026 } from '../../core/sla/cn-holidays.ts';
import { predictedDueAt } from '../../core/sla/due-dates.ts';
import type { SlaPolicy } from '../../core/sla/policies.ts';
import type { BusinessCalendar } from '../../core/sla/working-time.ts';
import type { Severity } from '../../server/alarms/severity.ts';
import { SEED_POLICIES } from '../../server/sla/policies.ts';
import { computeSla, fixMinutesFor, type SlaEvent } from '../../server/sla/sla-clock.ts';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
// Any fixed instant: the clocks are a pure function of the events and the injected `now`.
const T0 = Date.parse('2025-03-03T00:00:00Z');
const policy = (id: string): SlaPolicy => {
  const found = SEED_POLICIES.find((p) => p.id === id);
  if (!found) throw new Error(`no seed policy ${id}`);
  return found;
};
const opened: SlaEvent = { at: T0, kind: 'opened' };
const at = (offset: number) => T0 + offset;
const triaged = (offset: number, mode: 'remote' | 'on_site' | 'return_to_factory' = 'on_site'): SlaEvent => ({
  at: at(offset),
  kind: 'state',
  to: 'triaged',
  mode,
});
const to = (state: 'dispatched' | 'on_site' | 'resolved', offset: number): SlaEvent => ({
  at: at(offset),
  kind: 'state',
  to: state,
});
const visit = (arrive: number): SlaEvent[] => [
  triaged(10 * MIN),
  to('dispatched', 1 * H),
  to('on_site', arrive),
];
const pause = (offset: number): SlaEvent => ({ at: at(offset), kind: 'pause', reason: 'parts' });
const resume = (offset: number): SlaEvent => ({ at: at(offset), kind: 'resume' });

describe('fix allowance per policy and severity (DOMAIN.md table)', () => {
  test.each<[string, Severity, number | null]>([
    ['water-supply-bid', 'minor', 1 * 60],
    ['water-supply-bid', 'general', 2 * 60],
    ['water-supply-bid', 'major', 48 * 60],
    ['purchase-plan', 'minor', 12 * 60],
    ['purchase-plan', 'general', 12 * 60],
    ['purchase-plan', 'major', 24 * 60],
    ['waste-sorting', 'major', null],
  ])('%s %s: %s min', (id, severity, minutes) => {
    expect(fixMinutesFor(policy(id), severity)).toBe(minutes);
  });

  test('both source contracts time the repair from arrival on site (赴现场后…修复)', () => {
    expect(policy('water-supply-bid').fixFrom).toBe('arrival');
    expect(policy('purchase-plan').fixFrom).toBe('arrival');
    expect(policy('water-supply-bid').hours).toEqual({ kind: '24x7' });
  });
});

interface Case {
  policy: SlaPolicy;
  severity?: Severity;
  source?: string;
  dueAt?: number | null;
  events: SlaEvent[];
  now: number;
  calendar?: BusinessCalendar;
}

/** Clocks as `name=state@deadline` (minutes after T0), the current clock and escalations. */
function summary(c: Case) {
  const view = computeSla(
    c.policy,
    { severity: c.severity ?? 'general', source: c.source ?? 'alarm', dueAt: c.dueAt ?? null },
    c.events,
    at(c.now),
    c.calendar,
  );
  const minutes = (ms: number | null) => (ms === null ? '-' : String((ms - T0) / MIN));
  return {
    state: view.state,
    clocks: view.clocks.map((k) => `${k.clock}=${k.state}@${minutes(k.deadline)}`).join(' '),
    current: view.current ? `${view.current.clock}:${view.current.remainingMs / MIN}` : '-',
    escalations: view.escalations.map((e) => `${e.cycle}:${e.clock}:${e.level}@${minutes(e.at)}`).join(' '),
  };
}

const bid = policy('water-supply-bid');
const plan = policy('purchase-plan');
const fromReport: SlaPolicy = { ...plan, fixFrom: 'report' };

describe('water-supply equipment bid: respond at once, on site 24 h, fix from arrival', () => {
  test.each<[string, Case, ReturnType<typeof summary>]>([
    [
      'minor fault 3 h in, nobody on site yet: the fix clock has not started, nothing breached',
      { policy: bid, severity: 'minor', events: [opened], now: 3 * H },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=pending@1440 fix=not_started@-',
        current: 'on_site:1260',
        escalations: '',
      },
    ],
    [
      'arrived at 20 h, 1 h 30 later: the 2 h fix is at risk, counted from arrival',
      { policy: bid, events: [opened, ...visit(20 * H)], now: 21 * H + 30 * MIN },
      {
        state: 'at_risk',
        clocks: 'respond=met@0 on_site=met@1440 fix=at_risk@1320',
        current: 'fix:30',
        escalations: '0:on_site:at_risk@1080 0:fix:at_risk@1290',
      },
    ],
    [
      'arrived at 20 h, 2 h later not fixed: breached',
      { policy: bid, events: [opened, ...visit(20 * H)], now: 22 * H + 10 * MIN },
      {
        state: 'breached',
        clocks: 'respond=met@0 on_site=met@1440 fix=breached@1320',
        current: 'fix:-10',
        escalations: '0:on_site:at_risk@1080 0:fix:at_risk@1290 0:fix:breached@1320',
      },
    ],
    [
      'minor fault fixed 50 min after arrival at 23 h: every clock met',
      {
        policy: bid,
        severity: 'minor',
        events: [opened, ...visit(23 * H), to('resolved', 23 * H + 50 * MIN)],
        now: 30 * H,
      },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=met@1440 fix=met@1440',
        current: '-',
        escalations: '0:on_site:at_risk@1080 0:fix:at_risk@1425',
      },
    ],
    [
      'no technician after 24 h: on site breached, the fix clock still not started',
      { policy: bid, events: [opened, triaged(10 * MIN)], now: 25 * H },
      {
        state: 'breached',
        clocks: 'respond=met@0 on_site=breached@1440 fix=not_started@-',
        current: 'on_site:-60',
        escalations: '0:on_site:at_risk@1080 0:on_site:breached@1440',
      },
    ],
    [
      'waiting 3 h for parts after arrival at 2 h: paused time does not count',
      {
        policy: bid,
        events: [opened, ...visit(2 * H), pause(2 * H + 30 * MIN), resume(5 * H + 30 * MIN)],
        now: 6 * H,
      },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=met@1440 fix=pending@420',
        current: 'fix:60',
        escalations: '',
      },
    ],
    [
      'a pause in force: the fix clock is paused with its time left, no deadline, no escalation',
      { policy: bid, events: [opened, ...visit(2 * H), pause(2 * H + 30 * MIN)], now: 10 * H },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=met@1440 fix=paused@-',
        current: 'fix:90',
        escalations: '',
      },
    ],
    [
      'a pause before arrival also holds the on-site clock',
      { policy: bid, events: [opened, triaged(10 * MIN), pause(1 * H), resume(11 * H)], now: 20 * H },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=pending@2040 fix=not_started@-',
        current: 'on_site:840',
        escalations: '',
      },
    ],
    [
      'remote fix: no visit, the fix clock runs from the triage decision',
      { policy: bid, events: [opened, triaged(10 * MIN, 'remote')], now: 1 * H },
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=n_a@- fix=pending@130',
        current: 'fix:70',
        escalations: '',
      },
    ],
    [
      'reopened: the clocks restart from the reopen, escalations in cycle 1',
      {
        policy: bid,
        events: [
          opened,
          triaged(10 * MIN, 'remote'),
          to('resolved', 30 * MIN),
          { at: at(3 * H), kind: 'reopened' },
        ],
        now: 4 * H,
      },
      {
        state: 'ok',
        clocks: 'respond=met@180 on_site=pending@1620 fix=not_started@-',
        current: 'on_site:1380',
        escalations: '',
      },
    ],
  ])('%s', (_name, c, expected) => {
    expect(summary(c)).toEqual(expected);
  });
});

describe('equipment purchase plan: respond 1 h, on site 24 h, fix 12 h / 24 h from arrival', () => {
  test.each<[string, Case, ReturnType<typeof summary>]>([
    [
      'triaged after 40 min: respond met',
      { policy: plan, events: [opened, triaged(40 * MIN)], now: 1 * H },
      {
        state: 'ok',
        clocks: 'respond=met@60 on_site=pending@1440 fix=not_started@-',
        current: 'on_site:1380',
        escalations: '',
      },
    ],
    [
      'not triaged after 70 min: respond breached',
      { policy: plan, events: [opened], now: 70 * MIN },
      {
        state: 'breached',
        clocks: 'respond=breached@60 on_site=pending@1440 fix=not_started@-',
        current: 'respond:-10',
        escalations: '0:respond:at_risk@45 0:respond:breached@60',
      },
    ],
    [
      'general fault, arrived at 20 h, 11 h later: at risk, due 12 h after arrival',
      { policy: plan, events: [opened, ...visit(20 * H)], now: 31 * H },
      {
        state: 'at_risk',
        clocks: 'respond=met@60 on_site=met@1440 fix=at_risk@1920',
        current: 'fix:60',
        escalations: '0:on_site:at_risk@1080 0:fix:at_risk@1740',
      },
    ],
    [
      'a contract that times the fix from the report: breached at 12 h without a visit',
      { policy: fromReport, events: [opened, triaged(10 * MIN)], now: 13 * H },
      {
        state: 'breached',
        clocks: 'respond=met@60 on_site=pending@1440 fix=breached@720',
        current: 'fix:-60',
        escalations: '0:fix:at_risk@540 0:fix:breached@720',
      },
    ],
  ])('%s', (_name, c, expected) => {
    expect(summary(c)).toEqual(expected);
  });
});

describe('working hours on the business calendar (08:30-17:30 Mon-Fri, China time)', () => {
  const hours: SlaPolicy['hours'] = {
    kind: 'working',
    days: [1, 2, 3, 4, 5],
    start: '08:30',
    end: '17:30',
    utcOffsetMinutes: 480,
    useCalendar: true,
  };
  const office: SlaPolicy = { ...plan, hours };
  const calendar: BusinessCalendar = new Map(CN_2026.map((d) => [d.day, d.kind]));
  const deadlines = (report: string, now: string) => {
    const t = Date.parse(report);
    const view = computeSla(
      office,
      { severity: 'general', source: 'phone', dueAt: null },
      [{ at: t, kind: 'opened' }],
      Date.parse(now),
      calendar,
    );
    return Object.fromEntries(
      view.clocks.map((c) => [c.clock, c.deadline === null ? null : new Date(c.deadline).toISOString()]),
    );
  };

  test('a report at 17:00 on the Friday before Qingming (4-6 April 2026) is answered by 09:00 on Tuesday', () => {
    // 30 min on Friday, then the weekend and the Monday holiday do not count.
    const view = deadlines('2026-04-03T09:00:00Z', '2026-04-06T03:00:00Z');
    expect(view.respond).toBe('2026-04-07T01:00:00.000Z');
  });

  test('the holiday does not breach: on the Monday holiday the respond clock is still pending', () => {
    const t = Date.parse('2026-04-03T09:00:00Z');
    const view = computeSla(
      office,
      { severity: 'general', source: 'phone', dueAt: null },
      [{ at: t, kind: 'opened' }],
      Date.parse('2026-04-06T05:00:00Z'),
      calendar,
    );
    expect(view.clocks[0]?.state).toBe('pending');
    expect(view.current).toMatchObject({
      clock: 'respond',
      remainingMs: Date.parse('2026-04-07T01:00:00Z') - Date.parse('2026-04-06T05:00:00Z'),
    });
  });

  test('a swapped working day (Saturday 14 February 2026, 调休) counts; the Spring Festival does not', () => {
    // Friday 17:00: 30 min; Saturday 14th is a working day (9 h); 15th-23rd off; Tue 24th 9 h; Wed 25th 5.5 h.
    const view = deadlines('2026-02-13T09:00:00Z', '2026-02-13T09:05:00Z');
    expect(view.respond).toBe('2026-02-14T01:00:00.000Z');
    expect(view.on_site).toBe('2026-02-25T06:00:00.000Z');
  });

  test('without the calendar the same Saturday is a weekend day', () => {
    const t = Date.parse('2026-02-13T09:00:00Z');
    const view = computeSla(
      office,
      { severity: 'general', source: 'phone', dueAt: null },
      [{ at: t, kind: 'opened' }],
      t,
      new Map(),
    );
    expect(new Date(view.clocks[0]?.deadline ?? 0).toISOString()).toBe('2026-02-16T01:00:00.000Z');
  });
});

describe('planned, follow-up and predictive work: a due date, never a fault clock', () => {
  test.each<[string, Case, ReturnType<typeof summary>]>([
    [
      'six-monthly maintenance due in 30 days, 10 days in: pending, no fix clock',
      { policy: bid, severity: 'minor', source: 'plan', dueAt: at(30 * D), events: [opened], now: 10 * D },
      { state: 'ok', clocks: 'due=pending@43200', current: 'due:28800', escalations: '' },
    ],
    [
      'the same work one day before its due date: at risk, not breached',
      { policy: bid, severity: 'minor', source: 'plan', dueAt: at(30 * D), events: [opened], now: 29 * D },
      {
        state: 'at_risk',
        clocks: 'due=at_risk@43200',
        current: 'due:1440',
        escalations: '0:due:at_risk@32400',
      },
    ],
    [
      'the same work past its due date: breached',
      { policy: bid, severity: 'minor', source: 'plan', dueAt: at(30 * D), events: [opened], now: 31 * D },
      {
        state: 'breached',
        clocks: 'due=breached@43200',
        current: 'due:-1440',
        escalations: '0:due:at_risk@32400 0:due:breached@43200',
      },
    ],
    [
      'maintenance ticketed 5 days after its due date (grace days): overdue since the due date',
      { policy: bid, severity: 'minor', source: 'plan', dueAt: at(-5 * D), events: [opened], now: 1 * H },
      {
        state: 'breached',
        clocks: 'due=breached@-7200',
        current: 'due:-7260',
        escalations: '0:due:breached@-7200',
      },
    ],
    [
      'a follow-up visit done before its due date: met',
      {
        policy: plan,
        severity: 'minor',
        source: 'follow_up',
        dueAt: at(7 * D),
        events: [opened, to('resolved', 3 * D)],
        now: 8 * D,
      },
      { state: 'ok', clocks: 'due=met@10080', current: '-', escalations: '' },
    ],
    [
      'a prediction 13 days ahead of its crossing, just opened: due 3 days before the crossing, not breached',
      {
        policy: bid,
        severity: 'minor',
        source: 'predictive',
        dueAt: predictedDueAt(at(13 * D), T0),
        events: [opened],
        now: 1 * MIN,
      },
      { state: 'ok', clocks: 'due=pending@14400', current: 'due:14399', escalations: '' },
    ],
    [
      'the prediction 9 days in: at risk, still inside its due date',
      {
        policy: bid,
        severity: 'minor',
        source: 'predictive',
        dueAt: predictedDueAt(at(13 * D), T0),
        events: [opened],
        now: 9 * D,
      },
      {
        state: 'at_risk',
        clocks: 'due=at_risk@14400',
        current: 'due:1440',
        escalations: '0:due:at_risk@10800',
      },
    ],
  ])('%s', (_name, c, expected) => {
    expect(summary(c)).toEqual(expected);
  });

  test('a crossing 2 days ahead is due halfway there', () => {
    expect(predictedDueAt(at(2 * D), T0)).toBe(at(1 * D));
  });

  test('no opening event: no clocks', () => {
    const view = computeSla(plan, { severity: 'major', source: 'alarm', dueAt: null }, [], T0);
    expect(view).toMatchObject({ state: 'ok', clocks: [], escalations: [], current: null });
  });
});
