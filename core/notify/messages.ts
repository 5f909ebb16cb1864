import { renderOr, subjectName } from '../i18n/render.ts';
import type { NotifyLanguage } from './settings.ts';

/**
 * The messages the server sends people (e-mail, SMS, robots), as codes with parameters rendered
 * here in the reader's language. Shared with the dashboards (the log shows them the same way).
 */
export const MESSAGE_KINDS = [
  'alarm.raised',
  'alarm.escalated',
  'sla.at_risk',
  'ticket.opened',
  'ticket.dispatched',
  'ticket.resolved',
  /** The signed service record (售后服务单), its PDF attached: to the customer's contacts and to sales. */
  'ticket.serviceRecord',
  /** A message an engineer's flow (Node-RED) sends: its own subject and text, as the flow wrote them. */
  'flow.message',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export type MessageParams = Record<string, string | number>;

interface Template {
  subject: string;
  body: string;
}

const TEMPLATES: Record<NotifyLanguage, Record<MessageKind, Template>> = {
  'zh-CN': {
    'alarm.raised': {
      subject: '【{severity}告警】{station}：{fault}',
      body: '{station} 发生{severity}故障：{fault}（{subject}），时间 {at}。请尽快确认处理。',
    },
    'alarm.escalated': {
      subject: '【告警升级】{station}：{fault} 已 {minutes} 分钟无人确认',
      body: '{station} 的{severity}故障「{fault}」（{subject}）自 {at} 起 {minutes} 分钟无人确认，现升级通知您。',
    },
    'sla.at_risk': {
      subject: '【SLA 预警】工单 #{ticket} {clock}时限将到',
      body: '{station} 的工单 #{ticket}（{fault}）{clock}时限将于 {deadline} 到期，请关注。',
    },
    'ticket.opened': {
      subject: '您的服务工单 #{ticket} 已受理',
      body: '尊敬的客户：我们已受理 {station} 的服务工单 #{ticket}（{fault}），将尽快安排处理。',
    },
    'ticket.dispatched': {
      subject: '工单 #{ticket}：技术人员已出发',
      body: '尊敬的客户：技术人员 {technician} 已派往 {station}，预计 {eta} 到达。',
    },
    'ticket.resolved': {
      subject: '工单 #{ticket} 已处理完毕',
      body: '尊敬的客户：{station} 的工单 #{ticket} 已处理完毕。欢迎评价本次服务：{survey}',
    },
    'ticket.serviceRecord': {
      subject: '工单 #{ticket} 售后服务单',
      body: '尊敬的客户：{station} 工单 #{ticket} 的售后服务单已由 {signer} 签字确认，本次费用 {total} 元。服务单见附件 PDF，请存档。',
    },
    'flow.message': { subject: '{subject}', body: '{text}' },
  },
  en: {
    'alarm.raised': {
      subject: '[{severity} alarm] {station}: {fault}',
      body: '{station}: {severity} fault "{fault}" ({subject}) at {at}. Please acknowledge and act.',
    },
    'alarm.escalated': {
      subject: '[Escalated] {station}: {fault} unacknowledged for {minutes} min',
      body: 'The {severity} fault "{fault}" ({subject}) at {station} has not been acknowledged for {minutes} minutes since {at}; escalated to you.',
    },
    'sla.at_risk': {
      subject: '[SLA at risk] ticket #{ticket}: {clock} deadline near',
      body: 'Ticket #{ticket} at {station} ({fault}): the {clock} deadline is {deadline}.',
    },
    'ticket.opened': {
      subject: 'Your service ticket #{ticket} is open',
      body: 'Dear customer, we have opened service ticket #{ticket} for {station} ({fault}) and will act on it promptly.',
    },
    'ticket.dispatched': {
      subject: 'Ticket #{ticket}: a technician is on the way',
      body: 'Dear customer, technician {technician} is on the way to {station}, expected at {eta}.',
    },
    'ticket.resolved': {
      subject: 'Ticket #{ticket} is resolved',
      body: 'Dear customer, ticket #{ticket} at {station} is resolved. Please tell us how we did: {survey}',
    },
    'ticket.serviceRecord': {
      subject: 'Service record for ticket #{ticket}',
      body: 'Dear customer, the service record of ticket #{ticket} at {station} was signed by {signer}; charge {total} CNY. The record is attached as PDF for your files.',
    },
    'flow.message': { subject: '{subject}', body: '{text}' },
  },
};

const SEVERITY_NAMES: Record<NotifyLanguage, Record<string, string>> = {
  'zh-CN': { minor: '轻微', general: '一般', major: '重大' },
  en: { minor: 'minor', general: 'general', major: 'major' },
};

/** Times as the reader's wall clock, e.g. `2026-12-06 14:05`. Pure. */
export function formatTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

function paramText(language: NotifyLanguage, name: string, value: string | number, timeZone: string): string {
  if (name === 'fault') return renderOr(language, `fault.${value}`, {}, String(value));
  if (name === 'clock') return renderOr(language, `clock.${value}`, {}, String(value));
  if (name === 'subject') return subjectName(language, String(value));
  if (name === 'severity') return SEVERITY_NAMES[language][String(value)] ?? String(value);
  if ((name === 'at' || name === 'eta' || name === 'deadline') && typeof value === 'number')
    return formatTime(value, timeZone);
  return String(value);
}

/** A message's subject and body in `language`; times in `timeZone`. A missing param stays `{name}`. Pure. */
export function renderMessage(
  kind: MessageKind,
  params: MessageParams,
  language: NotifyLanguage,
  timeZone = 'Asia/Shanghai',
): Template {
  const template = TEMPLATES[language][kind];
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = params[name];
      return value === undefined ? match : paramText(language, name, value, timeZone);
    });
  return { subject: fill(template.subject), body: fill(template.body) };
}

/** Every parameter as the reader sees it (fault names, local times): what SMS templates are filled with. Pure. */
export function renderParams(
  params: MessageParams,
  language: NotifyLanguage,
  timeZone = 'Asia/Shanghai',
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, paramText(language, name, value, timeZone)]),
  );
}
