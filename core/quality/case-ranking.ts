import { buildTextIndex } from './text-similarity.ts';

/** A resolved fault ticket as a case of the library (案例库). */
export interface CaseRecord {
  ticketId: number;
  /** The alarm's fault class; null for a ticket a person reported. */
  faultClass: string | null;
  /** The root cause found: the failure mode. */
  rootCause: string | null;
  model: string | null;
  /** Title and description: the symptoms. */
  symptoms: string;
  /** What fixed it: the corrective action and the work done. */
  fix: string;
  resolvedAt: number;
}

/** What a similar-case search starts from: a ticket, or a free query (all but `text` null). */
export interface CaseQuery {
  ticketId: number | null;
  faultClass: string | null;
  rootCause: string | null;
  model: string | null;
  text: string;
}

export interface RankedCase {
  case: CaseRecord;
  sameClass: boolean;
  sameModel: boolean;
  /** TF-IDF cosine of the query's text against the case's symptoms and fix, 0..1. */
  text: number;
}

/**
 * Cases ranked for a query: same fault class (the alarm's class or the root cause) first, then the
 * same pump model, then by text similarity, then the newest. Cases with nothing in common are left
 * out; the query's own ticket too. Pure.
 */
export function rankCases(query: CaseQuery, cases: readonly CaseRecord[], limit = 10): RankedCase[] {
  const pool = cases.filter((c) => c.ticketId !== query.ticketId);
  const index = buildTextIndex(pool.map((c) => `${c.symptoms}\n${c.fix}`));
  const ranked = pool.map((c, i): RankedCase => {
    const sameClass =
      (query.faultClass !== null && query.faultClass === c.faultClass) ||
      (query.rootCause !== null && query.rootCause === c.rootCause);
    const sameModel = query.model !== null && query.model === c.model;
    return { case: c, sameClass, sameModel, text: round(index.similarity(query.text, i)) };
  });
  return ranked
    .filter((r) => r.sameClass || r.text > 0)
    .sort(
      (a, b) =>
        Number(b.sameClass) - Number(a.sameClass) ||
        Number(b.sameModel) - Number(a.sameModel) ||
        b.text - a.text ||
        b.case.resolvedAt - a.case.resolvedAt,
    )
    .slice(0, limit);
}

const round = (value: number) => Math.round(value * 1000) / 1000;
