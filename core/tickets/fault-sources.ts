/**
 * Ticket sources that report a fault: the equipment's alarm and a customer's report (phone, e-mail,
 * web form, told at a visit). Follow-up visits, planned maintenance and predictive work are not
 * failures and never count in MTBF, repeats or first-time fix.
 */
export const FAULT_SOURCES = ['alarm', 'phone', 'email', 'web', 'visit'] as const;

export function isFaultSource(source: string): boolean {
  return (FAULT_SOURCES as readonly string[]).includes(source);
}
