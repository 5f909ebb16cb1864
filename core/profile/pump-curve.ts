import { z } from 'zod';

/**
 * A pump's curves from its datasheet: head, shaft power and NPSH required against flow at rated speed,
 * fitted as polynomials (head and NPSHr quadratic, power cubic from four points, else quadratic) and
 * carried to any speed by the affinity laws (flow ~ n, head ~ n², power ~ n³, NPSHr ~ n²). Pure.
 */

/** Bar per metre of water (20 °C). */
export const BAR_PER_METRE = 0.0981;

const pointSchema = z
  .object({
    /** m3/h */
    flow: z.number().min(0).max(100_000),
    /** In `headUnit`. */
    head: z.number().min(0).max(5000),
    /** Shaft power (P2), kW. */
    power: z.number().positive().max(100_000).optional(),
    /** NPSH required, m. */
    npshr: z.number().positive().max(100).optional(),
  })
  .strict();

export const pumpCurveInputSchema = z
  .object({
    /** Speed the datasheet points are given at, Hz of the drive. Default 50. */
    ratedHz: z.number().min(10).max(400).default(50),
    headUnit: z.enum(['m', 'bar']).default('m'),
    /** Rated motor power, kW (for the rated current the motor heats against). */
    motorKw: z.number().positive().max(100_000).optional(),
    points: z.array(pointSchema).min(3).max(50),
  })
  .strict();

export type PumpCurveInput = z.input<typeof pumpCurveInputSchema>;

/** The fitted curves: polynomial coefficients in flow (m3/h), lowest power first; head in bar. */
export interface PumpCurve {
  ratedHz: number;
  motorKw: number | null;
  /** Head at rated speed, bar: h0 + h1 q + h2 q². */
  head: [number, number, number];
  /** Shaft power at rated speed, kW: p0 + p1 q + p2 q² (+ p3 q³). */
  power: number[];
  /** NPSH required at rated speed, m. */
  npshr: [number, number, number];
  /** Highest flow of the datasheet points (the curve is extrapolated beyond it). */
  maxFlow: number;
}

/** Value of a polynomial (coefficients lowest power first) at x. */
export function poly(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/**
 * Least-squares polynomial of `degree` through the points (x scaled to 0..1 for conditioning, normal
 * equations solved by Gaussian elimination with partial pivoting). Returns null when singular.
 */
export function fitPolynomial(xs: readonly number[], ys: readonly number[], degree: number): number[] | null {
  const scale = Math.max(...xs.map(Math.abs)) || 1;
  const n = degree + 1;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  xs.forEach((x0, i) => {
    const x = x0 / scale;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) a[r]![c]! += x ** (r + c);
      a[r]![n]! += ys[i]! * x ** r;
    }
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= n; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, k) => row[n]! / row[k]! / scale ** k);
}

/** NPSHr of the default pump, m, at rated speed (a typical multistage booster's datasheet). */
const DEFAULT_NPSHR: readonly [number, number][] = [
  [0, 1.0],
  [15, 1.3],
  [30, 1.9],
  [45, 2.8],
  [60, 4.0],
];

/**
 * Fits a datasheet's points, or returns why they cannot be a pump curve. Without NPSHr on at least three
 * points the default pump's NPSHr is stretched to the datasheet's flow range.
 */
