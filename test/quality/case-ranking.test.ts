import { describe, expect, test } from 'vitest';
import { type CaseRecord, rankCases } from '../../core/quality/case-ranking.ts';
import { buildTextIndex, tokenize } from '../../core/quality/text-similarity.ts';

const DAY = 86_400_000;
const now = Date.now();

/** A seeded library: bearing, seal, valve and electrical cases, in Chinese and English. */
const LIBRARY: CaseRecord[] = [
  {
    ticketId: 1,
    faultClass: 'vibration_zone_d',
    rootCause: 'bearing_wear',
    model: 'CDLF-32',
    symptoms: '2号泵振动大，轴承部位有异响，温度偏高',
    fix: '更换电机前后轴承，重新对中联轴器',
    resolvedAt: now - 40 * DAY,
  },
  {
    ticketId: 2,
    faultClass: 'vibration_zone_d',
    rootCause: 'bearing_wear',
    model: 'CDLF-32',
    symptoms: 'Pump 1 vibration high, grinding noise from the bearing',
    fix: 'Replaced both motor bearings and regreased',
    resolvedAt: now - 20 * DAY,
  },
  {
    ticketId: 3,
    faultClass: 'vibration_zone_d',
    rootCause: 'bearing_wear',
    model: 'NISO-80',
    symptoms: '水泵轴承磨损，运行时振动超标',
    fix: '更换轴承',
    resolvedAt: now - 10 * DAY,
  },
  {
    ticketId: 4,
    faultClass: null,
    rootCause: 'mechanical_seal',
    model: 'CDLF-32',
    symptoms: '机械密封漏水，泵体下方有积水',
    fix: '更换机械密封组件',
    resolvedAt: now - 5 * DAY,
  },
  {
    ticketId: 5,
    faultClass: null,
    rootCause: 'other',
    model: 'CDLF-32',
    symptoms: 'Check valve stuck open, outlet pressure drops when the pump stops',
    fix: 'Cleaned and replaced the check valve spring',
    resolvedAt: now - 3 * DAY,
  },
  {
    ticketId: 6,
    faultClass: 'overcurrent',
    rootCause: 'contactor_relay',
    model: 'CDLF-32',
    symptoms: '控制柜接触器烧蚀，电机过流跳闸',
    fix: 'Replaced the contactor; tightened the terminals',
    resolvedAt: now - 2 * DAY,
  },
];

describe('tokenize', () => {
  test.each([
    ['轴承异响', ['轴承', '承异', '异响']],
    ['泵', ['泵']],
    ['Bearing noise, pump 2', ['bearing', 'noise', 'pump']],
    ['2号泵 bearing', ['号泵', 'bearing']],
    ['', []],
  ])('%s', (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});

describe('TF-IDF cosine', () => {
  test('identical text scores 1, disjoint text 0, a shared rare word more than a shared common one', () => {
    const index = buildTextIndex(['bearing noise pump', 'seal leak pump', 'valve stuck pump']);
    expect(index.similarity('bearing noise pump', 0)).toBeCloseTo(1, 6);
    expect(index.similarity('contactor burnt', 0)).toBe(0);
    expect(index.similarity('bearing', 0)).toBeGreaterThan(index.similarity('pump', 0));
  });
});

describe('rankCases', () => {
  test('a new bearing ticket lists the bearing cases first: same model before another model', () => {
    const ranked = rankCases(
      {
        ticketId: 99,
        faultClass: 'vibration_zone_d',
        rootCause: null,
        model: 'CDLF-32',
        text: '1号泵振动报警，轴承处有异响',
      },
      LIBRARY,
    );
    const ids = ranked.map((r) => r.case.ticketId);
    // The Chinese bearing case shares more text than the English one; both are same class and model.
    expect(ids.slice(0, 3)).toEqual([1, 2, 3]);
    expect(ranked[2]).toMatchObject({ sameClass: true, sameModel: false });
    expect(ranked[0]?.text).toBeGreaterThan(ranked[1]?.text ?? 1);
    expect(ids).not.toContain(99);
  });

  test('without a fault class (a phoned-in ticket), text finds the bearing cases in either language', () => {
    const ranked = rankCases(
      { ticketId: null, faultClass: null, rootCause: null, model: null, text: 'bearing noise 轴承' },
      LIBRARY,
    );
    expect(new Set(ranked.slice(0, 3).map((r) => r.case.ticketId))).toEqual(new Set([1, 2, 3]));
    expect(ranked.every((r) => r.text > 0)).toBe(true);
  });

  test('the root cause matches too, and cases with nothing in common are left out', () => {
    const ranked = rankCases(
      { ticketId: 7, faultClass: null, rootCause: 'mechanical_seal', model: 'CDLF-32', text: '漏水' },
      LIBRARY,
    );
    expect(ranked.map((r) => r.case.ticketId)).toEqual([4]);
  });
});
