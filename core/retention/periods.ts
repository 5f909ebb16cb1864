/** Record retention (DOMAIN.md "Records": permanent, 10, 5 or 3 years, checked yearly). Pure. */
export const RETENTION_PERIODS = ['permanent', '10y', '5y', '3y'] as const;
export type RetentionPeriod = (typeof RETENTION_PERIODS)[number];

/** The record classes the retention job knows, each removed its own way. */
export const RECORD_CLASSES = ['tickets', 'alarms', 'surveys', 'commands', 'audit', 'reports'] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

/** What expiry does to a class's record: surveys keep their score for the statistics, lose the person. */
export const RETENTION_ACTION: Record<RecordClass, 'delete' | 'anonymise'> = {
  tickets: 'delete',
  alarms: 'delete',
  surveys: 'anonymise',
  commands: 'delete',
  audit: 'delete',
  reports: 'delete',
};

/** The moment before which a record of this period has expired at `now`; null: kept for ever. */
export function expiryCutoff(period: RetentionPeriod, now: number): number | null {
  if (period === 'permanent') return null;
  const years = Number.parseInt(period, 10);
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff.getTime();
}
