import { describe, expect, test } from 'vitest';
import { can, pagesFor, type Role } from '../../dashboards/app/lib/roles.ts';
import { byUrgency, slaCountdown } from '../../dashboards/app/lib/sla.ts';
import type { SlaClock } from '../../dashboards/app/lib/types.ts';
import { nextActions } from '../../dashboards/app/lib/workflow.ts';
import { applyAction } from '../../server/tickets/workflow.ts';

describe('nextActions offers exactly the steps the server accepts', () => {
  test.each([
    ['new', null, ['triage']],
    ['triaged', 'on_site', ['dispatch']],
    ['triaged', 'remote', ['resolve']],
    ['triaged', 'return_to_factory', ['resolve']],
    ['dispatched', 'on_site', ['arrive']],
    ['on_site', 'on_site', ['resolve']],
    ['resolved', 'on_site', ['sign_off', 'reopen']],
    ['signed_off', 'on_site', ['close']],
    ['closed', 'on_site', ['reopen']],
  ] as const)('%s (%s) -> %j', (state, mode, want) => {
    const offered = nextActions(state, mode);
    expect(offered).toEqual(want);
    for (const action of offered) expect(applyAction({ state, mode }, action).ok).toBe(true);
  });
});

const clock = (over: Partial<SlaClock>): SlaClock => ({
  clock: 'fix',
  state: 'pending',
  deadline: 10_000,
  atRiskAt: 8_000,
  metAt: null,
  ...over,
});

describe('slaCountdown', () => {
  test.each([
    ['no SLA', null, 0, { badge: 'none', clock: null, remainingMs: null, paused: false }],
    [
      'nearest running deadline',
      {
        state: 'ok',
        clocks: [
          clock({ clock: 'fix', deadline: 10_000 }),
          clock({ clock: 'respond', deadline: 5_000, atRiskAt: 4_000 }),
        ],
      },
      1_000,
      { badge: 'ok', clock: 'respond', remainingMs: 4_000, paused: false },
    ],
    [
      'met clocks do not count down',
      {
        state: 'ok',
        clocks: [clock({ clock: 'respond', state: 'met', metAt: 1, deadline: 5_000 }), clock({})],
      },
      1_000,
      { badge: 'ok', clock: 'fix', remainingMs: 9_000, paused: false },
    ],
    [
      'turns at risk between fetches',
      { state: 'ok', clocks: [clock({})] },
      9_000,
      { badge: 'at_risk', clock: 'fix', remainingMs: 1_000, paused: false },
    ],
    [
      'breached past the deadline',
      { state: 'at_risk', clocks: [clock({ state: 'at_risk' })] },
      12_000,
      { badge: 'breached', clock: 'fix', remainingMs: -2_000, paused: false },
    ],
    [
      "the server's current clock, counted on from its deadline",
      {
        state: 'ok',
        clocks: [
          clock({ clock: 'on_site', deadline: 6_000 }),
          clock({ clock: 'fix', state: 'not_started', deadline: null }),
        ],
        current: { clock: 'on_site', state: 'pending', deadline: 6_000, remainingMs: 5_000 },
        paused: null,
      },
      2_000,
      { badge: 'ok', clock: 'on_site', remainingMs: 4_000, paused: false },
    ],
    [
      'paused: the allowance left, frozen',
      {
        state: 'ok',
        clocks: [clock({ clock: 'fix', state: 'paused', deadline: null })],
        current: { clock: 'fix', state: 'paused', deadline: null, remainingMs: 7_000 },
        paused: { since: 500, reason: 'parts' },
      },
      9_000,
      { badge: 'paused', clock: 'fix', remainingMs: 7_000, paused: true },
    ],
  ] as const)('%s', (_name, sla, now, want) => {
    expect(slaCountdown({ sla: sla as never }, now)).toEqual(want);
  });
});

describe('the board order (byUrgency)', () => {
  const ticket = (id: number, current: { deadline: number | null; remainingMs: number } | null) => ({
    id,
    sla:
      current === null
        ? null
        : {
            state: 'ok' as const,
            clocks: [],
            escalations: [],
            paused: current.deadline === null ? { since: 0, reason: 'parts' as const } : null,
            current: { clock: 'fix' as const, state: 'pending' as const, ...current },
          },
  });
  test('breached first, then the least time left; no clock last, newest first', () => {
    const tickets = [
      ticket(1, { deadline: 50_000, remainingMs: 0 }),
      ticket(2, null),
      ticket(3, { deadline: 5_000, remainingMs: 0 }),
      ticket(4, { deadline: null, remainingMs: 15_000 }),
      ticket(5, null),
      ticket(6, { deadline: 30_000, remainingMs: 0 }),
    ];
    expect(tickets.sort(byUrgency(10_000)).map((t) => t.id)).toEqual([3, 4, 6, 1, 5, 2]);
  });
});

describe('roles', () => {
  test.each([
    ['operator', ['overview', 'alarms'], true, false, false],
    ['service', ['overview', 'alarms', 'service', 'calendar', 'reports'], false, true, false],
    ['engineer', ['overview', 'alarms', 'engineer', 'reports'], false, false, true],
    [
      'admin',
      ['overview', 'alarms', 'service', 'calendar', 'engineer', 'reports', 'admin'],
      true,
      true,
      true,
    ],
    // A customer's own staff read their stations, alarms and tickets and act on none of them.
    ['customer', ['overview', 'alarms', 'service'], false, false, false],
  ] as const)('%s', (role, pages, ack, tickets, simulator) => {
    expect(pagesFor(role as Role)).toEqual(pages);
    expect(can.seeStationCare(role)).toBe(role !== 'customer');
    expect(can.acknowledge(role)).toBe(ack);
    expect(can.transitionTickets(role)).toBe(tickets);
    expect(can.controlSimulator(role)).toBe(simulator);
  });
});
