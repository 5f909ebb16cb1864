import { z } from 'zod';
import { ROLES } from '../auth/roles.ts';
import { idSchema } from './common.ts';
import { defineContract } from './contract.ts';

/** A user name: what an accounts file and sign-in take. */
export const usernameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -');

/** An account as admins see it: never its password hash. */
export const accountViewSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  /** Sites a staff account may see; null: every site. */
  sites: z.array(z.string()).nullable(),
  /** For role `customer`: whose sites it sees. */
  customer: z.string().nullable(),
  displayName: z.string(),
  disabled: z.boolean(),
  disabledAt: z.number().nullable(),
  /** Wrong passwords since the last sign-in; 5 lock the account for 1 min, doubling up to 1 h. */
  failedAttempts: z.number().int(),
  /** Until when sign-in is refused (ms), if locked. */
  lockedUntil: z.number().nullable(),
  lastSignInAt: z.number().nullable(),
  source: z.enum(['file', 'demo', 'cli', 'admin']),
  createdAt: z.number(),
  changedAt: z.number(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

const passwordSchema = z.string().min(1).max(256);
const sitesSchema = z.array(idSchema).min(1).max(500).nullable();
const displayNameSchema = z.string().max(100);

export const newAccountSchema = z
  .object({
    username: usernameSchema,
    /** At least 10 characters, not a common password, not containing the user name. */
    password: passwordSchema,
    role: z.enum(ROLES),
    sites: sitesSchema.optional(),
    customer: idSchema.nullable().optional(),
    displayName: displayNameSchema.optional(),
  })
  .strict();
export type NewAccountBody = z.infer<typeof newAccountSchema>;

export const accountChangeSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    sites: sitesSchema.optional(),
    customer: idSchema.nullable().optional(),
    displayName: displayNameSchema.optional(),
  })
  .strict();
export type AccountChange = z.infer<typeof accountChangeSchema>;

export const accountParams = z.object({ username: usernameSchema });
const accountAnswer = z.object({ account: accountViewSchema });

export const listAccounts = defineContract({
  method: 'GET',
  path: '/api/accounts',
  summary: 'Every account: role, sites or customer, disabled, failed sign-ins and lock',
  access: ['admin'],
  status: 200,
  response: z.object({ accounts: z.array(accountViewSchema) }),
});
export const createAccount = defineContract({
  method: 'POST',
  path: '/api/accounts',
  summary: 'Create an account (password: 10+ characters, not common, not the user name)',
  access: ['admin'],
  body: newAccountSchema,
  status: 201,
  response: accountAnswer,
});
export const changeAccount = defineContract({
  method: 'PUT',
  path: '/api/accounts/:username',
  summary: "Change an account's role, sites, customer or display name (applies to its open sessions)",
  access: ['admin'],
  params: accountParams,
  body: accountChangeSchema,
  status: 200,
  response: accountAnswer,
});
export const disableAccount = defineContract({
  method: 'POST',
  path: '/api/accounts/:username/disable',
  summary: 'Disable an account: it cannot sign in and its tokens stop working at once',
  access: ['admin'],
  params: accountParams,
  status: 200,
  response: accountAnswer,
});
export const enableAccount = defineContract({
  method: 'POST',
  path: '/api/accounts/:username/enable',
  summary: 'Enable an account again (and clear its sign-in lock)',
  access: ['admin'],
  params: accountParams,
  status: 200,
  response: accountAnswer,
});
export const resetAccountPassword = defineContract({
  method: 'POST',
  path: '/api/accounts/:username/password',
  summary: "Set an account's password (its tokens stop working at once)",
  access: ['admin'],
  params: accountParams,
  body: z.object({ password: passwordSchema }).strict(),
  status: 200,
  response: accountAnswer,
});
