import { z } from 'zod';
import { ROLES } from '../auth/roles.ts';
import { defineContract } from './contract.ts';

export const userSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  /** The sites this user may see (a customer: its customer's sites now); absent: every site. */
  sites: z.array(z.string()).optional(),
});
export type User = z.infer<typeof userSchema>;

/** A signed-in session: the bearer token and until when it holds (ISO 8601). */
export const sessionSchema = userSchema.extend({ token: z.string(), expiresAt: z.string() });
export type Session = z.infer<typeof sessionSchema>;

export const loginBodySchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();

export const login = defineContract({
  method: 'POST',
  path: '/api/auth/login',
  summary:
    'Sign in: a bearer token for the other routes (rate-limited per client address; an account locks for growing waits after 5 wrong passwords)',
  access: 'open',
  body: loginBodySchema,
  status: 200,
  response: sessionSchema,
});
export const logout = defineContract({
  method: 'POST',
  path: '/api/auth/logout',
  summary: 'Sign out: the bearer token of this request stops working at once',
  access: ROLES,
  status: 204,
});
export const me = defineContract({
  method: 'GET',
  path: '/api/auth/me',
  summary: 'The signed-in user',
  access: ROLES,
  status: 200,
  response: userSchema,
});
