import type { Responsibility } from './vocabulary.ts';
import { isFaultTicket } from './vocabulary.ts';

/** What closing a fault ticket records besides the root cause (纠正预防). */
export interface CloseRecord {
  rootCause: string | null;
  responsibility: Responsibility | null;
  correctiveAction: string | null;
  preventiveAction: string | null;
}

export type CloseField = keyof CloseRecord;

/**
 * The fields a fault ticket still lacks to be resolved or closed; empty for planned, follow-up and
 * predictive work, which need none. Blank text counts as missing. Pure.
 */
export function missingCloseFields(source: string, record: CloseRecord): CloseField[] {
  if (!isFaultTicket(source)) return [];
  const missing: CloseField[] = [];
  for (const field of ['rootCause', 'responsibility', 'correctiveAction', 'preventiveAction'] as const) {
    const value = record[field];
    if (value === null || value.trim() === '') missing.push(field);
  }
  return missing;
}