export function fitPumpCurve(input: z.output<typeof pumpCurveInputSchema>): PumpCurve | string {
  const points = [...input.points].sort((a, b) => a.flow - b.flow);
  const flows = points.map((p) => p.flow);
  if (new Set(flows).size < 3) return 'a pump curve needs at least three points at different flows';
  const toBar = input.headUnit === 'm' ? BAR_PER_METRE : 1;
  const head = fitPolynomial(
    flows,
    points.map((p) => p.head * toBar),
    2,
  );
  const maxFlow = flows[flows.length - 1]!;
  if (!head || head[0]! <= 0) return 'the head curve must give a positive head at zero flow';
  if (head[1]! + 2 * head[2]! * maxFlow >= 0) return 'the head must fall with flow at the last point';
  const withPower = points.filter((p) => p.power !== undefined);
  let power: number[] | null = null;
  if (withPower.length >= 3) {
    power = fitPolynomial(
      withPower.map((p) => p.flow),
      withPower.map((p) => p.power!),
      withPower.length >= 4 ? 3 : 2,
    );
  }
  if (!power) return 'a pump curve needs the shaft power on at least three points';
  if (flows.some((q) => poly(power!, q) <= 0))
    return 'the fitted power curve falls to zero inside the points';
  const withNpshr = points.filter((p) => p.npshr !== undefined);
  const stretch = maxFlow / 60;
  const npshrPoints =
    withNpshr.length >= 3
      ? withNpshr.map((p) => [p.flow, p.npshr!] as const)
      : DEFAULT_NPSHR.map(([q, m]) => [q * stretch, m] as const);
  const npshr = fitPolynomial(
    npshrPoints.map(([q]) => q),
    npshrPoints.map(([, m]) => m),
    2,
  );
  if (!npshr) return 'the NPSHr points cannot be fitted';
  return {
    ratedHz: input.ratedHz,
    motorKw: input.motorKw ?? null,
    head: head as [number, number, number],
    power,
    npshr: npshr as [number, number, number],
    maxFlow,
  };
}

/** The pump curve of a profile: validated and fitted, with the fit's complaint as the zod issue. */
export const pumpCurveSchema = pumpCurveInputSchema.transform((input, ctx): PumpCurve => {
  const fitted = fitPumpCurve(input);
  if (typeof fitted === 'string') {
    ctx.addIssue({ code: 'custom', path: ['points'], message: fitted });
    return z.NEVER;
  }
  return fitted;
});

/** Head in bar at `flow` m3/h and speed ratio `s` (affinity: H(q, s) = s² H(q / s)). */
export function curveHead(curve: PumpCurve, flow: number, s: number): number {
  const [h0, h1, h2] = curve.head;
  return h0 * s * s + h1 * flow * s + h2 * flow * flow;
}

/** Shaft power in kW at `flow` and speed ratio `s` on the curve (P(q, s) = s³ P(q / s)). */
export function curvePower(curve: PumpCurve, flow: number, s: number): number {
  if (s <= 0) return 0;
  return s ** 3 * poly(curve.power, flow / s);
}

/** NPSH required in m at `flow` and speed ratio `s` (NPSHr(q, s) = s² NPSHr(q / s)). */
export function curveNpshr(curve: PumpCurve, flow: number, s: number): number {
  if (s <= 0) return 0;
  return Math.max(0.1, s * s * poly(curve.npshr, flow / s));
}

/** Speed ratio at which the curve gives `head` bar at `flow` (0 when no speed does). */
export function speedForHead(curve: PumpCurve, head: number, flow: number): number {
  const [h0, h1, h2] = curve.head;
  const b = h1 * flow;
  const c = h2 * flow * flow - head;
  const d = b * b - 4 * h0 * c;
  if (d < 0) return 0;
  return Math.max(0, (-b + Math.sqrt(d)) / (2 * h0));
}

/**
 * Datasheet points of the default pump: a 7.5 kW multistage booster, 5.2 bar shut-off head at 50 Hz,
 * ~45 m3/h at 3.4 bar, 20% of its rated power lost to disc friction and windage at any flow, 70%
 * hydraulic efficiency.
 */
export function defaultPumpCurveInput(ratedKw = 7.5): z.output<typeof pumpCurveInputSchema> {
  const npshr = fitPolynomial(
    DEFAULT_NPSHR.map(([q]) => q),
    DEFAULT_NPSHR.map(([, m]) => m),
    2,
  )!;
  const points = [0, 15, 30, 45, 60, 70].map((flow) => {
    const head = 5.2 - 8.9e-4 * flow * flow;
    const power = 0.2 * ratedKw + (flow * head) / 36 / 0.7;
    return { flow, head, power, npshr: poly(npshr, flow) };
  });
  return { ratedHz: 50, headUnit: 'bar', motorKw: ratedKw, points };
}

export function defaultPumpCurve(ratedKw = 7.5): PumpCurve {
  return fitPumpCurve(defaultPumpCurveInput(ratedKw)) as PumpCurve;
}
