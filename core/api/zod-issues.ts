/** A zod issue as far as the answers need it (zod 4 nests a union's branch issues in `errors`). */
export type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * A union's "Invalid input" replaced by the issues of the one branch that came closest (strictly
 * fewest issues): `endpoint.tcp.port: expected number` rather than `endpoint: Invalid input`. A
 * tie (a number or a date-time) keeps the union's own issue.
 */
export function precise(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
    const [closest, next] = [...issue.errors].sort((a, b) => a.length - b.length);
    if (!closest || (next && next.length === closest.length)) return [issue];
    return precise(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}
