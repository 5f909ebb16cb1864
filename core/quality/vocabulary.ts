/** Who answers for a fault (责任归属), recorded when a fault ticket is resolved. */
export const RESPONSIBILITIES = ['maker', 'installer', 'customer', 'wear', 'outside_cause'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

/** A quality action (纠正预防 / 质量归零) goes open -> in progress -> verified closed. */
export const QUALITY_ACTION_STATUSES = ['open', 'in_progress', 'verified_closed'] as const;
export type QualityActionStatus = (typeof QUALITY_ACTION_STATUSES)[number];

/** Why a quality action was opened: a major fault, a repeat within the window, a frequent fault. */
export const QUALITY_ACTION_REASONS = ['major', 'repeat', 'frequent'] as const;
export type QualityActionReason = (typeof QUALITY_ACTION_REASONS)[number];

/** What happens to a non-conforming product (不合格品处置). */
export const NCR_DISPOSITIONS = ['rework', 'return_to_maker', 'scrap', 'concession'] as const;
export type NcrDisposition = (typeof NCR_DISPOSITIONS)[number];

/**
 * Ticket sources that are not faults: planned maintenance, follow-up visits and predictive work need
 * no root-cause analysis when they close.
 */
export const NON_FAULT_SOURCES = ['plan', 'follow_up', 'predictive'] as const;

export function isFaultTicket(source: string): boolean {
  return !(NON_FAULT_SOURCES as readonly string[]).includes(source);
}
