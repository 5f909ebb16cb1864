import { describe, expect, test } from 'vitest';
import { MESSAGES_EN, type MessageCode } from '../../core/i18n/messages-en.ts';
import { MESSAGES_ZH_CN } from '../../core/i18n/messages-zh-cn.ts';
import { render, renderOr, subjectName } from '../../core/i18n/render.ts';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  test.each(Object.keys(MESSAGES_EN) as MessageCode[])(
    '%s has the same parameters in both languages',
    (code) => {
      expect(placeholders(MESSAGES_ZH_CN[code])).toEqual(placeholders(MESSAGES_EN[code]));
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
  ] as const)('subject %s in %s', (subject, locale, expected) => {
    expect(subjectName(locale, subject)).toBe(expected);
  });
});
