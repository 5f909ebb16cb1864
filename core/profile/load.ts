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

/** Validates parsed profile data; `source` names the file in errors. */
export function parseProfile(data: unknown, source: string): Profile {
  return validateConfig(profileSchema, data, source, PROFILE);
}

export function loadProfile(file: string): Profile {
  return parseProfile(readConfigFileSync(file, PROFILE), file);
}

/** Turns zod issues into lines that name the tag (by its name where it has one) and the field. */
function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  return issues.map((issue, i) => {
    const path = issue.path.map(String);
    if (path[0] === 'tags' && path[1] !== undefined) {
      const index = Number(path[1]);
      const raw = (data as { tags?: Array<{ name?: unknown }> } | undefined)?.tags?.[index];
      const name = typeof raw?.name === 'string' ? `"${raw.name}"` : `#${index}`;
      const field = path.slice(2).join('.') || '(tag)';
      return `tag ${name} (tags[${index}]) field "${field}": ${issue.message}`;
    }
    return describeFields([issue], data)[0] ?? `issue ${i}`;
  });
}
