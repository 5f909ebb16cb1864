import { z } from 'zod';
import { idSchema } from '../../core/ids.ts';
import { locateSeries } from '../telemetry/point-mapping.ts';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `500ms`, `10s`, `5m`, `1h`, `1d` to ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** ISO 8601 date-time or integer ms since the epoch. */
function parseTime(text: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export const MIN_STEP_MS = 1000;
export const MAX_STEP_MS = 7 * 86_400_000;
export const MAX_BUCKETS = 10_000;
export const MAX_SPAN_MS = 366 * 86_400_000;
export const DEFAULT_SPAN_MS = 3_600_000;

const time = (name: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseTime(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an ISO 8601 date-time or ms since the epoch, got "${text}"`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .optional();

/** Query string of GET /api/stations/:id/history. */
export const historyQuerySchema = z
  .object({
    tag: z
      .string({
        error:
          'tag is required: a meaning such as pressure.outlet or pump[1].bearing_vibration, or a health series such as health.pump[1].vibration',
      })
      .superRefine((tag, ctx) => {
        const location = locateSeries(tag);
        if (typeof location === 'string') ctx.addIssue({ code: 'custom', message: location });
      }),
    from: time('from'),
    to: time('to'),
    step: z
      .string()
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined || ms < MIN_STEP_MS || ms > MAX_STEP_MS) {
          ctx.addIssue({
            code: 'custom',
            message: `step must be a duration from 1s to 7d such as 10s, 5m or 1h, got "${text}"`,
          });
          return z.NEVER;
        }
        return ms;
      })
      .optional(),
    site: idSchema.optional(),
  })
  .strict()
  .transform((query, ctx) => {
    const to = query.to ?? Date.now();
    const from = query.from ?? to - DEFAULT_SPAN_MS;
    if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
    if (to - from > MAX_SPAN_MS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from..to spans more than 366 days' });
    if (query.step !== undefined && (to - from) / query.step > MAX_BUCKETS) {
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: `step too small for the range: ${Math.ceil((to - from) / query.step)} buckets, at most ${MAX_BUCKETS}`,
      });
    }
    return { ...query, from, to };
  });

export type HistoryQuery = z.output<typeof historyQuerySchema>;
