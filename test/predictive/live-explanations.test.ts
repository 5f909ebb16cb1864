import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MessageCode, render } from '../../core/i18n/render.ts';
import { feedLiveCurve, newLiveCurve } from '../../server/predictive/live-curve.ts';
import {
  CURVE_EVERY_MINUTES,
  curveMinuteDue,
  curvePhaseOf,
  judgeCurve,
} from '../../server/predictive/live-explanations.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState, stepStation } from '../../simulators/model/step.ts';

const START = Date.parse('2026-04-01T09:00:00Z');
let layer: ServiceLayer;

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => START, seedDemo: true });
}, 180_000);

afterAll(async () => {
  await layer?.close();
});

describe("the live curve models' explanation in the predictive ticket", () => {
  test('an explanation that becomes active is written once on the open predictive ticket, as its code', async () => {
    const tickets = layer.stores.tickets;
    const opened = await tickets.openOrAddOccurrence({
      site: 'demo',
      station: 'st1',
      pump: 1,
      faultClass: 'predictive',
      subject: 'pump[1].vibration',
      title: 'Predictive maintenance: bearing vibration (pump 1)',
      severity: 'minor',
      at: START,
      source: 'predictive',
    });
    // Two hours of a one-pump booster, its leak opening after 100 minutes, minute by minute.
    const state = createStationState({
      seed: 1002,
      pumps: 1,
      nominalVoltage: 380,
      phases: 3,
      startTime: START,
    });
    const curve = newLiveCurve();
    for (let s = 0; s < 130 * 60; s++) {
      if (s === 100 * 60) injectFault(state, { fault: 'leak_downstream', params: { m3h: 12 } });
      stepStation(state, 1);
      const at = START + state.time * 1000;
      if (feedLiveCurve(curve, at, readings(state) as Record<string, number>) && at - START > 125 * 60_000) {
        await judgeCurve(curve, at, { site: 'demo', station: 'st1' }, tickets);
      }
    }
    expect(CURVE_EVERY_MINUTES).toBe(4);
    expect(curve.status).toBe('judging');
    const events = (await tickets.events(opened.ticket.id)).filter((e) =>
      String(e.code).startsWith('health.explain.'),
    );
    expect(events.map((e) => e.code)).toEqual(['health.explain.leakDownstream']);
    const [event] = events;
    expect(event!.data).toMatchObject({ explanation: 'health.explain.leakDownstream' });
    expect(render('en', event!.code as MessageCode, event!.params ?? {})).toMatch(
      /flow \d+% up .* a leak or burst downstream/,
    );
    expect(render('zh-CN', event!.code as MessageCode, event!.params ?? {})).toMatch(
      /流量上升 \d+%.*下游泄漏或爆管/,
    );
    // Judged again later, the same explanation adds nothing.
    await judgeCurve(curve, START + 132 * 60_000, { site: 'demo', station: 'st1' }, tickets, { due: true });
    const again = (await tickets.events(opened.ticket.id)).filter((e) =>
      String(e.code).startsWith('health.explain.'),
    );
    expect(again).toHaveLength(1);
  }, 120_000);

  test("a fleet's curves are judged in different minutes, each station every fourth", async () => {
    const counts = Array.from({ length: CURVE_EVERY_MINUTES }, () => 0);
    for (let i = 0; i < 1000; i++) counts[curvePhaseOf({ site: 'watch', station: `s${i}` })]! += 1;
    // 250 each if even; FNV-1a over names that differ in their last digits keeps each within a fifth.
    for (const count of counts) expect(count).toBeGreaterThan(200);
    for (const count of counts) expect(count).toBeLessThan(300);
    const where = { site: 'demo', station: 'st1' };
    const due = Array.from({ length: 12 }, (_, i) => i).filter((i) => curveMinuteDue(29_000_000 + i, where));
    expect(due).toHaveLength(3);
    expect(due[1]! - due[0]!).toBe(CURVE_EVERY_MINUTES);
    // A minute that is not the station's is not judged at all: the window is left as it was.
    const notDue = (29_000_000 + due[0]! + 1) * 60_000;
    const curve = newLiveCurve();
    const tickets = layer.stores.tickets;
    expect(await judgeCurve(curve, notDue, where, tickets)).toEqual([]);
    expect(curve.evaluatedAt).toBeNull();
    await judgeCurve(curve, (29_000_000 + due[0]!) * 60_000, where, tickets);
    expect(curve.evaluatedAt).toBe((29_000_000 + due[0]!) * 60_000);
  });
});
