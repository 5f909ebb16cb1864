import { z } from 'zod';
import { readConfigFile } from '../core/config/config-file.ts';
import { parseSecretHash } from '../core/secrets.ts';
import { isValidId } from '../core/telemetry/topics.ts';

/** What each role may do is decided in acl.ts. */
export const BROKER_ROLES = ['edge', 'server', 'viewer', 'admin'] as const;

export const brokerUserSchema = z
  .object({
    username: z.string().min(1).max(128),
    /** `scrypt$N$r$p$salt$hash`, made by `aftercare broker hash-password`. Never a plain password. */
    passwordHash: z.string().superRefine((value, ctx) => {
      const parsed = parseSecretHash(value);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    role: z.enum(BROKER_ROLES),
    /** The site an edge agent publishes for (topic segment); required for role `edge`, refused otherwise. */
    site: z.string().refine(isValidId, { message: 'must be 1-64 letters, digits, "_" or "-"' }).optional(),
  })
  .strict()
  .superRefine((user, ctx) => {
    if (user.role === 'edge' && user.site === undefined)
      ctx.addIssue({ code: 'custom', path: ['site'], message: 'required for role "edge"' });
    if (user.role !== 'edge' && user.site !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['site'],
        message: `only role "edge" has a site, not "${user.role}"`,
      });
  });

export type BrokerUser = z.infer<typeof brokerUserSchema>;

/** A users file is a YAML (or JSON) list of users, or a map with a `users:` list and broker settings. */
export const usersListSchema = z.array(brokerUserSchema).superRefine((users, ctx) => {
  const seen = new Set<string>();
  users.forEach((user, index) => {
    if (seen.has(user.username))
      ctx.addIssue({
        code: 'custom',
        path: [index, 'username'],
        message: `duplicate user "${user.username}"`,
      });
    seen.add(user.username);
  });
});

export class UsersFileError extends Error {
  override name = 'UsersFileError';
  /** Fixing the file is the only remedy; retrying the same file fails the same way. */
  readonly retryable = false;
}

function describeIssues(file: string, prefix: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
    const field = `${prefix}${path}`.replace(/^\./, '') || '(top level)';
    return `  ${file}: ${field}: ${issue.message}`;
  });
  return `invalid broker users file ${file}:\n${lines.join('\n')}`;
}

/**
 * Broker settings a users file may carry beside `users:`; flags and environment override them.
 * A relative dataDir is taken from the working directory, as on the command line.
 */
export const fileSettingsSchema = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    dataDir: z.string().min(1).optional(),
    maxPacketSize: z.number().int().min(64).optional(),
    maxQueuedMessages: z.number().int().min(1).optional(),
    maxQueuedBytes: z.number().int().min(1024).optional(),
    allowAnonymous: z.boolean().optional(),
    /** The provisioned-edges file the server writes (relative: to the working directory). */
    edgesFile: z.string().min(1).optional(),
  })
  .strict();

export type FileSettings = z.infer<typeof fileSettingsSchema>;

export interface BrokerFile {
  users: BrokerUser[];
  settings: FileSettings;
}

/** Validates parsed file content (a list of users, or `users:` plus settings); `file` names the source in errors. */
export function parseBrokerFile(content: unknown, file: string): BrokerFile {
  if (Array.isArray(content)) return { users: parseUsers(content, file), settings: {} };
  if (typeof content !== 'object' || content === null)
    throw new UsersFileError(`invalid broker users file ${file}: expected a list of users or a "users:" key`);
  const { users, ...rest } = content as Record<string, unknown>;
  const settings = fileSettingsSchema.safeParse(rest);
  if (!settings.success) throw new UsersFileError(describeIssues(file, '', settings.error));
  return { users: parseUsers(users, file, 'users'), settings: settings.data };
}

/** Validates a list of users; `file` names the source and `prefix` the list's path in errors. */
export function parseUsers(list: unknown, file: string, prefix = ''): BrokerUser[] {
  const result = usersListSchema.safeParse(list);
  if (!result.success) throw new UsersFileError(describeIssues(file, prefix, result.error));
  return result.data;
}

/** Reads and validates a users file with its optional settings; every error names the file and the field. */
export async function loadBrokerFile(file: string): Promise<BrokerFile> {
  const content = await readConfigFile(file, {
    what: 'broker users file',
    error: (source, problems) =>
      new UsersFileError(`${source}: invalid broker users file\n  ${problems.join('\n  ')}`),
  });
  return parseBrokerFile(content, file);
}

/** Reads a users file and returns its users (settings in it are checked but left out). */
export async function loadUsersFile(file: string): Promise<BrokerUser[]> {
  return (await loadBrokerFile(file)).users;
}
