import type { Request } from 'express';
import { actingUser } from './roles.ts';

/**
 * Which sites a request may read: `all`, or a list (an account with `sites`). Routes filter their
 * lists by it and answer 404 for a thing of another site, as if it did not exist.
 */
export type SiteScope = { all: true } | { all: false; sites: readonly string[] };

export function siteScope(req: Request): SiteScope {
  const sites = actingUser(req)?.sites;
  return sites ? { all: false, sites } : { all: true };
}

export function inScope(scope: SiteScope, site: string): boolean {
  return scope.all || scope.sites.includes(site);
}

/**
 * The store filter for a list request: the requested site if in scope, else the scope's sites;
 * `undefined` when the request asks for a site out of scope (the answer is an empty list).
 */
export function scopedSiteFilter(
  scope: SiteScope,
  requested: string | undefined,
): { site?: string; sites?: readonly string[] } | undefined {
  if (requested !== undefined) return inScope(scope, requested) ? { site: requested } : undefined;
  return scope.all ? {} : { sites: scope.sites };
}
