/** What the SLA clocks, pauses, the calendar, the resolve override and the escalation chains say (merged into the catalogues). */
export const SLA_MESSAGES_EN = {
  'clock.due': 'due date',
  'pauseReason.customer_access': "waiting for the customer's access",
  'pauseReason.parts': 'waiting for parts',
  'pauseReason.customer_request': "at the customer's request",
  'pauseReason.other': 'other reason',
  'event.slaPaused': 'SLA clocks paused: {pause}',
  'event.slaPausedNote': 'SLA clocks paused: {pause} ({note})',
  'event.slaResumed': 'SLA clocks resumed after {minutes} min',
  'event.slaResumedNote': 'SLA clocks resumed after {minutes} min ({note})',
  'event.resolveOverride': 'resolved while its alarm is still active: {reason}',
  'error.alarmStillActive':
    "ticket {id}'s alarm is still active: service goes on until the equipment runs normally; resolve with an override and a reason",
  'error.alreadyPaused': 'ticket {id} is already paused',
  'error.notPaused': 'ticket {id} is not paused',
  'error.pauseClosedTicket': 'ticket {id} is {state}: only an open ticket is paused or resumed',
  'error.calendarDayOutsideYear': '{day} is not in {year}',
  'error.calendarDayTwice': '{day} is listed twice',
  // Escalation chains (server/notify): why one stopped, and that a re-raise took it up again.
  'event.escalationAcknowledged': 'escalation stopped: the alarm was acknowledged by {by}',
  'event.escalationCleared': 'escalation stopped: the alarm cleared, the equipment runs normally again',
  'event.escalationResumed': 'escalation resumed: the alarm was raised again',
} as const;

export const SLA_MESSAGES_ZH_CN: Record<keyof typeof SLA_MESSAGES_EN, string> = {
  'clock.due': '到期',
  'pauseReason.customer_access': '等待客户安排进场',
  'pauseReason.parts': '等待备件',
  'pauseReason.customer_request': '应客户要求',
  'pauseReason.other': '其他原因',
  'event.slaPaused': 'SLA 计时暂停：{pause}',
  'event.slaPausedNote': 'SLA 计时暂停：{pause}（{note}）',
  'event.slaResumed': 'SLA 计时恢复（暂停 {minutes} 分钟）',
  'event.slaResumedNote': 'SLA 计时恢复（暂停 {minutes} 分钟）：{note}',
  'event.resolveOverride': '告警仍未消除时强制解决：{reason}',
  'error.alarmStillActive':
    '工单 {id} 的告警仍未消除：服务须持续到设备运行正常为止；如需解决，请强制解决并说明原因',
  'error.alreadyPaused': '工单 {id} 已暂停计时',
  'error.notPaused': '工单 {id} 未暂停计时',
  'error.pauseClosedTicket': '工单 {id} 当前为{state}：只有未完结的工单可以暂停或恢复计时',
  'error.calendarDayOutsideYear': '{day} 不在 {year} 年内',
  'error.calendarDayTwice': '{day} 重复出现',
  'event.escalationAcknowledged': '升级通知已停止：告警已由 {by} 确认',
  'event.escalationCleared': '升级通知已停止：告警已消除，设备恢复正常运行',
  'event.escalationResumed': '升级通知继续：告警再次出现',
};
