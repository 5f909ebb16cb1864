import { z } from 'zod';

/**
 * Readings a controller does not give but its other readings imply, computed by the edge after
 * each read. A meaning with `pump[n]` is repeated for every pump of the profile.
 */
export const derivedInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      /** true while `of` is above `threshold` (a pump runs while its speed is above 0). */
      kind: z.literal('above'),
      meaning: z.string(),
      of: z.string(),
      threshold: z.number().finite().default(0),
    })
    .strict(),
  z
    .object({
      /** Active power, kW: sqrt(3) x U x I x PF / 1000 on three phases (U line to line), U x I x PF / 1000 on one. */
      kind: z.literal('power'),
      meaning: z.string(),
      voltage: z.string(),
      current: z.string(),
      /** A fixed power factor, or the meaning of a reading that gives it. */
      powerFactor: z.union([z.number().min(0).max(1), z.string()]),
      /** Default: the profile's phases. */
      phases: z.union([z.literal(1), z.literal(3)]).optional(),
      unit: z.string().default('kW'),
    })
    .strict(),
]);

type DerivedInput = z.output<typeof derivedInputSchema>;

export type DerivedReading = (
  | { kind: 'above'; meaning: string; of: string; threshold: number }
  | {
      kind: 'power';
      meaning: string;
      voltage: string;
      current: string;
      powerFactor: number | string;
      phases: 1 | 3;
      unit: string;
    }
) & {
  /** The meanings it is computed from. */
  inputs: string[];
  /** Its place in the file's `derived` list, for error messages. */
  index: number;
};

/** Expands `pump[n]` readings per pump and fills the defaults. */
export function expandDerived(
  inputs: readonly DerivedInput[],
  pumps: number,
  phases: 1 | 3,
  ctx: z.RefinementCtx,
): DerivedReading[] {
  const out: DerivedReading[] = [];
  inputs.forEach((input, index) => {
    const perPump = input.meaning.includes('[n]');
    const texts = Object.values(input).filter((v): v is string => typeof v === 'string');
    if (!perPump && texts.some((text) => text.includes('[n]'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['derived', index, 'meaning'],
        message: 'inputs use pump[n], so the meaning must too',
      });
      return;
    }
    const numbers = perPump ? Array.from({ length: pumps }, (_, i) => i + 1) : [0];
    for (const pump of numbers) {
      const fill = (text: string) => (perPump ? text.replace(/\[n\]/g, `[${pump}]`) : text);
      if (input.kind === 'above') {
        const of = fill(input.of);
        out.push({
          kind: 'above',
          meaning: fill(input.meaning),
          of,
          threshold: input.threshold,
          inputs: [of],
          index,
        });
      } else {
        const voltage = fill(input.voltage);
        const current = fill(input.current);
        const powerFactor =
          typeof input.powerFactor === 'string' ? fill(input.powerFactor) : input.powerFactor;
        out.push({
          kind: 'power',
          meaning: fill(input.meaning),
          voltage,
          current,
          powerFactor,
          phases: input.phases ?? phases,
          unit: input.unit,
          inputs: [voltage, current, ...(typeof powerFactor === 'string' ? [powerFactor] : [])],
          index,
        });
      }
    }
  });
  return out;
}

/** A derived reading's value from the values of its inputs; undefined when an input has none. */
export function computeDerived(
  reading: DerivedReading,
  value: (meaning: string) => number | boolean | null | undefined,
): number | boolean | undefined {
  const num = (meaning: string) => {
    const v = value(meaning);
    return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;
  };
  if (reading.kind === 'above') {
    const of = num(reading.of);
    return of === undefined ? undefined : of > reading.threshold;
  }
  const volts = num(reading.voltage);
  const amps = num(reading.current);
  const pf = typeof reading.powerFactor === 'number' ? reading.powerFactor : num(reading.powerFactor);
  if (volts === undefined || amps === undefined || pf === undefined) return undefined;
  const watts = (reading.phases === 3 ? Math.sqrt(3) : 1) * volts * amps * pf;
  return Number((watts / 1000).toPrecision(6));
}
