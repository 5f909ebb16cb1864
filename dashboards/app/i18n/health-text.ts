import { HEALTH_MESSAGES_EN, HEALTH_MESSAGES_ZH_CN } from '../../../core/i18n/health-messages.ts';

/**
 * The health models' texts in both languages: the explanations' codes (core/i18n/health-messages.ts,
 * shared with the ticket timeline) and the station page's panel of what the pump's curve shows.
 */
const healthEn = {
  ...HEALTH_MESSAGES_EN,
  'health.curve.title': "What the pump's curve shows",
  'health.curve.learning':
    "Learning the pumps' operating curve (about 40 minutes of running at the same number of pumps)",
  'health.curve.none': 'Head, flow, speed and current follow the learned curve: nothing to explain',
  'health.curve.active': 'now',
  'health.curve.since': 'since {at}',
  'health.curve.from': '{from} to {to}',
} as const;

const healthZh: Record<keyof typeof healthEn, string> = {
  ...HEALTH_MESSAGES_ZH_CN,
  'health.curve.title': '泵性能曲线分析',
  'health.curve.learning': '正在学习泵的运行曲线（同一台数运行约 40 分钟后开始判断）',
  'health.curve.none': '扬程、流量、转速和电流均符合已学习的曲线，没有异常需要解释',
  'health.curve.active': '进行中',
  'health.curve.since': '自 {at} 起',
  'health.curve.from': '{from} 至 {to}',
};

export const healthText = { en: healthEn, 'zh-CN': healthZh } as const;

/** Fills `{name}` placeholders (for readers outside the dashboards, such as `aftercare analyze`). */
export function healthSentence(
  locale: keyof typeof healthText,
  code: keyof typeof HEALTH_MESSAGES_EN,
  params: Record<string, string | number>,
): string {
  const text: string = healthText[locale][code];
  return text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match));
}
