import type { z } from 'zod';
import {
  ConfigFileError,
  describeIssues as describeFields,
  readConfigFileSync,
  validateConfig,
} from '../config/config-file.ts';
import { type Profile, profileSchema } from './schema.ts';

/** A profile that cannot be used. Retrying does not help: the file must be fixed. */
export class ProfileError extends ConfigFileError {
  override name = 'ProfileError';
  constructor(file: string, problems: readonly string[]) {
    super(file, 'device profile', problems);
  }
}

const PROFILE = {
  what: 'device profile',
  error: (file: string, problems: string[]) => new ProfileError(file, problems),
  describe: (issues: readonly z.core.$ZodIssue[], data: unknown) => describeIssues(issues, data),
};

/**
 * Validates parsed profile data; `source` names the file in errors. A profile this function already
 * returned (programmatic use hands one on) is returned as it is: its blocks are already expanded.
 */
export function parseProfile(data: unknown, source: string): Profile {
  if (isParsedProfile(data)) return data;
  return validateConfig(profileSchema, data, source, PROFILE);
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
  return parseProfile(readConfigFileSync(file, PROFILE), file);
}

/** Turns zod issues into lines that name the tag (or pump block tag) by its name and the field. */
function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  const input = data as
    | { tags?: Array<{ name?: unknown }>; pumpBlocks?: Array<{ tags?: Array<{ name?: unknown }> }> }
    | undefined;
  return issues.map((issue, i) => {
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
    return describeFields([issue], data)[0] ?? `issue ${i}`;
  });
}
