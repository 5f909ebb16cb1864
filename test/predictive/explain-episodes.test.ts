import { describe, expect, test } from 'vitest';
import { healthSentence, healthText } from '../../dashboards/app/i18n/health-text.ts';
import type { ColumnKind } from '../../server/predictive/column-guess.ts';
import {
  EXPLAIN_CODES,
  type ExplainedColumn,
  explainEpisodes,
} from '../../server/predictive/explain-episodes.ts';

const START = Date.parse('2026-05-01T00:00:00Z');
const MIN = 60_000;

/** A column at `reference` for 30 minutes, at reference x (1 + pct/100) from minute 10, with an episode then if it moved. */
function column(name: string, kind: ColumnKind['kind'], reference: number, pct: number): ExplainedColumn {
  const samples = Array.from({ length: 30 }, (_, i) => ({
    at: START + i * MIN,
    v: i >= 10 ? reference * (1 + pct / 100) : reference,
  }));
  return {
    column: name,
    kind,
    meaning: name === 'inlet' ? 'pressure.inlet' : null,
    reference,
    samples,
    episodes:
      pct === 0
        ? []
        : [{ start: START + 11 * MIN, end: START + 29 * MIN, direction: pct > 0 ? 'high' : 'low' }],
  };
}

const pump = (flow: number, head: number, power: number, extra: ExplainedColumn[] = []) => [
  column('flow', 'flow', 40, flow),
  column('pressure', 'pressure', 5, head),
  column('power', 'power', 11, power),
  ...extra,
];

describe('explanations by the relations between readings', () => {
  test.each([
    {
      name: 'a closing outlet valve',
      cols: pump(-70, 18, -30),
      code: 'throttledOutlet',
      params: { flowPct: 70, headPct: 18 },
    },
    {
      name: 'a leak downstream',
      cols: pump(25, -12, 8),
      code: 'leakDownstream',
      params: { flowPct: 25, headPct: 12 },
    },
    {
      name: 'a clogged strainer (flow off the curve at the same head)',
      cols: pump(-18, 0, 0),
      code: 'flowBelowCurve',
      params: { pct: 18 },
    },
    {
      name: 'air or cavitation (flow and head down)',
      cols: pump(-20, -15, -10),
      code: 'flowAndHeadLow',
      params: { flowPct: 20, headPct: 15 },
    },
    {
      name: 'dry running',
      cols: pump(-90, -40, -60),
      code: 'dryRunning',
      params: { flowPct: 90, powerPct: 60 },
    },
    {
      name: 'friction (power up at the same flow)',
      cols: pump(0, 0, 12),
      code: 'powerAboveNormal',
      params: { pct: 12 },
    },
    {
      name: 'a wearing bearing',
      cols: pump(0, 0, 0, [column('vib', 'vibration', 2, 60)]),
      code: 'vibrationHigh',
      params: { pct: 60 },
    },
    {
      name: 'a pressure sensor drifting alone',
      cols: pump(0, 10, 0),
      code: 'sensorSuspect',
      params: { column: 'pressure' },
    },
    {
      name: 'an unknown tag',
      cols: [column('tag_1', 'other', 3, -20)],
      code: 'readingLow',
      params: { column: 'tag_1', pct: 20 },
    },
  ])('$name: $code', ({ cols, code, params }) => {
    const [x] = explainEpisodes(cols);
    expect(x).toMatchObject({ code: `health.explain.${code}`, params, start: START + 11 * MIN });
  });

  test('nothing moved, nothing to explain', () => {
    expect(explainEpisodes(pump(0, 0, 0))).toEqual([]);
  });
});

describe('explanation texts', () => {
  test('every code has a text in both languages, with the same placeholders, the Chinese in Chinese', () => {
    for (const code of EXPLAIN_CODES) {
      const en = healthText.en[code];
      const zh = healthText['zh-CN'][code];
      expect(en, code).toBeTruthy();
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zh), code).toEqual(names(en));
    }
  });

  test("the issue's example reads as asked in both languages", () => {
    expect(healthSentence('en', 'health.explain.flowBelowCurve', { pct: 18 })).toBe(
      "flow 18% below the pump's curve at this head: a throttled valve or a clogged strainer",
    );
    expect(healthSentence('zh-CN', 'health.explain.flowBelowCurve', { pct: 18 })).toBe(
      '流量比该扬程下的泵曲线低 18%：阀门节流或过滤器堵塞',
    );
  });
});
