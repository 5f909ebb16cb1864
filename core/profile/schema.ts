import { z } from 'zod';
import { parseMeaning } from './meanings.ts';

export const REGISTER_AREAS = ['coil', 'discrete', 'input', 'holding'] as const;
export const DATA_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32'] as const;

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

const tagSchema = z
  .object({
    /** Short, unique name of the tag within the profile. */
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    area: z.enum(REGISTER_AREAS),
    /** Zero-based PDU address. */
    address: z.number().int().min(0).max(65535),
    type: z.enum(DATA_TYPES),
    /** For 32-bit types: `big` = high word first (Modicon), `little` = low word first. Default big. */
    wordOrder: z.enum(['big', 'little']).default('big'),
    /** For `bool` read from a register: which bit (0 = least significant). */
    bit: z.number().int().min(0).max(15).optional(),
    /** Engineering value = raw * scale + offset. */
    scale: z.number().finite().default(1),
    offset: z.number().finite().default(0),
    unit: z.string().default(''),
    meaning: z.string().superRefine((value, ctx) => {
      const parsed = parseMeaning(value);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }),
    /** Poll class: `fast` for run status and faults, `slow` for counters and run hours. */
    poll: z.enum(['fast', 'slow']).default('fast'),
    writable: z.boolean().default(false),
    /** Plausible engineering range; readings outside it carry quality `out_of_range`. */
    range: z.object({ min: z.number(), max: z.number() }).optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((tag, ctx) => {
    const bitArea = isBitArea(tag.area);
    if (bitArea && tag.type !== 'bool') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `a ${tag.area} holds one bit: type must be bool`,
      });
    }
    if (tag.bit !== undefined && (bitArea || tag.type !== 'bool')) {
      ctx.addIssue({
        code: 'custom',
        path: ['bit'],
        message: 'bit only applies to a bool in a register area',
      });
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
  });

export const profileSchema = z
  .object({
    model: z.string().min(1),
    vendor: z.string().default(''),
    description: z.string().default(''),
    /** Nominal supply voltage (220 V single phase or 380 V three phase). */
    nominalVoltage: z.union([z.literal(220), z.literal(380)]),
    phases: z.union([z.literal(1), z.literal(3)]),
    pumps: z.number().int().min(1).max(9),
    tags: z.array(tagSchema).min(1),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const names = new Map<string, number>();
    const meanings = new Map<string, number>();
    profile.tags.forEach((tag, i) => {
      const sameName = names.get(tag.name);
      if (sameName !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tags', i, 'name'],
          message: `duplicate of tags[${sameName}]`,
        });
      }
      names.set(tag.name, i);
      const sameMeaning = meanings.get(tag.meaning);
      if (sameMeaning !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tags', i, 'meaning'],
          message: `"${tag.meaning}" is already the meaning of tags[${sameMeaning}]`,
        });
      }
      meanings.set(tag.meaning, i);
      const parsed = parseMeaning(tag.meaning);
      if (typeof parsed !== 'string' && parsed.kind === 'pump' && parsed.pump > profile.pumps) {
        ctx.addIssue({
          code: 'custom',
          path: ['tags', i, 'meaning'],
          message: `pump ${parsed.pump} but the profile has ${profile.pumps} pumps`,
        });
      }
    });
    findOverlaps(profile.tags).forEach(([a, b]) => {
      ctx.addIssue({
        code: 'custom',
        path: ['tags', b, 'address'],
        message: `overlaps tags[${a}] (${profile.tags[a]?.name}) in the ${profile.tags[b]?.area} area`,
      });
    });
  });

/** Pairs of tag indexes whose registers overlap (bools on distinct bits of one register do not). */
function findOverlaps(tags: readonly z.infer<typeof tagSchema>[]): Array<[number, number]> {
  const owner = new Map<string, number>();
  const overlaps: Array<[number, number]> = [];
  tags.forEach((tag, i) => {
    const words = isBitArea(tag.area) ? 1 : wordsOf(tag.type);
    for (let w = 0; w < words; w++) {
      const key = `${tag.area}:${tag.address + w}:${tag.bit ?? 'all'}`;
      const wholeKey = `${tag.area}:${tag.address + w}:all`;
      const clash = owner.get(key) ?? (tag.bit === undefined ? undefined : owner.get(wholeKey));
      if (clash !== undefined) {
        overlaps.push([clash, i]);
        return;
      }
      owner.set(key, i);
    }
  });
  return overlaps;
}

export type ProfileInput = z.input<typeof profileSchema>;
export type Profile = z.output<typeof profileSchema>;
export type Tag = Profile['tags'][number];
