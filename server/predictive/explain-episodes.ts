import type { ColumnKind } from './column-guess.ts';
import { median } from './robust-stats.ts';

/** The explanation codes (texts in core/i18n/health-messages.ts, both languages). */
export const EXPLAIN_CODES = [
  'health.explain.throttledOutlet',
  'health.explain.leakDownstream',
  'health.explain.flowBelowCurve',
  'health.explain.flowAndHeadLow',
  'health.explain.dryRunning',
  'health.explain.powerAboveNormal',
  'health.explain.speedAboveCurve',
  'health.explain.headBelowCurve',
  'health.explain.alongCurveLow',
  'health.explain.inletPressureLow',
  'health.explain.vibrationHigh',
  'health.explain.temperatureHigh',
  'health.explain.sensorSuspect',
  'health.explain.sensorStuck',
  'health.explain.sensorSpike',
  'health.explain.readingHigh',
  'health.explain.readingLow',
] as const;
export type ExplainCode = (typeof EXPLAIN_CODES)[number];

export interface Explanation {
  start: number;
  end: number;
  code: ExplainCode;
  params: Record<string, string | number>;
  /** The columns whose episodes this explains. */
  columns: string[];
}

/** One column as the explainer sees it: what it is, its healthy level, its readings and its episodes. */
export interface ExplainedColumn {
  column: string;
  kind: ColumnKind['kind'];
  meaning: string | null;
  reference: number | null;
  /** The level a shift is a percentage of (a relation's residuals: the reading's own level). */
  level?: number;
  samples: readonly { at: number; v: number }[];
  /** Judged against where it just was (a demand-following reading): its moves are measured from there. */
  local?: boolean;
  episodes: readonly { start: number; end: number; direction: 'high' | 'low' }[];
}

/**
 * Explains the episodes by the relations between readings, the way a pump works: the operating
 * point moves along the pump's curve against a closing valve (flow down, head up, power down) or a
 * leak (flow up, head down); it falls off the curve when the pump cannot deliver (flow down at the
 * same head: a throttled suction or clogged strainer; flow and head down: air, cavitation, a worn
 * impeller); power above normal at the same flow is friction; a single reading that moves while the
 * readings it depends on hold is a sensor to check. Overlapping episodes of several columns are one
 * event. Pure.
 */
export function explainEpisodes(columns: readonly ExplainedColumn[]): Explanation[] {
  const events = groupEvents(columns);
  return events.map((event) => explainEvent(event, columns));
}

interface Event {
  start: number;
  end: number;
  members: { column: ExplainedColumn; direction: 'high' | 'low' }[];
}

/**
 * Episodes starting this soon after an event's end belong to it: when a leak opens, the outlet
 * pressure dips for seconds before the loop speeds the pump up and the flow's own episode opens.
 */
const JOIN_MS = 120_000;

function groupEvents(columns: readonly ExplainedColumn[]): Event[] {
  const all = columns.flatMap((column) => column.episodes.map((e) => ({ column, ...e })));
  all.sort((a, b) => a.start - b.start);
  const events: Event[] = [];
  for (const e of all) {
    const last = events[events.length - 1];
    if (last && e.start <= last.end + JOIN_MS) {
      last.end = Math.max(last.end, e.end);
      if (!last.members.some((m) => m.column === e.column))
        last.members.push({ column: e.column, direction: e.direction });
    } else
      events.push({ start: e.start, end: e.end, members: [{ column: e.column, direction: e.direction }] });
  }
  return events;
}

/** A column's median over the event against its healthy level, %. */
function shiftPct(column: ExplainedColumn, start: number, end: number): number | null {
  const level = column.level ?? column.reference;
  if (!level || column.reference === null) return null;
  const values = column.samples.filter((s) => s.at >= start && s.at <= end).map((s) => s.v);
  if (values.length === 0) return null;
  // A reading judged against where it just was moved from there, not from its learning period's level.
  const before = column.local
    ? column.samples.filter((s) => s.at >= start - BEFORE_MS && s.at < start - GAP_MS).map((s) => s.v)
    : [];
  const from = before.length > 0 ? median(before) : column.reference;
  return ((median(values) - from) / Math.abs(column.local && before.length > 0 ? from : level)) * 100;
}

/** The stretch before an event a demand-following reading's move is measured from. */
const BEFORE_MS = 10 * 60_000;
const GAP_MS = 2 * 60_000;

const pct = (v: number | null) => Math.round(Math.abs(v ?? 0));

