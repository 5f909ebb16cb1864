import type { ColumnKind } from './column-guess.ts';
import { median, theilSen } from './robust-stats.ts';

/** A derived series: a reading's residual from its learned relation to the flow. */
export interface RelationSeries {
  name: string;
  kind: 'speedRelation' | 'powerRelation' | 'headRelation';
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
  columns: readonly { column: string; kind: ColumnKind['kind']; meaning?: string | null }[],
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
      absoluteFloor: (target.kind === 'speed' ? 0.01 : 0.02) * Math.abs(level),
    });
  }
  const head = headRelation(rows, columns, flow);
  if (head) out.push(head);
  return out;
}

/**
 * The pump's own operating curve at its speed: by the affinity laws the head over the speed squared is
 * one function of the flow over the speed, whatever the demand and the speed the loop runs at. Learned
 * (a Theil-Sen line, the curve being straight over the stretch a learning period sees) from the first
 * fifth of the readings; the residual is the head (outlet less inlet pressure, when there is one) the
 * pump gives against what its curve gives at this speed and flow. A demand moving the operating point
 * along the curve leaves it at zero; a worn impeller or a pressure sensor drifting moves it.
 */
function headRelation(
  rows: readonly { at: number; values: Record<string, number | boolean> }[],
  columns: readonly { column: string; kind: ColumnKind['kind']; meaning?: string | null }[],
  flow: string,
): RelationSeries | null {
  const speed = columns.find((c) => c.kind === 'speed')?.column;
  const outlet = columns.find((c) => c.kind === 'pressure' && c.meaning !== 'pressure.inlet')?.column;
  if (!speed || !outlet) return null;
  const inlet = columns.find((c) => c.kind === 'pressure' && c.meaning === 'pressure.inlet')?.column;
  const points: { at: number; n: number; q: number; h: number }[] = [];
  for (const r of rows) {
    const n = r.values[speed];
    const q = r.values[flow];
    const p = r.values[outlet];
    const i = inlet ? r.values[inlet] : 0;
    if (typeof n !== 'number' || typeof q !== 'number' || typeof p !== 'number' || typeof i !== 'number')
      continue;
    if (n <= 0 || q <= 0) continue;
    points.push({ at: r.at, n, q, h: p - i });
  }
  if (points.length < MIN_PAIRS / LEARN_SHARE) return null;
  const learn = points.slice(0, Math.floor(points.length * LEARN_SHARE));
  // H = a n^2 - c Q^2: the head coefficient is a line in the flow coefficient squared.
  const x = (p: { n: number; q: number }) => (p.q / p.n) ** 2;
  const phi = learn.map(x);
  const psi = learn.map((p) => p.h / (p.n * p.n));
  // Least squares over every learning reading: the curve is smooth and the noise is the sensors'.
  const fit = leastSquares(phi, psi);
  const spread = Math.max(...phi) - Math.min(...phi);
  const slope = Number.isFinite(fit.slope) && fit.slope <= 0 && spread > 0.02 * median(phi) ? fit.slope : 0;
  const intercept = slope === fit.slope ? fit.intercept : median(psi);
  const lo = Math.min(...phi) - 0.2 * median(phi);
  const hi = Math.max(...phi) + 0.2 * median(phi);
  const level = median(learn.map((p) => p.h));
  // How far the learned slope can be trusted: the two halves of the learning period fitted apart (their
  // readings are autocorrelated, so the textbook standard error would promise too much). Away from
  // where it was learned the curve is judged with that much more slack.
  const half = Math.floor(phi.length / 2);
  const first = leastSquares(phi.slice(0, half), psi.slice(0, half)).slope;
  const second = leastSquares(phi.slice(half), psi.slice(half)).slope;
  const slack = slope === 0 || !Number.isFinite(first - second) ? 0 : Math.abs(first - second) / 2;
  const center = phi.reduce((a, b) => a + b, 0) / phi.length;
  const floor = 0.02 * Math.abs(level);
  return {
    name: `${outlet} ~ curve`,
    kind: 'headRelation',
    of: outlet,
    flow,
    samples: points
      .filter((p) => x(p) >= lo && x(p) <= hi)
      .map((p) => {
        const residual = p.h - p.n * p.n * (intercept + slope * x(p));
        const unsure = slack * p.n * p.n * Math.abs(x(p) - center);
        return { at: p.at, v: residual * (floor / Math.hypot(floor, unsure)) };
      }),
    absoluteFloor: floor,
  };
}

function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx };
}
