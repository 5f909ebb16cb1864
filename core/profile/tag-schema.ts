import { z } from 'zod';
import { parseMeaning } from './meanings.ts';

export const REGISTER_AREAS = ['coil', 'discrete', 'input', 'holding'] as const;
export const DATA_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32'] as const;
/** Severity of a vendor alarm code: the service documents' 轻微 / 一般 / 重大. */
export const CODE_SEVERITIES = ['minor', 'general', 'major'] as const;

export type RegisterArea = (typeof REGISTER_AREAS)[number];
export type DataType = (typeof DATA_TYPES)[number];

/** Bit areas hold one bit per address; register areas one 16-bit word per address. */
export function isBitArea(area: RegisterArea): boolean {
  return area === 'coil' || area === 'discrete';
}

/** Words a data type takes in a register area. */
export function wordsOf(type: DataType): number {
  return type === 'int32' || type === 'uint32' || type === 'float32' ? 2 : 1;
}

const INTEGER_TYPES: readonly DataType[] = ['int16', 'uint16', 'int32', 'uint32'];

/** Text in both languages, as a vendor's manual gives it (zh may be missing from a translated one). */
const label = z
  .object({ en: z.string().min(1), zh: z.string().min(1).optional() })
  .strict()
  .or(
    z
      .string()
      .min(1)
      .transform((en) => ({ en })),
  );
export type Label = { en: string; zh?: string | undefined };

/** Object keys are strings in YAML and JSON: codes are written as decimal or 0x hex keys. */
const codeKey = z
  .string()
  .regex(/^(0x[0-9a-fA-F]+|-?\d+)$/, 'a code is a decimal or 0x hex integer')
  .transform((key) => Number(key));

const codeTable = <T extends z.ZodType>(entry: T) =>
  z.record(z.string(), entry).superRefine((table, ctx) => {
    for (const key of Object.keys(table)) {
      if (!codeKey.safeParse(key).success)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}": a code is a decimal or 0x hex integer`,
        });
    }
  });

const alarmCodeEntry = z
  .object({
    en: z.string().min(1),
    zh: z.string().min(1).optional(),
    /** How serious the vendor's code is (default general). */
    severity: z.enum(CODE_SEVERITIES).default('general'),
    /** `alarm` (the drive tripped) or `warning` (it runs on, something needs a look). Default alarm. */
    kind: z.enum(['alarm', 'warning']).default('alarm'),
  })
  .strict()
  .or(
    z
      .string()
      .min(1)
      .transform((en) => ({ en, severity: 'general' as const, kind: 'alarm' as const })),
  );

/** A raw register value that means "no value" (0xFFFF, 0x7FFF, 0x8000, ...) or `nan` for a float. */
const notAvailableValue = z.union([
  z.number().int(),
  z.literal('nan'),
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,8}$/, 'a raw value as a number, 0x hex or nan')
    .transform(Number),
]);

/** The fields of one tag as written in a profile file (a pump block's tags use `pump[n]` in meaning). */
export const tagFields = {
  /** Short, unique name of the tag within the profile. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  area: z.enum(REGISTER_AREAS),
  /** PDU address, counted from the profile's addressBase (0 by default). */
  address: z.number().int().min(0).max(65536),
  type: z.enum(DATA_TYPES),
  /** For 32-bit types: `big` = high word first (Modicon), `little` = low word first. Default big. */
  wordOrder: z.enum(['big', 'little']).default('big'),
  /** For `bool` read from a register: which bit (0 = least significant). */
  bit: z.number().int().min(0).max(15).optional(),
  /** Engineering value = raw * scale + offset. */
  scale: z.number().finite().default(1),
  offset: z.number().finite().default(0),
  unit: z.string().default(''),
  meaning: z.string(),
  /** Poll class: `fast` for run status and faults, `slow` for counters and run hours. */
  poll: z.enum(['fast', 'slow']).default('fast'),
  writable: z.boolean().default(false),
  /** Plausible engineering range; readings outside it carry quality `out_of_range`. */
  range: z.object({ min: z.number(), max: z.number() }).strict().optional(),
  description: z.string().optional(),
  /** Code -> label: the value is a state, stored as its code, never averaged, shown as its label. */
  enum: codeTable(label).optional(),
  /** Raw values that mean "no value" (quality not_available: no alarm, not charted). */
  notAvailable: z.array(notAvailableValue).min(1).optional(),
  /** Whether a value that holds still is suspected stuck (frozen). Off for constants such as a fixed 50 Hz. Default true. */
  frozenCheck: z.boolean().default(true),
  /** The vendor's alarm or warning codes this tag reports (0 or a code not listed: none active). */
  alarmCodes: codeTable(alarmCodeEntry).optional(),
  // Dashboards (issue 16): how a reading the station page does not know is named.
  /** The reading's name in both languages (`{en, zh}` or one string), shown for custom meanings. */
  label: label.optional(),
} as const;

