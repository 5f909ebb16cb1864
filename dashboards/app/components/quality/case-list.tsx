import type { z } from 'zod';
import type { rankedCaseSchema } from '../../../../core/api/quality.ts';
import { renderOr } from '../../../../core/i18n/render.ts';
import { useApp } from '../../context.ts';
import { routeHref } from '../../lib/router.ts';

type RankedCase = z.output<typeof rankedCaseSchema>;

/** Ranked cases of the library: what happened, what caused it and what fixed it. */
export function CaseList({ cases, empty }: { cases: readonly RankedCase[]; empty: string }) {
  const { t, locale } = useApp();
  if (cases.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ol class="case-list">
      {cases.map(({ case: c, sameClass, sameModel, text }) => (
        <li key={c.ticketId} data-ticket={c.ticketId} data-same-class={sameClass} data-same-model={sameModel}>
          <p class="case-head">
            <a href={routeHref({ page: 'ticket', id: c.ticketId })}>#{c.ticketId}</a>{' '}
            {c.rootCause ? (
              <strong>{renderOr(locale, `cause.${c.rootCause}`, {}, c.rootCause)}</strong>
            ) : null}
            {c.model ? <span class="muted"> · {c.model}</span> : null}
            {sameClass ? <span class="tag">{t('quality.case.sameClass')}</span> : null}
            {sameModel ? <span class="tag">{t('quality.case.sameModel')}</span> : null}
            {text > 0 ? (
              <span class="muted small-text">
                {' '}
                {t('quality.case.similarity', { pct: Math.round(text * 100) })}
              </span>
            ) : null}
          </p>
          <p class="case-text">
            <span class="muted">{t('quality.case.symptoms')}: </span>
            {c.symptoms}
          </p>
          <p class="case-text" data-field="fix">
            <span class="muted">{t('quality.case.fix')}: </span>
            {c.fix || '—'}
          </p>
        </li>
      ))}
    </ol>
  );
}