function explainEvent(event: Event, columns: readonly ExplainedColumn[]): Explanation {
  const { start, end } = event;
  const of = (kind: ColumnKind['kind']) => event.members.find((m) => m.column.kind === kind);
  const present = (kind: ColumnKind['kind']) =>
    columns.find((c) => c.kind === kind && (kind !== 'pressure' || c.meaning !== 'pressure.inlet'));
  const flow = of('flow');
  const pressure = event.members.find(
    (m) => m.column.kind === 'pressure' && m.column.meaning !== 'pressure.inlet',
  );
  const inlet = event.members.find((m) => m.column.meaning === 'pressure.inlet');
  const power = of('power') ?? of('current');
  const shift = (m: { column: ExplainedColumn } | undefined) => (m ? shiftPct(m.column, start, end) : null);
  const make = (code: ExplainCode, params: Explanation['params']): Explanation => ({
    start,
    end,
    code,
    params,
    columns: event.members.map((m) => m.column.column),
  });
  const flowPct = shift(flow);
  const headPct = shift(pressure);
  const powerPct = shift(power);
  if (flow?.direction === 'low' && pressure?.direction === 'high')
    return make('health.explain.throttledOutlet', { flowPct: pct(flowPct), headPct: pct(headPct) });
  if (flow?.direction === 'high' && pressure?.direction !== 'high')
    return make('health.explain.leakDownstream', { flowPct: pct(flowPct), headPct: pct(headPct) });
  if (
    flow?.direction === 'low' &&
    power?.direction === 'low' &&
    (flowPct ?? 0) < -70 &&
    (powerPct ?? 0) < -30
  )
    return make('health.explain.dryRunning', { flowPct: pct(flowPct), powerPct: pct(powerPct) });
  if (flow?.direction === 'low' && pressure?.direction === 'low')
    return make('health.explain.flowAndHeadLow', { flowPct: pct(flowPct), headPct: pct(headPct) });
  const curveKnown = columns.some((c) => c.kind === 'headRelation' || c.kind === 'speedRelation');
  const offCurve = event.members.some(
    (m) => m.column.kind === 'headRelation' || m.column.kind === 'speedRelation',
  );
  // Flow down while head and speed stay on the pump's learned curve: the operating point slid along it,
  // the network downstream drawing less at once (a closing valve; a demand falls slowly, not in seconds).
  if (flow?.direction === 'low' && !pressure && curveKnown && !offCurve)
    return make('health.explain.alongCurveLow', { pct: pct(flowPct) });
  if (flow?.direction === 'low' && !pressure && present('pressure'))
    return make('health.explain.flowBelowCurve', { pct: pct(flowPct) });
  if (inlet?.direction === 'low' && !flow)
    return make('health.explain.inletPressureLow', { pct: pct(shift(inlet)) });
  const speedRelation = of('speedRelation');
  const headRelation = of('headRelation');
  const speed = of('speed');
  // Less head than the curve gives at this speed and flow, the loop turning the pump faster to make up
  // (or, flat out, the pressure falling): the pump itself delivers less (a worn impeller, air, cavitation).
  if (headRelation?.direction === 'low' && !flow)
    return make('health.explain.headBelowCurve', {
      pct: pct(shift(headRelation)),
      speedPct: pct(shift(speedRelation) ?? shift(speed)),
    });
  // The outlet pressure falls (or rises) at once while the head stays on the pump's own curve: the
  // operating point slid along the curve to more flow (less), as when a leak opens (a valve closes)
  // with the pump flat out; a pressure sensor failing alone would leave the curve.
  if (pressure && !flow && headRelation === undefined && present('headRelation')) {
    if (pressure.direction === 'low')
      return make('health.explain.leakDownstream', { flowPct: pct(flowPct), headPct: pct(headPct) });
    return make('health.explain.alongCurveLow', { pct: pct(flowPct) });
  }
  // The head leaves the pump's curve while speed and flow keep theirs: the pressure reading drifts.
  if (headRelation && !speedRelation && !flow && !of('powerRelation'))
    return make('health.explain.sensorSuspect', {
      column: headRelation.column.column.replace(/ ~ curve$/, ''),
    });
  if (speedRelation?.direction === 'high' && !flow)
    return make('health.explain.speedAboveCurve', { pct: pct(shift(speedRelation)) });
  const powerRelation = of('powerRelation');
  if (powerRelation?.direction === 'high' && !flow)
    return make('health.explain.powerAboveNormal', { pct: pct(shift(powerRelation)) });
  if (power?.direction === 'high' && !flow && present('flow'))
    return make('health.explain.powerAboveNormal', { pct: pct(powerPct) });
  const vibration = of('vibration');
  if (vibration?.direction === 'high')
    return make('health.explain.vibrationHigh', { pct: pct(shift(vibration)) });
  const temperature = of('temperature');
  if (temperature?.direction === 'high') {
    const c = temperature.column;
    const values = c.samples.filter((s) => s.at >= start && s.at <= end).map((s) => s.v);
    const delta = c.reference === null || values.length === 0 ? 0 : median(values) - c.reference;
    return make('health.explain.temperatureHigh', { delta: Math.round(delta * 10) / 10 });
  }
  // One hydraulic reading alone, while two others it depends on hold: the sensor is more likely than the process.
  const hydraulic = ['flow', 'pressure', 'power', 'current', 'speed'] as const;
  const alone = event.members.length === 1 ? event.members[0]! : undefined;
  if (
    alone &&
    (hydraulic as readonly string[]).includes(alone.column.kind) &&
    hydraulic.filter((k) => k !== alone.column.kind && present(k)).length >= 2
  ) {
    return make('health.explain.sensorSuspect', { column: alone.column.column });
  }
  const first = event.members[0]!;
  return make(first.direction === 'high' ? 'health.explain.readingHigh' : 'health.explain.readingLow', {
    column: first.column.column,
    pct: pct(shift(first)),
  });
}
