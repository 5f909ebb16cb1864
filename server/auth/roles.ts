import type { NextFunction, Request, Response } from 'express';

import { ROLES, type Role } from '../../core/auth/roles.ts';

export { ROLES, type Role };

/** Set on `req.user` by the server's auth middleware. */
export interface ActingUser {
  username: string;
  role: Role;
  /** The sites this user may see; undefined: every site. */
  sites?: readonly string[];
}

export function actingUser(req: Request): ActingUser | undefined {
  const user = (req as Request & { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return undefined;
  const { username, role, sites } = user as { username?: unknown; role?: unknown; sites?: unknown };
  if (typeof username !== 'string' || !ROLES.includes(role as Role)) return undefined;
  if (Array.isArray(sites)) return { username, role: role as Role, sites: sites.map(String) };
  return { username, role: role as Role };
}

/** 401 without a user, 403 when the user's role is not among `roles` (none listed: any signed-in user). */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = actingUser(req);
    if (!user) {
      res.status(401).json({
        error: 'sign in first: no authenticated user on this request',
        code: 'error.signInFirst',
        params: {},
      });
      return;
    }
    if (roles.length > 0 && !roles.includes(user.role)) {
      res.status(403).json({
        error: `role ${user.role} may not do this (needs ${roles.join(' or ')})`,
        code: 'error.roleForbidden',
        params: { role: user.role },
      });
      return;
    }
    next();
  };
}

/** The acting user of a request that passed requireRole. */
export function actor(req: Request): ActingUser {
  const user = actingUser(req);
  if (!user) throw new Error('actor() called on a request without a user: requireRole must run first');
  return user;
}
