import { describe, expect, test } from 'vitest';
import { render } from '../../core/i18n/render.ts';
import {
  ALARM_STATUSES,
  type AlarmEvent,
  clearStep,
  nextAlarmStatus,
  raiseStep,
} from '../../server/alarms/lifecycle.ts';
import { opensTicket, ticketPolicySchema } from '../../server/tickets/policy.ts';
import { reliability } from '../../server/tickets/reliability.ts';
import {
  applyAction,
  type ServiceMode,
  TICKET_ACTIONS,
  type TicketAction,
  WORKFLOW_STATES,
  type WorkflowState,
} from '../../server/tickets/workflow.ts';

/** The legal moves of DOMAIN.md's workflow, written out by hand: everything else is refused. */
const LEGAL: Record<string, WorkflowState> = {
  'new/triage': 'triaged',
  'triaged/dispatch': 'dispatched',
  'dispatched/arrive': 'on_site',
  'on_site/resolve': 'resolved',
  'resolved/sign_off': 'signed_off',
  'signed_off/close': 'closed',
  'resolved/reopen': 'new',
  'closed/reopen': 'new',
};

const cases = WORKFLOW_STATES.flatMap((state) =>
  TICKET_ACTIONS.map((action): [WorkflowState, TicketAction, WorkflowState | null] => [
    state,
    action,
    LEGAL[`${state}/${action}`] ?? null,
  ]),
);

describe('ticket workflow: every state and action (on-site service)', () => {
  test.each(cases)('%s + %s -> %s', (state, action, expected) => {
    const result = applyAction({ state, mode: state === 'new' ? null : 'on_site' }, action);
    if (expected === null) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^cannot /);
    } else {
      expect(result).toEqual({ ok: true, to: expected });
    }
  });
});

describe('ticket workflow: guards that depend on the triage decision', () => {
  test.each<[WorkflowState, ServiceMode | null, TicketAction, WorkflowState | null, RegExp | null]>([
    ['triaged', 'remote', 'resolve', 'resolved', null],
    ['triaged', 'return_to_factory', 'resolve', 'resolved', null],
    ['triaged', 'on_site', 'resolve', null, /technician is on site/],
    ['triaged', 'remote', 'dispatch', null, /triaged for remote service/],
    ['triaged', 'on_site', 'dispatch', 'dispatched', null],
    ['new', null, 'resolve', null, /allowed from triaged, on_site/],
    ['signed_off', 'on_site', 'reopen', null, /only a resolved or closed ticket/],
    ['resolved', 'remote', 'close', null, /customer must sign off/],
  ])('%s (%s) + %s', (state, mode, action, expected, reason) => {
    const result = applyAction({ state, mode }, action);
    if (expected) expect(result).toEqual({ ok: true, to: expected });
    else expect(result.ok ? '' : result.reason).toMatch(reason ?? /./);
  });
});

describe('ticket workflow: a refusal carries its code, read in Chinese', () => {
  test.each<[WorkflowState, ServiceMode | null, TicketAction, string]>([
    ['new', null, 'close', '工单处于「新建」状态，不能关闭：须先由客户签字验收'],
    ['triaged', 'on_site', 'resolve', '现场服务工单须在技术人员到场后才能处理完成：请先派工并确认到场'],
    ['triaged', 'remote', 'dispatch', '工单评估为远程处理，不能派工：请评估为现场服务'],
    ['resolved', 'on_site', 'dispatch', '工单处于「已处理」状态，不能派工：请先评估工单'],
  ])('%s (%s) + %s', (state, mode, action, chinese) => {
    const result = applyAction({ state, mode }, action);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(render('zh-CN', result.code, result.params)).toBe(chinese);
  });
});

describe('alarm lifecycle', () => {
  const LEGAL_ALARM: Record<string, string> = {
    'active_unack/clear': 'cleared_unack',
    'active_ack/clear': 'cleared_ack',
    'active_unack/acknowledge': 'active_ack',
    'cleared_unack/acknowledge': 'cleared_ack',
    'cleared_unack/raise': 'active_unack',
  };
  const events: AlarmEvent[] = ['raise', 'clear', 'acknowledge'];
  test.each(ALARM_STATUSES.flatMap((status) => events.map((event) => [status, event] as const)))(
    '%s + %s',
    (status, event) => {
      const expected = LEGAL_ALARM[`${status}/${event}`];
      const next = nextAlarmStatus(status, event);
      if (expected) expect(next).toBe(expected);
      else expect(typeof next === 'object' && next.refused.length > 0).toBe(true);
    },
  );
});

