import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Profile, profileSchema } from './schema.ts';

/** A profile that cannot be used. Retrying does not help: the file must be fixed. */
export class ProfileError extends Error {
  override name = 'ProfileError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: invalid device profile\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Validates parsed profile data; `source` names the file in errors. A profile this function already
 * returned (programmatic use hands one on) is returned as it is: its blocks are already expanded.
 */
export function parseProfile(data: unknown, source: string): Profile {
  if (isParsedProfile(data)) return data;
  const result = profileSchema.safeParse(data);
  if (result.success) return result.data;
  throw new ProfileError(source, describeIssues(result.error.issues, data));
}

function isParsedProfile(data: unknown): data is Profile {
  const profile = data as Partial<Profile> | null;
  return (
    typeof profile === 'object' &&
    profile !== null &&
    Array.isArray(profile.derived) &&
    Array.isArray(profile.tags) &&
    profile.tags.every((tag) => Array.isArray(tag?.origin) && typeof tag.address === 'number')
  );
}

export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let data: unknown;
  try {
    data = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ProfileError(file, [
      `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    ]);
  }
  return parseProfile(data, file);
}

/** Turns zod issues into lines that name the tag (by its name where it has one) and the field. */
function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  const input = data as
    | { tags?: Array<{ name?: unknown }>; pumpBlocks?: Array<{ tags?: Array<{ name?: unknown }> }> }
    | undefined;
  return issues.map((issue) => {
    const path = issue.path.map(String);
    if (path[0] === 'tags' && path[1] !== undefined) {
      const index = Number(path[1]);
      const raw = input?.tags?.[index];
      const name = typeof raw?.name === 'string' ? `"${raw.name}"` : `#${index}`;
      const field = path.slice(2).join('.') || '(tag)';
      return `tag ${name} (tags[${index}]) field "${field}": ${issue.message}`;
    }
    if (path[0] === 'pumpBlocks' && path[2] === 'tags' && path[3] !== undefined) {
      const [block, index] = [Number(path[1]), Number(path[3])];
      const raw = input?.pumpBlocks?.[block]?.tags?.[index];
      const name = typeof raw?.name === 'string' ? `"${raw.name}"` : `#${index}`;
      const field = path.slice(4).join('.') || '(tag)';
      return `pump block tag ${name} (pumpBlocks[${block}].tags[${index}]) field "${field}": ${issue.message}`;
    }
    return `field "${path.join('.') || '(root)'}": ${issue.message}`;
  });
}
