/** ThingsBoard's alarm statuses: whether the condition stands, and whether someone has seen it. */
export const ALARM_STATUSES = ['active_unack', 'active_ack', 'cleared_unack', 'cleared_ack'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

export type AlarmEvent = 'raise' | 'clear' | 'acknowledge';

/** Next status of an alarm, or a sentence saying why the event does not apply. Pure. */
export function nextAlarmStatus(status: AlarmStatus, event: AlarmEvent): AlarmStatus | { refused: string } {
  switch (event) {
    case 'raise':
      if (status === 'cleared_unack') return 'active_unack';
      return { refused: `alarm is ${status}: only a cleared, unacknowledged alarm is raised again` };
    case 'clear':
      if (status === 'active_unack') return 'cleared_unack';
      if (status === 'active_ack') return 'cleared_ack';
      return { refused: `alarm is already ${status}` };
    case 'acknowledge':
      if (status === 'active_unack') return 'active_ack';
      if (status === 'cleared_unack') return 'cleared_ack';
      return { refused: `alarm is already acknowledged (${status})` };
  }
}

/** The status a raise gives a fault that has no live alarm. */
export const RAISED_STATUS: AlarmStatus = 'active_unack';

/** A cleared, acknowledged alarm is finished: the fault's next raise is a new alarm. */
export const LIVE_STATUSES: readonly AlarmStatus[] = ALARM_STATUSES.filter((s) => s !== 'cleared_ack');

/** What a raise does to the live alarm of its fault (`live` undefined: none stands). Pure. */
export type RaiseStep =
  | { kind: 'create'; status: AlarmStatus }
  | { kind: 'reraise'; status: AlarmStatus }
  /** Already active: raised by another instance, whose transaction wrote its ticket too. */
  | { kind: 'standing' };

export function raiseStep(live: AlarmStatus | undefined): RaiseStep {
  if (live === undefined) return { kind: 'create', status: RAISED_STATUS };
  const next = nextAlarmStatus(live, 'raise');
  return typeof next === 'string' ? { kind: 'reraise', status: next } : { kind: 'standing' };
}

/** The status a clear gives the live alarm, or undefined when there is nothing to clear. Pure. */
export function clearStep(live: AlarmStatus | undefined): AlarmStatus | undefined {
  if (live === undefined) return undefined;
  const next = nextAlarmStatus(live, 'clear');
  return typeof next === 'string' ? next : undefined;
}
