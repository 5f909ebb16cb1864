import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

/** A figure another part of the service provides, or why it cannot be given yet. */
export type Availability<T> =
  | { available: true; value: T }
  | { available: false; reason: 'not_available_yet' };

export const NOT_AVAILABLE = { available: false, reason: 'not_available_yet' } as const;

export interface ReportScope {
  from: number;
  to: number;
  /** Only this customer's records; undefined: all in the caller's scope. */
  customer?: string;
  /** Only these sites; undefined: all sites. */
  sites?: ReadonlySet<string>;
  /** Only pumps (and their tickets) of this model; undefined: every model. */
  model?: string;
}

/**
 * SLA compliance and customer satisfaction as the half-year report reads them. The SLA clocks and
 * the customer portal's surveys (issue 18) plug in here; until they do, the report says "not
 * available yet" instead of a made-up figure.
 */
export interface ServiceQualitySource {
  slaCompliance(scope: ReportScope): Promise<Availability<{ met: number; total: number; rate: number }>>;
  satisfaction(scope: ReportScope): Promise<Availability<{ responses: number; meanScore: number }>>;
}

/** SLA: not available yet. Satisfaction: the follow-up surveys already kept (1-5 scores). */
export function defaultServiceQuality(db: Kysely<ServiceDatabase>): ServiceQualitySource {
  return {
    slaCompliance: async () => NOT_AVAILABLE,
    satisfaction: async (scope) => {
      let query = db
        .selectFrom('surveys')
        .select(['score', 'site', 'customer_id'])
        .where('at', '>=', scope.from)
        .where('at', '<', scope.to);
      if (scope.customer) query = query.where('customer_id', '=', scope.customer);
      const rows = (await query.execute()).filter((row) => !scope.sites || scope.sites.has(row.site));
      if (rows.length === 0) return NOT_AVAILABLE;
      const mean = rows.reduce((sum, row) => sum + row.score, 0) / rows.length;
      return { available: true, value: { responses: rows.length, meanScore: mean } };
    },
  };
}
