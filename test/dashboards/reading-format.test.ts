import { describe, expect, test } from 'vitest';
import { mergeSeries } from '../../dashboards/app/lib/history-step.ts';
import {
  displayUnit,
  enumLabels,
  type ReadingInfo,
  readingName,
  readingText,
  shownElsewhere,
} from '../../dashboards/app/lib/reading-format.ts';

const words = { notAvailable: '— n/a', on: 'on', off: 'off', noCode: 'none' };
const mode: ReadingInfo = {
  meaning: 'station.control_mode',
  unit: '',
  enum: { 0: { en: 'Automatic', zh: '自动' }, 4: { en: 'Manual' } },
};
const codes: ReadingInfo = {
  meaning: 'pump[1].alarm_code',
  unit: '',
  alarmCodes: { 17: { en: 'Overload', zh: '过载', severity: 'major', kind: 'alarm' } },
};

describe('a reading as the station page shows it', () => {
  test.each([
    ['en', { v: 4, q: 'good' }, mode, 'Manual'],
    ['zh-CN', { v: 0, q: 'good' }, mode, '自动'],
    // No Chinese label: the English one.
    ['zh-CN', { v: 4, q: 'good' }, mode, 'Manual'],
    ['en', { v: 7, q: 'good' }, mode, '7'],
    ['zh-CN', { v: 17, q: 'good' }, codes, '17 · 过载'],
    ['en', { v: 0, q: 'good' }, codes, 'none'],
    ['en', { v: null, q: 'not_available' }, undefined, '— n/a'],
    ['en', { v: null, q: 'comms_failed' }, undefined, '—'],
    ['en', { v: true, q: 'good' }, undefined, 'on'],
    ['en', { v: 41.25, q: 'good', unit: 'degC' }, undefined, '41.25 °C'],
    ['en', { v: 513.4, q: 'good', unit: 'V' }, undefined, '513.4 V'],
    ['zh-CN', { v: 2900, q: 'good', unit: 'rpm' }, undefined, '2900 转/分'],
  ] as const)('%s %j -> %s', (locale, held, info, text) => {
    expect(readingText(locale, held, info, words)).toBe(text);
  });

  test.each([
    ['zh-CN', 'pump[1].drive_temperature', undefined, '1号泵变频器温度'],
    ['en', 'station.control_mode', undefined, 'control mode'],
    [
      'zh-CN',
      'custom.panel',
      { meaning: 'custom.panel', unit: '', label: { en: 'Panel', zh: '面板' } },
      '面板',
    ],
    ['en', 'custom.panel', { meaning: 'custom.panel', unit: '', description: 'Panel knob' }, 'Panel knob'],
    ['en', 'custom.panel', undefined, 'panel'],
  ] as const)('%s name of %s', (locale, meaning, info, name) => {
    expect(readingName(locale, meaning, info)).toBe(name);
  });

  test('readings drawn elsewhere are not listed again; the rest are', () => {
    expect(['pressure.outlet', 'pump[2].current_l1', 'pump[1].running'].every(shownElsewhere)).toBe(true);
    expect(['pump[1].dc_bus_voltage', 'station.control_mode', 'custom.x'].some(shownElsewhere)).toBe(false);
  });

  test('units and enumeration labels in the reader language', () => {
    expect(displayUnit('en', 'MOhm')).toBe('MΩ');
    expect(displayUnit('en', 'bar')).toBe('bar');
    expect(enumLabels('zh-CN', mode)).toEqual({ 0: '自动', 4: 'Manual' });
    expect(enumLabels('en', codes)).toBeUndefined();
  });
});

describe('a chart leaves a gap where a bucket has no value', () => {
  test.each([
    // stamps (s), step (ms), chart x (s) and values
    [[0, 10, 20], 10_000, [0, 10, 20], [1, 2, 3]],
    [[0, 10, 40], 10_000, [0, 10, 20, 40], [1, 2, null, 3]],
    [[0, 40, 50], 10_000, [0, 10, 40, 50], [1, null, 2, 3]],
  ])('%j at %i ms', (stamps, step, xs, ys) => {
    const points = stamps.map((s, i) => ({ ts: s * 1000, value: i + 1 }));
    expect(mergeSeries([points], step)).toEqual([xs, ys]);
  });

  test('without a step nothing is added', () => {
    expect(
      mergeSeries([
        [
          { ts: 0, value: 1 },
          { ts: 60_000, value: 2 },
        ],
      ]),
    ).toEqual([
      [0, 60],
      [1, 2],
    ]);
  });
});
