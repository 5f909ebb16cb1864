import { z } from 'zod';
import { ID_PATTERN, ID_RULE, idSchema } from '../ids.ts';

export { ID_PATTERN, ID_RULE, idSchema };

/** A database row's id in a path: a positive integer. */
export const rowIdParams = z.object({ id: z.coerce.number().int().positive() });
/** A path with one string id (`/contracts/:id`). */
export const idParams = z.object({ id: idSchema });

export const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD', abort: true })
  // 2026-13-45 has the shape but is no day of the calendar.
  .refine(
    (day) => {
      const at = Date.parse(`${day}T00:00:00Z`);
      return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === day;
    },
    { message: 'is not a day of the calendar (YYYY-MM-DD)' },
  );

/** A moment in a JSON body: ms since the epoch or an ISO 8601 date-time with its offset. */
export const timeSchema = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);
/** A moment in a query string: digits are ms since the epoch, else an ISO 8601 date-time. */
export const queryTimeSchema = z.union([
  z
    .string()
    .regex(/^\d+$/)
    .transform((text) => Number(text)),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

/** Comma-separated list in a query string: `state=new,triaged`. */
export const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));

/** A pump's number at its station. */
export const pumpNumber = z.number().int().min(1).max(9);

/**
 * Every error answer: the sentence for a person, with a stable code and its parameters when the
 * server gives them (for translated messages), and the fields of an invalid request.
 */
export const errorSchema = z.object({
  error: z.string(),
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  issues: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        code: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
});
export type ApiErrorBody = z.infer<typeof errorSchema>;
