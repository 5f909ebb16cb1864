import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/**
 * The one loader of config files (edge config, device profiles, server options, accounts, broker
 * users, simulator options, scenarios): read, parse by extension (.json is JSON, anything else
 * YAML), validate with a zod schema, and say what is wrong as lines that name the field and value.
 */

/**
 * A config file that cannot be used. Fixing the file is the only remedy: retrying fails the same
 * way. The message is `<file>: invalid <what>` and one line per problem.
 */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: invalid ${what}\n  ${problems.join('\n  ')}`);
  }
}

/** Makes the error a kind of file throws (its own class, for `name` and `instanceof`). */
export type ConfigErrorFactory = (file: string, problems: string[]) => Error;

export interface ConfigFileKind {
  /** What the file holds, for messages: `edge config`, `device profile`. */
  what: string;
  /** Builds the error; default a ConfigFileError. */
  error?: ConfigErrorFactory;
  /** Lines describing the schema's issues; default describeIssues. */
  describe?: (issues: readonly z.core.$ZodIssue[], data: unknown) => string[];
}

export const fileFormat = (file: string): 'JSON' | 'YAML' =>
  extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';

const fail = (kind: ConfigFileKind, file: string, problems: string[]): Error =>
  kind.error ? kind.error(file, problems) : new ConfigFileError(file, kind.what, problems);

/** Parses a config file's text by the file's extension; `file` names it in the error. */
export function parseConfigText(text: string, file: string, kind: ConfigFileKind): unknown {
  const format = fileFormat(file);
  try {
    return format === 'JSON' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw fail(kind, file, [`not valid ${format}: ${(error as Error).message}`]);
  }
}

/** Reads and parses a config file (not yet validated). */
export function readConfigFileSync(file: string, kind: ConfigFileKind): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(kind, file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseConfigText(text, file, kind);
}

/** Reads and parses a config file without blocking (servers read theirs at start-up). */
export async function readConfigFile(file: string, kind: ConfigFileKind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw fail(kind, file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseConfigText(text, file, kind);
}

/** Validates parsed data; `source` (a file, or what a program passed) names it in the error. */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string,
  kind: ConfigFileKind,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw fail(kind, source, (kind.describe ?? describeIssues)(result.error.issues, data));
}

export function loadConfigFileSync<S extends z.ZodType>(
  file: string,
  schema: S,
  kind: ConfigFileKind,
): z.output<S> {
  return validateConfig(schema, readConfigFileSync(file, kind), file, kind);
}

export async function loadConfigFile<S extends z.ZodType>(
  file: string,
  schema: S,
  kind: ConfigFileKind,
): Promise<z.output<S>> {
  return validateConfig(schema, await readConfigFile(file, kind), file, kind);
}

/** Keys whose values never appear in an error (they end up in logs). */
const SECRET = /password|secret|token|hash/i;

/**
 * One line per issue: `field "a.b": <message> (got <value>)`. The value is shown when it is a
 * scalar and its key does not look like a secret.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    let value: unknown = data;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    const secret = path.some((key) => SECRET.test(key));
    const shown =
      secret || value === undefined || value === null || typeof value === 'object'
        ? ''
        : ` (got ${JSON.stringify(value)})`;
    return `field "${path.join('.') || '(root)'}": ${issue.message}${shown}`;
  });
}
