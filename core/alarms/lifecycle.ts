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
