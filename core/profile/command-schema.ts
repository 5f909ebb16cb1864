import { z } from 'zod';
import {
  COMMAND_KINDS,
  type CommandKind,
  PUMP_COMMANDS,
  type RefusalCode,
  VALUE_COMMANDS,
} from '../commands/payloads.ts';
import type { Tag } from './schema.ts';

/**
 * A profile's `commands` section: for each remote command the controller supports, the writable tag
 * to write (by meaning; `pump[n]` is the command's pump), what to write, and the tag read back to
 * confirm it. Values: `true`/`false`, a number, `pump` (the command's pump number) or `value` (the
 * command's value, e.g. the new set point).
 */
const valueSpec = z.union([z.boolean(), z.number().finite(), z.enum(['pump', 'value'])]);
export type CommandValueSpec = z.infer<typeof valueSpec>;

const commandMapping = z
  .object({
    write: z.object({ meaning: z.string().min(1), value: valueSpec }).strict(),
    readBack: z
      .object({
        meaning: z.string().min(1),
        equals: valueSpec,
        /** A number read back within this of the expected one confirms (default half the tag's scale step). */
        tolerance: z.number().min(0).optional(),
        /** How long the controller may take to show the change (a pump starting), ms. Default 5000. */
        withinMs: z.number().int().min(0).max(60_000).default(5000),
      })
      .strict(),
  })
  .strict();
export type CommandMapping = z.output<typeof commandMapping>;

export const commandsSectionSchema = z
  .object(
    Object.fromEntries(COMMAND_KINDS.map((kind) => [kind, commandMapping.optional()])) as {
      [K in CommandKind]: z.ZodOptional<typeof commandMapping>;
    },
  )
  .strict()
  .default({});
export type CommandsSection = Partial<Record<CommandKind, CommandMapping>>;

const PUMP_N = /\[n\]/g;
const forPump = (meaning: string, pump: number) => meaning.replace(PUMP_N, `[${pump}]`);

/** A command made concrete for one controller: the tag and value to write, the tag and value to read back. */
export interface ResolvedCommand {
  write: { tag: Tag; value: number | boolean };
  readBack: { tag: Tag; equals: number | boolean; tolerance: number; withinMs: number };
}
export type Resolution = ResolvedCommand | { refused: RefusalCode; detail: string };

function concrete(
  spec: CommandValueSpec,
  pump: number | undefined,
  value: number | undefined,
): number | boolean {
  if (spec === 'pump') return pump ?? 0;
  if (spec === 'value') return value ?? Number.NaN;
  return spec;
}

/** Makes a command concrete for a profile, or says why the controller cannot take it. Pure. */
export function resolveCommand(
  profile: { model: string; pumps: number; tags: readonly Tag[]; commands: CommandsSection },
  kind: CommandKind,
  pump?: number,
  value?: number,
): Resolution {
  const mapping = profile.commands[kind];
  if (!mapping) return { refused: 'unsupported', detail: `profile ${profile.model} has no ${kind} command` };
  if (PUMP_COMMANDS.has(kind) && (pump === undefined || pump < 1 || pump > profile.pumps))
    return { refused: 'no_pump', detail: `pump ${pump} is not one of 1..${profile.pumps}` };
  const n = pump ?? 1;
  const tagOf = (meaning: string) => profile.tags.find((t) => t.meaning === forPump(meaning, n));
  const writeTag = tagOf(mapping.write.meaning);
  const readTag = tagOf(mapping.readBack.meaning);
  if (!writeTag?.writable || !readTag)
    return {
      refused: 'unsupported',
      detail: `profile ${profile.model} lacks the tags of ${kind} for pump ${n}`,
    };
  const written = concrete(mapping.write.value, pump, value);
  if (typeof written === 'number') {
    const range = writeTag.range;
    if (!Number.isFinite(written) || (range && (written < range.min || written > range.max)))
      return {
        refused: 'bad_value',
        detail:
          `${writeTag.meaning} = ${written} is outside ${range?.min}..${range?.max} ${writeTag.unit}`.trim(),
      };
  }
  return {
    write: { tag: writeTag, value: written },
    readBack: {
      tag: readTag,
      equals: concrete(mapping.readBack.equals, pump, value),
      tolerance: mapping.readBack.tolerance ?? Math.abs(readTag.scale) / 2,
      withinMs: mapping.readBack.withinMs,
    },
  };
}

/** Whether a value read back confirms the command. */
export function confirms(read: number | boolean | null, readBack: ResolvedCommand['readBack']): boolean {
  if (read === null) return false;
  if (typeof readBack.equals === 'boolean') return Boolean(read) === readBack.equals;
  return typeof read === 'number' && Math.abs(read - readBack.equals) <= readBack.tolerance + 1e-9;
}

/** Checks a profile's commands against its tags: every write tag writable, every read-back tag present, for every pump. */
export function checkCommands(
  commands: CommandsSection,
  tags: readonly Tag[],
  pumps: number,
  ctx: z.RefinementCtx,
): void {
  for (const kind of COMMAND_KINDS) {
    const mapping = commands[kind];
    if (!mapping) continue;
    const at = (...path: string[]) => ['commands', kind, ...path];
    const perPump = PUMP_COMMANDS.has(kind);
    for (const [part, spec] of [
      ['write', mapping.write.value],
      ['readBack', mapping.readBack.equals],
    ] as const) {
      const field = part === 'write' ? 'value' : 'equals';
      if (spec === 'pump' && !perPump)
        ctx.addIssue({
          code: 'custom',
          path: at(part, field),
          message: `${kind} has no pump to use as a value`,
        });
      if (spec === 'value' && !VALUE_COMMANDS.has(kind))
        ctx.addIssue({ code: 'custom', path: at(part, field), message: `${kind} carries no value` });
    }
    for (const part of ['write', 'readBack'] as const) {
      const meaning = mapping[part].meaning;
      if (meaning.includes('[n]') && !perPump)
        ctx.addIssue({
          code: 'custom',
          path: at(part, 'meaning'),
          message: `${kind} names no pump: no pump[n] here`,
        });
    }
    for (let n = 1; n <= (perPump ? pumps : 1); n++) {
      const write = tags.find((t) => t.meaning === forPump(mapping.write.meaning, n));
      const read = tags.find((t) => t.meaning === forPump(mapping.readBack.meaning, n));
      if (!write)
        ctx.addIssue({
          code: 'custom',
          path: at('write', 'meaning'),
          message: `no tag means "${forPump(mapping.write.meaning, n)}"`,
        });
      else if (!write.writable)
        ctx.addIssue({
          code: 'custom',
          path: at('write', 'meaning'),
          message: `tag ${write.name} is not writable`,
        });
      else if ((write.type === 'bool') !== (typeof mapping.write.value === 'boolean'))
        ctx.addIssue({
          code: 'custom',
          path: at('write', 'value'),
          message: `tag ${write.name} is ${write.type}: write ${write.type === 'bool' ? 'true or false' : 'a number, pump or value'}`,
        });
      if (!read)
        ctx.addIssue({
          code: 'custom',
          path: at('readBack', 'meaning'),
          message: `no tag means "${forPump(mapping.readBack.meaning, n)}"`,
        });
      if (!write || !read) break;
    }
  }
}
