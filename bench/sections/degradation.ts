import { runDegradationStudy } from '../degradation-study.ts';
import type { BenchContext } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { fmt } from '../stats.ts';

const REQUIRED_LEAD_DAYS = 7;

/**
 * The predictive models against the simulator's degradation, in accelerated time (the simulator's
 * station model stepped directly): bearing wear and insulation decay on 20 seeds each must be
 * flagged at least 7 simulated days before their alarm, and 20 healthy stations over a simulated
 * year may open at most one false predictive ticket each. Prints every lead time and false ticket.
 */
export async function degradation(ctx: BenchContext): Promise<SectionResult> {
  const seeds = Array.from({ length: ctx.quick ? 5 : 20 }, (_, i) => i + 1);
  const faults = runDegradationStudy({ seeds, scenarios: ['bearing_wear', 'insulation_decay'] });
  // Healthy stations on their own seeds, so no case shares a noise stream with a degrading one.
  const healthy = runDegradationStudy({
    seeds: seeds.map((s) => 100 + s),
    scenarios: ['healthy'],
    healthyDays: 365,
    healthyStepSeconds: 600,
  });
  for (const c of faults.cases) {
    console.log(
      `  ${c.scenario} seed ${c.seed} (${c.scenario === 'bearing_wear' ? `${c.parameter} weeks of life` : `tau ${c.parameter} d`}): ` +
        `alarm day ${c.alarmDay ?? '-'}, flagged day ${c.flaggedDay ?? '-'}, lead ${c.leadDays ?? '-'} d, ` +
        `estimate ${c.predictedDays ?? '-'} d`,
    );
  }
  for (const h of healthy.healthy) {
    console.log(
      `  healthy seed ${h.seed}: ${h.falseTickets} false predictive ticket(s) in ${h.days} days${h.indicators.length ? ` (${h.indicators.join(', ')})` : ''}`,
    );
  }
  const { bearing, insulation } = faults.summary;
  const minLead = Math.min(bearing.minLeadDays ?? -1, insulation.minLeadDays ?? -1);
  const worstHealthy = healthy.summary.healthy.maxFalseTicketsPerStation;
  const pass =
    bearing.missed === 0 && insulation.missed === 0 && minLead >= REQUIRED_LEAD_DAYS && worstHealthy <= 1;
  return {
    section: 'degradation',
    metric: `lead before the alarm, ${seeds.length} seeds per fault; false tickets over a year, ${seeds.length} healthy stations`,
    measured:
      `bearing ${fmt(bearing.minLeadDays ?? Number.NaN, 1)} d min (median ${fmt(bearing.medianLeadDays ?? Number.NaN, 1)}), ` +
      `insulation ${fmt(insulation.minLeadDays ?? Number.NaN, 1)} d min (median ${fmt(insulation.medianLeadDays ?? Number.NaN, 1)}); ` +
      `false tickets ${healthy.summary.healthy.totalFalseTickets} (max ${worstHealthy} per station)`,
    reference: '',
    ratio: minLead / REQUIRED_LEAD_DAYS,
    target: `lead >= ${REQUIRED_LEAD_DAYS} d, <= 1 false ticket per station-year`,
    pass,
    notes: [
      `${bearing.missed + insulation.missed} degradations not flagged before their alarm`,
      'alarms: vibration above zone D of the default machine class (ISO 10816-3 group 2 rigid, 4.5 mm/s); insulation below 1 MOhm',
      `model time ${fmt((faults.summary.elapsedMs + healthy.summary.elapsedMs) / 1000, 0)} s (60 s steps for the faults, 600 s for the healthy year)`,
    ],
  };
}
