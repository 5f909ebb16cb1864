import { z } from 'zod';
import { type CommandsSection, checkCommands, commandsSectionSchema } from './command-schema.ts';
import { type DerivedReading, derivedInputSchema, expandDerived } from './derived.ts';
import { parseMeaning } from './meanings.ts';
import { type PumpCurve, pumpCurveSchema } from './pump-curve.ts';
import {
  checkTag,
  type DataType,
  isBitArea,
  type Label,
  type RegisterArea,
  registerContent,
  tagFields,
  wordsOf,
} from './tag-schema.ts';

export {
  DATA_TYPES,
  type DataType,
  isBitArea,
  REGISTER_AREAS,
  type RegisterArea,
  wordsOf,
} from './tag-schema.ts';

const PUMP_PLACEHOLDER = /\[n\]/g;

const tagSchema = z
  .object(tagFields)
  .strict()
  .superRefine((tag, ctx) => checkTag(tag, ctx, tag.meaning));

const blockTagSchema = z
  .object(tagFields)
  .strict()
  .superRefine((tag, ctx) => {
    if (!tag.meaning.includes('[n]')) {
      ctx.addIssue({
        code: 'custom',
        path: ['meaning'],
        message: 'a pump block tag names its pump as pump[n] (n: each pump of the block)',
      });
      return;
    }
    checkTag(tag, ctx, tag.meaning.replace(PUMP_PLACEHOLDER, '[1]'));
  });

/** One block of registers repeated per pump: pump i's addresses are the block's plus i x stride. */
const pumpBlockSchema = z
  .object({
    /** Address step from one pump's block to the next. */
    stride: z.number().int().min(1).max(10_000),
    /** The pumps the block repeats for, in address order. Default every pump of the profile. */
    pumps: z.array(z.number().int().min(1).max(9)).min(1).optional(),
    tags: z.array(blockTagSchema).min(1),
  })
  .strict();

const profileInputSchema = z
  .object({
    model: z.string().min(1),
    vendor: z.string().default(''),
    description: z.string().default(''),
    /** Where the manual's addresses start: 0 (PDU addresses, the default) or 1 (register 1 = PDU 0). */
    addressBase: z.union([z.literal(0), z.literal(1)]).default(0),
    /** Nominal supply voltage, V (line to line for three phase): 220, 380, 400, 690, ... */
    nominalVoltage: z.number().min(12).max(1000),
    phases: z.union([z.literal(1), z.literal(3)]),
    pumps: z.number().int().min(1).max(9),
    tags: z.array(tagSchema).default([]),
    pumpBlocks: z.array(pumpBlockSchema).default([]),
    derived: z.array(derivedInputSchema).default([]),
    /** Remote commands the controller takes (core/profile/command-schema.ts). Default none. */
    commands: commandsSectionSchema,
    /** The pumps' datasheet curves (core/profile/pump-curve.ts); the simulator's default pump without. */
    pumpCurve: pumpCurveSchema.optional(),
  })
  .strict();

type InputTag = z.output<typeof tagSchema>;

/** A tag as the edge, the simulator and the server use it: zero-based address, one pump, codes as numbers. */
export interface Tag extends Omit<InputTag, 'address' | 'notAvailable' | 'enum' | 'alarmCodes'> {
  /** Zero-based PDU address. */
  address: number;
  /** Register contents (unsigned) that mean "no value". */
  notAvailableRaw?: number[];
  /** A float32 NaN means "no value". */
  notAvailableNaN?: boolean;
  enum?: Record<string, Label>;
  alarmCodes?: Record<
    string,
    {
      en: string;
      zh?: string | undefined;
      severity: 'minor' | 'general' | 'major';
      kind: 'alarm' | 'warning';
    }
  >;
  /** Where the tag was written in the file, for error messages: `tags[3]`, `pumpBlocks[0].tags[1] (pump 2)`. */
  origin: (string | number)[];
}

export interface Profile {
  model: string;
  vendor: string;
  description: string;
  nominalVoltage: number;
  phases: 1 | 3;
  pumps: number;
  /** Every tag, pump blocks expanded, addresses zero-based. */
  tags: Tag[];
  /** Readings computed from others after each read (a pump runs while its speed is above 0; power). */
  derived: DerivedReading[];
  /** Remote commands: the tag each writes and the tag read back to confirm it. */
  commands: CommandsSection;
  /** The pumps' fitted curves, when the profile gives a datasheet. */
  pumpCurve?: PumpCurve;
}

