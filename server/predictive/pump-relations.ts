import type { ColumnKind } from './column-guess.ts';
import { median, theilSen } from './robust-stats.ts';

/** A derived series: a reading's residual from its learned relation to the flow. */
export interface RelationSeries {
  name: string;
  kind: 'speedRelation' | 'powerRelation';
  /** The reading the relation predicts, and the flow it is predicted from. */
  of: string;
  flow: string;
  samples: { at: number; v: number }[];
  /**
   * Smallest noise judged against, a share of the reading's level: half a percent for speed, two for
   * power and current, whose curve bends more (power grows with the cube of speed) than a line learned
   * over a short stretch follows.
   */
  absoluteFloor: number;
}

const LEARN_SHARE = 0.2;
const MIN_PAIRS = 30;

/**
 * The relations a booster pump keeps whatever the demand: at the pressure its loop holds, its speed and
 * its power (or current) follow its flow along its own curves. Learned per pump from the first fifth of
 * the readings (a robust Theil-Sen line through speed or power against flow: over a learning period the
 * demand moves the operating point only along a short stretch of the curve, where it is straight), and
 * judged as residuals: a worn impeller or a clogged strainer needs more speed for the same flow, friction
 * more power. Pure.
 */
export function pumpRelations(
  rows: readonly { at: number; values: Record<string, number | boolean> }[],
  columns: readonly { column: string; kind: ColumnKind['kind'] }[],
): RelationSeries[] {
  const flow = columns.find((c) => c.kind === 'flow')?.column;
  if (!flow) return [];
  const out: RelationSeries[] = [];
  for (const target of columns.filter(
    (c) => c.kind === 'speed' || c.kind === 'power' || c.kind === 'current',
  )) {
    const pairs = rows
      .map((r) => ({ at: r.at, x: r.values[flow], y: r.values[target.column] }))
      .filter(
        (p): p is { at: number; x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number',
      )
      // A stopped pump keeps no relation to the network's flow.
      .filter((p) => p.x > 0 && p.y > 0);
    if (pairs.length < MIN_PAIRS / LEARN_SHARE) continue;
    const learn = pairs.slice(0, Math.floor(pairs.length * LEARN_SHARE));
    const fit = theilSen(
      learn.map((p) => p.x),
      learn.map((p) => p.y),
    );
    // A flow that hardly moved while learning leaves the slope unknown: the level alone is the relation.
    const xs = learn.map((p) => p.x);
    const spread = Math.max(...xs) - Math.min(...xs);
    const lo = Math.min(...xs) - 0.02 * median(xs);
    const hi = Math.max(...xs) + 0.02 * median(xs);
    const level = median(learn.map((p) => p.y));
    const slope = Number.isFinite(fit.slope) && spread > 0.05 * median(xs) ? fit.slope : 0;
    const intercept = slope === 0 ? level : median(learn.map((p) => p.y - slope * p.x));
    out.push({
      name: `${target.column} ~ ${flow}`,
      kind: target.kind === 'speed' ? 'speedRelation' : 'powerRelation',
      of: target.column,
      flow,
      // Judged only at the flows it was learned over (a line is no curve far from where it was drawn):
      // further out the flow's own episodes speak.
      samples: pairs
        .filter((p) => p.x >= lo && p.x <= hi)
        .map((p) => ({ at: p.at, v: p.y - (intercept + slope * p.x) })),
      absoluteFloor: (target.kind === 'speed' ? 0.005 : 0.02) * Math.abs(level),
    });
  }
  return out;
}