type RawTag = z.output<z.ZodObject<typeof tagFields>>;

/** Checks one tag on its own; `meaningOf` turns a block's `pump[n]` into a real meaning to check. */
export function checkTag(tag: RawTag, ctx: z.RefinementCtx, meaningToCheck: string): void {
  const parsed = parseMeaning(meaningToCheck);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', path: ['meaning'], message: parsed });
  const bitArea = isBitArea(tag.area);
  if (bitArea && tag.type !== 'bool') {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `a ${tag.area} holds one bit: type must be bool`,
    });
  }
  if (tag.bit !== undefined && (bitArea || tag.type !== 'bool')) {
    ctx.addIssue({ code: 'custom', path: ['bit'], message: 'bit only applies to a bool in a register area' });
  }
  if (tag.writable && !(tag.area === 'holding' || tag.area === 'coil')) {
    ctx.addIssue({
      code: 'custom',
      path: ['writable'],
      message: 'only holding registers and coils are writable',
    });
  }
  if (tag.scale === 0) ctx.addIssue({ code: 'custom', path: ['scale'], message: 'scale must not be 0' });
  if (tag.range && tag.range.min > tag.range.max) {
    ctx.addIssue({ code: 'custom', path: ['range'], message: 'range.min is above range.max' });
  }
  const codes = tag.enum ?? tag.alarmCodes;
  if (codes !== undefined) {
    const what = tag.enum ? 'enum' : 'alarmCodes';
    if (tag.enum && tag.alarmCodes)
      ctx.addIssue({
        code: 'custom',
        path: ['alarmCodes'],
        message: 'a tag is an enum or an alarm code, not both',
      });
    if (!INTEGER_TYPES.includes(tag.type))
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `${what} needs an integer type (int16, uint16, int32, uint32)`,
      });
    if (tag.scale !== 1 || tag.offset !== 0)
      ctx.addIssue({
        code: 'custom',
        path: [what],
        message: `${what} codes are raw values: scale 1 and offset 0`,
      });
  }
  for (const [i, raw] of (tag.notAvailable ?? []).entries()) {
    const problem =
      tag.type === 'bool'
        ? 'a bool has no "not available" value'
        : raw === 'nan'
          ? tag.type === 'float32'
            ? undefined
            : 'nan only applies to float32'
          : registerContent(tag.type, raw) === undefined
            ? `${raw} does not fit a ${tag.type} register`
            : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['notAvailable', i], message: problem });
  }
}

/**
 * The unsigned content of a tag's register(s) for a raw value written signed or unsigned (0x8000 and
 * -32768 are the same int16 word), or undefined when it does not fit. float32 values are bit patterns.
 */
export function registerContent(type: DataType, raw: number): number | undefined {
  if (!Number.isInteger(raw)) return undefined;
  const bits = wordsOf(type) * 16;
  const limit = 2 ** bits;
  if (raw < -(limit / 2) || raw >= limit) return undefined;
  return raw < 0 ? raw + limit : raw;
}

/** A code table's keys as numbers. */
export function codesOf<T>(table: Record<string, T> | undefined): Map<number, T> {
  return new Map(Object.entries(table ?? {}).map(([key, value]) => [Number(key), value]));
}

export type TagLabel = Label;