export const profileSchema = profileInputSchema
  .transform((input, ctx): Profile => {
    const base = input.addressBase;
    const tags: Tag[] = [];
    const add = (
      tag: InputTag,
      origin: (string | number)[],
      address: number,
      name: string,
      meaning: string,
    ) => {
      const pdu = address - base;
      if (pdu < 0 || pdu > 65535) {
        ctx.addIssue({
          code: 'custom',
          path: [...origin, 'address'],
          message: `address ${address} is outside ${base}..${65535 + base} (addressBase ${base})`,
        });
      }
      const { notAvailable, enum: codes, alarmCodes, ...rest } = tag;
      const raws = (notAvailable ?? []).filter((raw): raw is number => raw !== 'nan');
      tags.push({
        ...rest,
        name,
        meaning,
        address: pdu,
        origin,
        ...(raws.length > 0
          ? { notAvailableRaw: raws.map((raw) => registerContent(tag.type, raw) ?? raw) }
          : {}),
        ...(notAvailable?.includes('nan') ? { notAvailableNaN: true } : {}),
        ...(codes ? { enum: codes } : {}),
        ...(alarmCodes ? { alarmCodes } : {}),
      });
    };
    for (const [i, tag] of input.tags.entries()) add(tag, ['tags', i], tag.address, tag.name, tag.meaning);
    input.pumpBlocks.forEach((block, b) => {
      const pumps = block.pumps ?? Array.from({ length: input.pumps }, (_, i) => i + 1);
      pumps.forEach((pump, position) => {
        block.tags.forEach((tag, t) => {
          add(
            tag,
            ['pumpBlocks', b, 'tags', t, `pump ${pump}`],
            tag.address + position * block.stride,
            `p${pump}_${tag.name}`,
            tag.meaning.replace(PUMP_PLACEHOLDER, `[${pump}]`),
          );
        });
      });
    });
    const derived = expandDerived(input.derived, input.pumps, input.phases, ctx);
    return {
      model: input.model,
      vendor: input.vendor,
      description: input.description,
      nominalVoltage: input.nominalVoltage,
      phases: input.phases,
      pumps: input.pumps,
      tags,
      derived,
      commands: input.commands,
      ...(input.pumpCurve ? { pumpCurve: input.pumpCurve } : {}),
    };
  })
  .superRefine((profile, ctx) => {
    if (profile.tags.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['tags'],
        message: 'a profile needs at least one tag (in tags or pumpBlocks)',
      });
    }
    const names = new Map<string, Tag>();
    const meanings = new Map<string, Tag | DerivedReading>();
    const at = (tag: Tag, field: string) => [
      ...tag.origin.filter((p) => !String(p).startsWith('pump ')),
      field,
    ];
    const where = (tag: Tag) =>
      tag.origin
        .map((p, i) =>
          typeof p === 'number'
            ? `[${p}]`
            : String(p).startsWith('pump ')
              ? ` (${p})`
              : `${i ? '.' : ''}${p}`,
        )
        .join('');
    for (const tag of profile.tags) {
      const sameName = names.get(tag.name);
      if (sameName)
        ctx.addIssue({ code: 'custom', path: at(tag, 'name'), message: `duplicate of ${where(sameName)}` });
      names.set(tag.name, tag);
      const sameMeaning = meanings.get(tag.meaning);
      if (sameMeaning && 'origin' in sameMeaning) {
        ctx.addIssue({
          code: 'custom',
          path: at(tag, 'meaning'),
          message: `"${tag.meaning}" is already the meaning of ${where(sameMeaning)}`,
        });
      }
      meanings.set(tag.meaning, tag);
      const parsed = parseMeaning(tag.meaning);
      if (typeof parsed !== 'string' && parsed.kind === 'pump' && parsed.pump > profile.pumps) {
        ctx.addIssue({
          code: 'custom',
          path: at(tag, 'meaning'),
          message: `pump ${parsed.pump} but the profile has ${profile.pumps} pumps`,
        });
      }
    }
    for (const [a, b] of findOverlaps(profile.tags)) {
      ctx.addIssue({
        code: 'custom',
        path: at(b, 'address'),
        message: `${pumpOf(b)}overlaps ${where(a)} (${a.name}) in the ${b.area} area`,
      });
    }
    checkCommands(profile.commands, profile.tags, profile.pumps, ctx);
    for (const reading of profile.derived) {
      if (meanings.has(reading.meaning)) {
        ctx.addIssue({
          code: 'custom',
          path: ['derived', reading.index, 'meaning'],
          message: `"${reading.meaning}" is also read from a register`,
        });
      }
      for (const input of reading.inputs) {
        if (!meanings.has(input)) {
          ctx.addIssue({
            code: 'custom',
            path: ['derived', reading.index],
            message: `"${reading.meaning}" needs "${input}", which no tag or earlier derived reading gives`,
          });
        }
      }
      meanings.set(reading.meaning, reading);
      const parsed = parseMeaning(reading.meaning);
      if (typeof parsed === 'string')
        ctx.addIssue({ code: 'custom', path: ['derived', reading.index, 'meaning'], message: parsed });
    }
  });

/** `pump 2: ` for a tag of a pump block, nothing for a tag of its own. */
function pumpOf(tag: Tag): string {
  const pump = tag.origin.find((p) => String(p).startsWith('pump '));
  return pump === undefined ? '' : `${pump} (${tag.name}): `;
}

/** Pairs of tags whose registers overlap (bools on distinct bits of one register do not). */
function findOverlaps(tags: readonly Tag[]): Array<[Tag, Tag]> {
  const owner = new Map<string, Tag>();
  const overlaps: Array<[Tag, Tag]> = [];
  for (const tag of tags) {
    const words = isBitArea(tag.area) ? 1 : wordsOf(tag.type);
    for (let w = 0; w < words; w++) {
      const key = `${tag.area}:${tag.address + w}:${tag.bit ?? 'all'}`;
      const wholeKey = `${tag.area}:${tag.address + w}:all`;
      const clash = owner.get(key) ?? (tag.bit === undefined ? undefined : owner.get(wholeKey));
      if (clash !== undefined) {
        overlaps.push([clash, tag]);
        break;
      }
      owner.set(key, tag);
    }
  }
  return overlaps;
}

export type ProfileInput = z.input<typeof profileSchema>;
export type { DerivedReading } from './derived.ts';
export type { Label } from './tag-schema.ts';
export type { DataType as TagDataType, RegisterArea as TagRegisterArea };