describe('alarm raise and clear, as the alarm store applies them', () => {
  test.each([
    [undefined, { kind: 'create', status: 'active_unack' }],
    ['cleared_unack', { kind: 'reraise', status: 'active_unack' }],
    ['active_unack', { kind: 'standing' }],
    ['active_ack', { kind: 'standing' }],
  ] as const)('raise on a live alarm %s', (live, expected) => {
    expect(raiseStep(live)).toEqual(expected);
  });

  test.each([
    [undefined, undefined],
    ['active_unack', 'cleared_unack'],
    ['active_ack', 'cleared_ack'],
    ['cleared_unack', undefined],
  ] as const)('clear on a live alarm %s', (live, expected) => {
    expect(clearStep(live)).toBe(expected);
  });
});

describe('ticket policy', () => {
  const policy = ticketPolicySchema.parse({});
  test.each([
    ['pump_trip', 'general', true],
    ['all_pumps_down', 'major', true],
    ['redundancy_lost', 'minor', true],
    ['tank_low', 'minor', false],
    ['sensor_stuck', 'minor', false],
  ] as const)('%s (%s) opens a ticket: %s', (faultClass, severity, expected) => {
    expect(opensTicket(policy, { faultClass, severity })).toBe(expected);
  });

  test('exclusions win, and a bad policy names the field', () => {
    expect(
      opensTicket(ticketPolicySchema.parse({ exclude: ['pump_trip'] }), {
        faultClass: 'pump_trip',
        severity: 'major',
      }),
    ).toBe(false);
    expect(() => ticketPolicySchema.parse({ severities: ['huge'] })).toThrow(/severities/);
  });
});

describe('MTBF and MTTR from tickets', () => {
  const h = 3_600_000;
  const failures = [
    {
      station: 'demo/st1',
      pumpModel: 'CDLF 32-4',
      failureMode: 'bearing_wear',
      openedAt: 10 * h,
      resolvedAt: 14 * h,
    },
    {
      station: 'demo/st1',
      pumpModel: 'CDLF 32-4',
      failureMode: 'vfd_fault',
      openedAt: 100 * h,
      resolvedAt: 102 * h,
    },
    {
      station: 'demo/st2',
      pumpModel: 'CDL 20-5',
      failureMode: 'bearing_wear',
      openedAt: 50 * h,
      resolvedAt: null,
    },
    {
      station: 'demo/st2',
      pumpModel: 'CDL 20-5',
      failureMode: 'bearing_wear',
      openedAt: 2000 * h,
      resolvedAt: null,
    },
  ];
  test.each([
    [
      'station',
      {},
      [
        { key: 'demo/st1', failures: 2, mtbfHours: 500, mttrHours: 3, resolved: 2 },
        { key: 'demo/st2', failures: 1, mtbfHours: 1000, mttrHours: null, resolved: 0 },
      ],
    ],
    [
      'pump_model',
      { 'CDLF 32-4': 6 },
      [
        { key: 'CDLF 32-4', failures: 2, mtbfHours: 3000, mttrHours: 3, resolved: 2 },
        { key: 'CDL 20-5', failures: 1, mtbfHours: 1000, mttrHours: null, resolved: 0 },
      ],
    ],
    [
      'failure_mode',
      {},
      [
        { key: 'bearing_wear', failures: 2, mtbfHours: 500, mttrHours: 4, resolved: 1 },
        { key: 'vfd_fault', failures: 1, mtbfHours: 1000, mttrHours: 2, resolved: 1 },
      ],
    ],
  ] as const)('by %s over 1000 h', (grouping, units, expected) => {
    expect(reliability(failures, grouping, { from: 0, to: 1000 * h }, units)).toEqual(expected);
  });
});
