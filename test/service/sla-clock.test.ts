import { describe, expect, test } from 'vitest';
import type { Severity } from '../../server/alarms/severity.ts';
import { SEED_POLICIES } from '../../server/sla/policies.ts';
import { computeSla, fixMinutesFor, type SlaEvent } from '../../server/sla/sla-clock.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.parse('2025-03-01T08:00:00Z');
const policy = (id: string) => {
  const found = SEED_POLICIES.find((p) => p.id === id);
  if (!found) throw new Error(`no seed policy ${id}`);
  return found;
};
const opened: SlaEvent = { at: T0, kind: 'opened' };

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
});

type Row = [
  name: string,
  policyId: string,
  severity: Severity,
  events: SlaEvent[],
  nowOffset: number,
  expected: { state: string; clocks: string; escalations: string },
];

const summary = (id: string, severity: Severity, events: SlaEvent[], now: number) => {
  const view = computeSla(policy(id), severity, events, now);
  return {
    state: view.state,
    clocks: view.clocks
      .map((c) => `${c.clock}=${c.state}@${c.deadline === null ? '-' : (c.deadline - T0) / MIN}`)
      .join(' '),
    escalations: view.escalations
      .map((e) => `${e.cycle}:${e.clock}:${e.level}@${(e.at - T0) / MIN}`)
      .join(' '),
  };
};

describe('SLA clocks', () => {
  test.each<Row>([
    [
      'bid general, 1 h in: respond met at once, all running',
      'water-supply-bid',
      'general',
      [opened],
      1 * H,
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=pending@1440 fix=pending@120',
        escalations: '',
      },
    ],
    [
      'bid general, 1 h 30 in: fix at risk (25 % left)',
      'water-supply-bid',
      'general',
      [opened],
      90 * MIN,
      {
        state: 'at_risk',
        clocks: 'respond=met@0 on_site=pending@1440 fix=at_risk@120',
        escalations: '0:fix:at_risk@90',
      },
    ],
    [
      'bid general, 2 h in: fix breached, escalated twice',
      'water-supply-bid',
      'general',
      [opened],
      2 * H,
      {
        state: 'breached',
        clocks: 'respond=met@0 on_site=pending@1440 fix=breached@120',
        escalations: '0:fix:at_risk@90 0:fix:breached@120',
      },
    ],
    [
      'bid minor: fix in 1 h',
      'water-supply-bid',
      'minor',
      [opened],
      59 * MIN,
      {
        state: 'at_risk',
        clocks: 'respond=met@0 on_site=pending@1440 fix=at_risk@60',
        escalations: '0:fix:at_risk@45',
      },
    ],
    [
      'bid major, 25 h, nobody on site: on-site breached',
      'water-supply-bid',
      'major',
      [opened],
      25 * H,
      {
        state: 'breached',
        clocks: 'respond=met@0 on_site=breached@1440 fix=pending@2880',
        escalations: '0:on_site:at_risk@1080 0:on_site:breached@1440',
      },
    ],
    [
      'bid major, on site at 20 h, fixed at 30 h: all met',
      'water-supply-bid',
      'major',
      [
        opened,
        { at: T0 + 10 * MIN, kind: 'state', to: 'triaged', mode: 'on_site' },
        { at: T0 + 1 * H, kind: 'state', to: 'dispatched' },
        { at: T0 + 20 * H, kind: 'state', to: 'on_site' },
        { at: T0 + 30 * H, kind: 'state', to: 'resolved' },
      ],
      100 * H,
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=met@1440 fix=met@2880',
        escalations: '0:on_site:at_risk@1080',
      },
    ],
    [
      'purchase plan general, 30 min, not triaged',
      'purchase-plan',
      'general',
      [opened],
      30 * MIN,
      {
        state: 'ok',
        clocks: 'respond=pending@60 on_site=pending@1440 fix=pending@720',
        escalations: '',
      },
    ],
    [
      'purchase plan general, 50 min, not triaged: respond at risk',
      'purchase-plan',
      'general',
      [opened],
      50 * MIN,
      {
        state: 'at_risk',
        clocks: 'respond=at_risk@60 on_site=pending@1440 fix=pending@720',
        escalations: '0:respond:at_risk@45',
      },
    ],
    [
      'purchase plan, triaged at 40 min: respond met',
      'purchase-plan',
      'general',
      [opened, { at: T0 + 40 * MIN, kind: 'state', to: 'triaged', mode: 'on_site' }],
      2 * H,
      {
        state: 'ok',
        clocks: 'respond=met@60 on_site=pending@1440 fix=pending@720',
        escalations: '',
      },
    ],
    [
      'purchase plan, triaged at 70 min: met late is a breach',
      'purchase-plan',
      'major',
      [opened, { at: T0 + 70 * MIN, kind: 'state', to: 'triaged', mode: 'on_site' }],
      2 * H,
      {
        state: 'breached',
        clocks: 'respond=met_late@60 on_site=pending@1440 fix=pending@1440',
        escalations: '0:respond:at_risk@45 0:respond:breached@60',
      },
    ],
    [
      'remote triage: no on-site clock',
      'purchase-plan',
      'general',
      [opened, { at: T0 + 5 * MIN, kind: 'state', to: 'triaged', mode: 'remote' }],
      23 * H,
      {
        state: 'breached',
        clocks: 'respond=met@60 on_site=n_a@- fix=breached@720',
        escalations: '0:fix:at_risk@540 0:fix:breached@720',
      },
    ],
    [
      'waste sorting: respond and on site 30 min, fix "promptly" has no clock',
      'waste-sorting',
      'major',
      [opened],
      10 * MIN,
      {
        state: 'ok',
        clocks: 'respond=pending@30 on_site=pending@30 fix=n_a@-',
        escalations: '',
      },
    ],
    [
      'reopened: clocks restart from the reopen, escalations in cycle 1',
      'water-supply-bid',
      'minor',
      [
        { at: T0 + 3 * H, kind: 'reopened' },
        opened,
        { at: T0 + 10 * MIN, kind: 'state', to: 'triaged', mode: 'remote' },
        { at: T0 + 30 * MIN, kind: 'state', to: 'resolved' },
      ],
      4 * H,
      {
        state: 'breached',
        clocks: 'respond=met@180 on_site=pending@1620 fix=breached@240',
        escalations: '0:fix:at_risk@225 0:fix:breached@240'.replace(/0:/g, '1:'),
      },
    ],
    [
      'events after now are ignored (clock skew)',
      'water-supply-bid',
      'general',
      [opened, { at: T0 + 5 * H, kind: 'state', to: 'resolved' }],
      1 * H,
      {
        state: 'ok',
        clocks: 'respond=met@0 on_site=pending@1440 fix=pending@120',
        escalations: '',
      },
    ],
  ])('%s', (_name, id, severity, events, nowOffset, expected) => {
    expect(summary(id, severity, events, T0 + nowOffset)).toEqual(expected);
  });

  test('no opening event: no clocks', () => {
    expect(computeSla(policy('purchase-plan'), 'major', [], T0)).toEqual({
      state: 'ok',
      clocks: [],
      escalations: [],
    });
  });
});
