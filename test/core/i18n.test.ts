import { describe, expect, test } from 'vitest';
import { MESSAGES_EN, type MessageCode } from '../../core/i18n/messages-en.ts';
import { MESSAGES_ZH_CN } from '../../core/i18n/messages-zh-cn.ts';
import { planName, render, renderOr, subjectName } from '../../core/i18n/render.ts';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Text given in each language (a vendor's fault text): each template takes its own language's one. */
const PER_LANGUAGE = { en: 'en', zh: 'zh' } as const;
const shared = (template: string) => placeholders(template).filter((name) => !(name! in PER_LANGUAGE));

describe('message catalogue', () => {
  test.each(Object.keys(MESSAGES_EN) as MessageCode[])(
    '%s has the same parameters in both languages',
    (code) => {
      expect(shared(MESSAGES_ZH_CN[code])).toEqual(shared(MESSAGES_EN[code]));
      // A template never takes the other language's text.
      expect(placeholders(MESSAGES_EN[code])).not.toContain(PER_LANGUAGE.zh);
      expect(placeholders(MESSAGES_ZH_CN[code])).not.toContain(PER_LANGUAGE.en);
    },
  );

  test('every Chinese template is written in Chinese, not copied from English', () => {
    const latinOnly = Object.entries(MESSAGES_ZH_CN).filter(
      ([code, text]) =>
        text === MESSAGES_EN[code as MessageCode] && /[a-z]{3,}/i.test(text.replace(/\{\w+\}/g, '')),
    );
    expect(latinOnly).toEqual([]);
  });
});

describe('render', () => {
  test.each([
    ['en', 'ticket.faultOn', { fault: 'pump_trip', subject: 'pump[1]' }, 'Pump tripped: pump 1'],
    ['zh-CN', 'ticket.faultOn', { fault: 'pump_trip', subject: 'pump[1]' }, '水泵跳闸：1号泵'],
    [
      'zh-CN',
      'ticket.faultOn',
      { fault: 'sensor_stuck', subject: 'supply.voltage_l1' },
      '传感器卡死（数值冻结）：进线电压 L1',
    ],
    [
      'zh-CN',
      'ticket.faultOn',
      { fault: 'sensor_stuck', subject: 'pump[2].current_l1' },
      '传感器卡死（数值冻结）：2号泵电流 L1',
    ],
    ['zh-CN', 'ticket.fault', { fault: 'no_such_class' }, 'no_such_class'],
    ['zh-CN', 'event.deadlinePassed', { clock: 'fix' }, '修复时限已超时'],
    [
      'zh-CN',
      'error.cannotAct',
      { action: 'close', state: 'new', hint: 'close' },
      '工单处于「新建」状态，不能关闭：须先由客户签字验收',
    ],
    ['en', 'error.noTicket', {}, 'no ticket {id}'],
    [
      'zh-CN',
      'ticket.plan',
      { plan: 'Six-monthly maintenance', planId: 'six-monthly', due: '2026-12-01' },
      '半年养护，2026-12-01 到期',
    ],
    [
      'zh-CN',
      'ticket.plan',
      { plan: 'Oil change', planId: 'oil-change', due: '2026-12-01' },
      'Oil change，2026-12-01 到期',
    ],
    [
      'zh-CN',
      'ticket.followUp',
      { kind: 'half_year', months: 6, due: '2027-06-01' },
      '回访（半年回访，验收后第 6 个月），2027-06-01 到期',
    ],
    [
      'zh-CN',
      'ticket.predictiveOn',
      { indicator: 'vibration', subject: 'pump[1]', threshold: 4.5, unit: 'mm/s', days: 14 },
      '预测性养护：1号泵轴承振动预计约 14 天后越过 4.5 mm/s',
    ],
    [
      'zh-CN',
      'health.overThreshold',
      { indicator: 'vibration', value: 7.1, unit: 'mm/s', threshold: 4.5 },
      '轴承振动 7.1 mm/s（阈值 4.5）',
    ],
  ] as const)('%s %s %j', (locale, code, params, expected) => {
    expect(render(locale, code, params)).toBe(expected);
  });

  test.each([
    ['ticket.fault', { fault: 'dry_run' }, '干转：水箱无水时水泵运行'],
    ['no.such.code', { fault: 'dry_run' }, 'English as sent'],
    [undefined, undefined, 'English as sent'],
    ['ticket.fault', null, '{fault}'],
  ])('renderOr(%s) falls back to the English field for an unknown code', (code, params, expected) => {
    expect(renderOr('zh-CN', code, params, 'English as sent')).toBe(expected);
  });

  test.each([
    ['pump[3]', 'en', 'pump 3'],
    ['pump[3]', 'zh-CN', '3号泵'],
    ['supply.voltage_l1', 'zh-CN', '进线电压 L1'],
    ['custom.tank2', 'zh-CN', 'custom.tank2'],
    ['', 'zh-CN', ''],
    ['pump[1].vibration', 'zh-CN', '1号泵轴承振动'],
    ['pump[1].vibration', 'en', 'pump 1 Bearing vibration'],
    ['plan:six-monthly:2026-12-01', 'zh-CN', ''],
    ['plan:oil-change:pump[2]:4000h', 'zh-CN', '2号泵'],
    ['follow_up:3m', 'zh-CN', ''],
  ] as const)('subject %s in %s', (subject, locale, expected) => {
    expect(subjectName(locale, subject)).toBe(expected);
  });
});

test.each([
  ['zh-CN', 'six-monthly', 'Six-monthly maintenance', '半年养护'],
  ['en', 'six-monthly', 'Six-monthly maintenance', 'Six-monthly maintenance'],
  ['zh-CN', 'oil-change', 'Oil change', 'Oil change'],
  ['zh-CN', null, 'Oil change', 'Oil change'],
] as const)('plan %s %s is named %s', (locale, id, name, expected) => {
  expect(planName(locale, id, name)).toBe(expected);
});

test.each([
  ['zh-CN', 'pressure.outlet', '出口压力 出现 8 次单点跳变'],
  ['en', 'pressure.outlet', 'outlet pressure jumped 8 times'],
  ['zh-CN', 'pump[2].current_l1', '2号泵'],
  // an export's own column name (aftercare analyze) is shown as it is
  ['zh-CN', 'PT-201 (bar)', 'PT-201 (bar) 出现 8 次'],
] as const)(
  'a health explanation in %s names the reading %s in the reader language',
  (locale, column, expected) => {
    expect(render(locale, 'health.explain.sensorSpike', { column, count: 8 })).toContain(expected);
  },
);
