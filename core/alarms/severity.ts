/** Fault severities from the service documents (故障 轻微 / 一般 / 重大), least to most severe. */
export const SEVERITIES = ['minor', 'general', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
