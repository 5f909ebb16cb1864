import { describe, expect, test } from 'vitest';
import { missingCloseFields } from '../../core/quality/close-record.ts';
import { isOverdue, mayMoveQualityAction } from '../../core/quality/quality-status.ts';
import {
  DEFAULT_QUALITY_POLICY,
  type FaultRecord,
  qualityReasons,
} from '../../core/quality/quality-trigger.ts';

const DAY = 86_400_000;
const t0 = Date.now();
const full = {
  rootCause: 'bearing_wear',
  responsibility: 'wear' as const,
  correctiveAction: 'replaced the bearing',
  preventiveAction: 'grease every 6 months',
};

describe('missingCloseFields', () => {
  test.each([
    ['alarm', full, []],
    ['phone', { ...full, responsibility: null }, ['responsibility']],
    [
      'alarm',
      { ...full, correctiveAction: '  ', preventiveAction: null },
      ['correctiveAction', 'preventiveAction'],
    ],
    [
      'alarm',
      { rootCause: null, responsibility: null, correctiveAction: null, preventiveAction: null },
      ['rootCause', 'responsibility', 'correctiveAction', 'preventiveAction'],
    ],
    ['plan', { rootCause: null, responsibility: null, correctiveAction: null, preventiveAction: null }, []],
    ['follow_up', { ...full, responsibility: null }, []],
    ['predictive', { ...full, preventiveAction: null }, []],
  ] as const)('%s %j', (source, record, missing) => {
    expect(missingCloseFields(source, record)).toEqual(missing);
  });
});

const fault = (id: number, daysAgo: number, over: Partial<FaultRecord> = {}): FaultRecord => ({
  id,
  site: 'demo',
  station: 'st1',
  pump: 1,
  faultClass: 'vibration_zone_d',
  rootCause: 'bearing_wear',
  at: t0 - daysAgo * DAY,
  ...over,
});

describe('qualityReasons', () => {
  const current = { ...fault(10, 0), severity: 'general' };
  test.each([
    ['nothing earlier', [], []],
    ['repeat 29 days ago', [fault(1, 29)], ['repeat']],
    ['repeat exactly 30 days ago', [fault(1, 30)], ['repeat']],
    ['31 days ago: no repeat', [fault(1, 31)], []],
    ['another pump', [fault(1, 5, { pump: 2 })], []],
    ['another station', [fault(1, 5, { station: 'st2' })], []],
    ['another mode', [fault(1, 5, { faultClass: 'overcurrent', rootCause: 'vfd_fault' })], []],
    ['same class, cause not yet known', [fault(1, 5, { rootCause: null })], ['repeat']],
    ['2 earlier in 90 days: frequent', [fault(1, 50), fault(2, 80)], ['frequent']],
    ['one past 90 days', [fault(1, 50), fault(2, 91)], []],
    ['later faults do not count', [fault(1, -3)], []],
  ] as const)('%s', (_name, earlier, reasons) => {
    expect(qualityReasons(current, earlier, DEFAULT_QUALITY_POLICY)).toEqual(reasons);
  });

  test('a major fault opens one by itself; the windows are policy', () => {
    expect(qualityReasons({ ...current, severity: 'major' }, [], DEFAULT_QUALITY_POLICY)).toEqual(['major']);
    const policy = { ...DEFAULT_QUALITY_POLICY, repeatWindowDays: 45, frequentCount: 2 };
    expect(qualityReasons(current, [fault(1, 40)], policy)).toEqual(['repeat', 'frequent']);
  });
});

describe('quality action status', () => {
  test.each([
    ['open', 'in_progress', true],
    ['open', 'verified_closed', false],
    ['in_progress', 'verified_closed', true],
    ['in_progress', 'open', true],
    ['verified_closed', 'in_progress', true],
    ['verified_closed', 'open', false],
  ] as const)('%s -> %s: %s', (from, to, ok) => {
    expect(mayMoveQualityAction(from, to)).toBe(ok);
  });

  test('overdue: past its due date and not verified closed', () => {
    expect(isOverdue({ status: 'open', dueAt: t0 }, t0 + 1)).toBe(true);
    expect(isOverdue({ status: 'in_progress', dueAt: t0 }, t0)).toBe(false);
    expect(isOverdue({ status: 'verified_closed', dueAt: t0 }, t0 + DAY)).toBe(false);
  });
});
